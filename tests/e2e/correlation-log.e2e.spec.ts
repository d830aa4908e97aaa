import { Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { correlation } from '../../apps/api/src/logging/correlation';
import { createRootLogger } from '../../apps/api/src/logging/pino-logger';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';

/** A pino destination that keeps every line, parsed. */
function captured(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('log lines carry the request correlation id', () => {
  it('a line written after awaits on the request path carries its id; a line outside any request has none', async () => {
    const { stream, lines } = captured();
    const logger = createRootLogger('info', stream);
    const request = { headers: { 'x-correlation-id': 'trace-7' } } as unknown as Request;
    await new Promise<void>((done) =>
      correlation()(request, {} as Response, () => {
        void (async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await Promise.resolve();
          logger.info('inside');
          done();
        })();
      }),
    );
    logger.info('outside');
    expect(lines.map((line) => [line.msg, line.correlationId])).toEqual([
      ['inside', 'trace-7'],
      ['outside', undefined],
    ]);
  });

  describe('through the API', () => {
    let api: ApiHarness;
    const logs = captured();
    beforeAll(async () => {
      api = await startApi({ LOG_LEVEL: 'info' }, logs.stream);
    });
    afterAll(async () => api.close());

    const register = (projectId: string, correlationId?: string) => {
      const call = api.http.post('/api/projects').set('Authorization', `Bearer ${api.token('budget-officer')}`);
      if (correlationId !== undefined) call.set('X-Correlation-Id', correlationId);
      return call.send({ projectId, name: '测试项目', department: '区财政局', category: 'drainage', plannedTotal: '1000.00' });
    };
    const storedCorrelationId = async (eventId: string) =>
      ((await runSql(api.db.url, "SELECT metadata->>'correlationId' AS c FROM events WHERE event_id = $1", [eventId])) as { rows: { c: string }[] }).rows[0].c;
    const requestLine = (path: string) => logs.lines.filter((line) => line.msg === 'request' && line.path === path && line.method === 'POST').at(-1);

    it("the request's line and its events share the client's X-Correlation-Id", async () => {
      const created = await register('corr-given', 'client-chose-this');
      expect(created.status).toBe(201);
      expect(await storedCorrelationId(created.body.eventIds[0])).toBe('client-chose-this');
      expect(requestLine('/api/projects')).toMatchObject({ correlationId: 'client-chose-this', status: 201 });
    });

    it('without one (or with a malformed one) the id the server chose is the one in the log and in the events', async () => {
      for (const header of [undefined, 'not a valid id!']) {
        const created = await register(`corr-${header === undefined ? 'none' : 'bad'}`, header);
        expect(created.status).toBe(201);
        const stored = await storedCorrelationId(created.body.eventIds[0]);
        expect(stored).toMatch(/^[0-9a-f-]{36}$/);
        expect(requestLine('/api/projects')).toMatchObject({ correlationId: stored });
      }
    });
  });
});
