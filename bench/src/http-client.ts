import { Agent, request } from 'node:http';

/** One keep-alive connection: a client that measures the server, not its own connection set-up. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface HttpResponse {
  status: number;
  body: string;
  /** Time to the last byte of the body, ms. */
  ms: number;
}

export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

export function httpGet(url: string, headers?: Record<string, string>): Promise<HttpResponse> {
  return httpRequest(url, { headers });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
