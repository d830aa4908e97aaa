import autocannon from 'autocannon';
import { Pool } from 'pg';
import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { decideProject, evolveProject, initialProjectState, type ProjectState, projectStreamId, toNewEvents } from '@fundtrail/funding';
import { httpGet } from '../http-client';
import type { ApiProcess } from '../processes';
import { percentile, mean, seededRandom } from '../stats';
import { disbursementBody, disbursementFields, officerContext, setupCommands } from '../workload';

/** Registers and funds projects by appending their decided events (the API then loads them like any stream). */
export async function prefundProjects(url: string, projectIds: readonly string[]): Promise<void> {
  const pool = createPool({ url, poolSize: 4, applicationName: 'bench-prefund' });
  const store = new PostgresEventStore(pool);
  try {
    for (const projectId of projectIds) {
      let state: ProjectState = initialProjectState;
      const events = setupCommands(projectId).flatMap((command) => {
        const decided = decideProject(command, state);
        for (const event of decided) state = evolveProject(state, event);
        return decided;
      });
      const streamId = projectStreamId(projectId);
      await store.append(streamId, toNewEvents(streamId, events, officerContext()), { expectedRevision: 'no_stream' });
    }
  } finally {
    await pool.end();
  }
}

export interface HttpAppendResult {
  requests: number;
  seconds: number;
  perSecond: number;
  statusCounts: Record<string, number>;
  created: number;
  /** Disbursements with this run's ids found in the log afterwards. */
  accepted: number;
  acceptedEqualsCreated: boolean;
  nonCreatedSamples: string[];
  latencyMs: { p50: number; p99: number };
  /** CPU of the API process per request, ms (it also runs the projectors). */
  apiCpuMsPerRequest: number;
  connectionErrors: number;
}

/**
 * POST /api/projects/:id/disbursements with autocannon: keep-alive, `connections` connections,
 * exactly `requests` requests (so every request's outcome is known), each with a unique
 * disbursementId (and Idempotency-Key when asked), spread over pre-funded projects.
 */
export async function httpAppend(
  api: ApiProcess,
  url: string,
  options: { token: string; projectIds: readonly string[]; connections: number; requests: number; prefix: string; idempotencyKey: boolean },
): Promise<HttpAppendResult> {
  let counter = 0;
  const statusCounts: Record<string, number> = {};
  const nonCreatedSamples: string[] = [];
  const cpuBefore = api.cpuSeconds();
  // autocannon ends an `amount` run on its next one-second tick: time first request to last answer ourselves.
  let firstSent = Number.NaN;
  let lastAnswer = Number.NaN;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: api.baseUrl,
        connections: options.connections,
        pipelining: 1,
        amount: options.requests,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const n = counter++;
              if (n === 0) firstSent = performance.now();
              const projectId = options.projectIds[n % options.projectIds.length];
              const disbursementId = `${options.prefix}${n}`;
              return {
                ...request,
                method: 'POST',
                path: `/api/projects/${projectId}/disbursements`,
                headers: {
                  authorization: `Bearer ${options.token}`,
                  'content-type': 'application/json',
                  ...(options.idempotencyKey ? { 'idempotency-key': `key-${disbursementId}` } : {}),
                },
                body: JSON.stringify(disbursementBody(disbursementFields(disbursementId, n))),
              };
            },
            onResponse: (status, body) => {
              lastAnswer = performance.now();
              statusCounts[status] = (statusCounts[status] ?? 0) + 1;
              if (status !== 201 && nonCreatedSamples.length < 5) nonCreatedSamples.push(`${status} ${body.slice(0, 300)}`);
            },
          },
        ],
      },
      (error, res) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)),
    );
  });
  const seconds = (lastAnswer - firstSent) / 1000;
  const cpu = api.cpuSeconds() - cpuBefore;
  const responses = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const created = statusCounts['201'] ?? 0;
  const pool = new Pool({ connectionString: url, max: 1 });
  let accepted = 0;
  try {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE type = 'DisbursementRecorded' AND stream_id LIKE 'project-http-%' AND data->>'disbursementId' LIKE $1`,
      [`${options.prefix}%`],
    );
    accepted = Number(rows[0].n);
  } finally {
    await pool.end();
  }
  return {
    requests: responses,
    seconds,
    perSecond: created / seconds,
    statusCounts,
    created,
    accepted,
    acceptedEqualsCreated: accepted === created,
    nonCreatedSamples,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    apiCpuMsPerRequest: (cpu * 1000) / Math.max(1, responses),
    connectionErrors: result.errors,
  };
}

export interface LatencyResult {
  requests: number;
  p50: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
  statusCounts: Record<string, number>;
  bytesPerResponse: number;
}

/** GET figures of random projects, one request at a time on one keep-alive connection. */
export async function figuresLatency(api: ApiProcess, token: string, projectIds: readonly string[], requests: number, seed: number): Promise<LatencyResult> {
  const random = seededRandom(seed);
  const headers = { authorization: `Bearer ${token}` };
  const samples: number[] = [];
  const statusCounts: Record<string, number> = {};
  let bytes = 0;
  const warmup = Math.min(300, requests);
  for (let i = 0; i < warmup + requests; i += 1) {
    const projectId = projectIds[Math.floor(random() * projectIds.length)];
    const response = await httpGet(`${api.baseUrl}/api/projects/${projectId}/figures`, headers);
    if (i < warmup) continue;
    samples.push(response.ms);
    bytes += response.body.length;
    statusCounts[response.status] = (statusCounts[response.status] ?? 0) + 1;
  }
  return {
    requests,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    p999: percentile(samples, 99.9),
    mean: mean(samples),
    max: Math.max(...samples),
    statusCounts,
    bytesPerResponse: bytes / requests,
  };
}

/** The same GETs from `connections` concurrent keep-alive connections for `seconds`: throughput and tail under load. */
export async function figuresUnderLoad(
  api: ApiProcess,
  token: string,
  projectIds: readonly string[],
  connections: number,
  seconds: number,
  seed: number,
): Promise<{ perSecond: number; p50: number; p99: number; non2xx: number }> {
  const random = seededRandom(seed);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: api.baseUrl,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: `/api/projects/${projectIds[Math.floor(random() * projectIds.length)]}/figures` }),
          },
        ],
      },
      (error, res) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)),
    );
  });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

export interface TraceResult {
  /** The first call (cold: nothing of this trace cached anywhere yet), ms. */
  firstMs: number;
  ms: number[];
  median: number;
  terms: number;
  matches: boolean;
  value: string | null;
  responseBytes: number;
}

/** GET .../figures/disbursed_total/trace of the 10,000-disbursement project: one warm-up (reported as firstMs), then `repeats` timed. */
export async function traceTiming(api: ApiProcess, token: string, projectId: string, repeats: number): Promise<TraceResult> {
  const url = `${api.baseUrl}/api/projects/${projectId}/figures/disbursed_total/trace`;
  const headers = { authorization: `Bearer ${token}` };
  const ms: number[] = [];
  let last: { terms: unknown[]; total: number; matches: boolean; value: string | null } | undefined;
  let bytes = 0;
  let firstMs = Number.NaN;
  for (let i = 0; i <= repeats; i += 1) {
    const response = await httpGet(url, headers);
    if (response.status !== 200) throw new Error(`trace answered ${response.status}: ${response.body.slice(0, 500)}`);
    if (i === 0) {
      firstMs = Math.round(response.ms * 100) / 100;
      continue;
    }
    ms.push(response.ms);
    bytes = response.body.length;
    last = JSON.parse(response.body) as typeof last;
  }
  return {
    firstMs,
    ms: ms.map((m) => Math.round(m * 100) / 100),
    median: percentile(ms, 50),
    // The answer is paged (its first page of terms); `total` counts every contributing term.
    terms: last?.total ?? 0,
    matches: last?.matches ?? false,
    value: last?.value ?? null,
    responseBytes: bytes,
  };
}
