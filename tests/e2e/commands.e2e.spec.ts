import type { Test } from 'supertest';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';

/** Sends a request and keeps its body as the raw bytes that came over the wire. */
const rawBytes = (req: Test) =>
  req.buffer(true).parse((res, callback) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => callback(null, Buffer.concat(chunks)));
  });

describe('command API against PostgreSQL', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
  });
  afterAll(async () => api.close());

  const register = (projectId: string) =>
    api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId, name: '测试项目', department: '区财政局', category: 'drainage', plannedTotal: '1000.00' });

  it('registers a project, receives funds and disburses, answering 201 with where the events landed', async () => {
    const created = await register('p-basic');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      streamId: 'project-p-basic',
      streamRevision: 0,
      globalPosition: expect.any(Number),
      eventIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
    });
    const receipt = await api.http
      .post('/api/projects/p-basic/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'r1', source: 'special-bond', amount: '100.00', effectiveDate: '2024-08-08' });
    expect(receipt.status).toBe(201);
    expect(receipt.body.streamRevision).toBe(1);
    expect(receipt.body.globalPosition).toBeGreaterThan(created.body.globalPosition);
    const paid = await api.http
      .post('/api/projects/p-basic/disbursements')
      .set('Authorization', clerk)
      .send({ disbursementId: 'd1', amount: '60.00', category: 'construction', receiptId: 'r1' });
    expect(paid.status).toBe(201);
    const overspend = await api.http
      .post('/api/projects/p-basic/disbursements')
      .set('Authorization', clerk)
      .send({ disbursementId: 'd2', amount: '40.01', category: 'construction' });
    expect(overspend.status).toBe(409);
    expect(overspend.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(overspend.body).toMatchObject({ status: 409, code: 'INSUFFICIENT_FUNDS', errors: [{ field: 'amount' }] });
    expect(overspend.body.detail).toMatch(/40\.00/);
  });

  it('records the actor from the token, never from the body', async () => {
    await register('p-actor');
    const spoof = await api.http
      .post('/api/projects/p-actor/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'r1', source: 'other', amount: '1.00', actor: { id: 'someone-else', role: 'admin' } });
    expect(spoof.status).toBe(400);
    expect(spoof.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'actor', code: 'UNKNOWN_FIELD' })]));
    const ok = await api.http
      .post('/api/projects/p-actor/receipts')
      .set('Authorization', `Bearer ${api.token('clerk', 'clerk-wang')}`)
      .send({ receiptId: 'r1', source: 'other', amount: '1.00' });
    expect(ok.status).toBe(201);
    const { rows } = (await runSql(api.db.url, 'SELECT metadata FROM events WHERE event_id = $1', [ok.body.eventIds[0]])) as {
      rows: { metadata: { actor: unknown } }[];
    };
    expect(rows[0].metadata.actor).toEqual({ id: 'clerk-wang', role: 'clerk' });
  });

  it('20 concurrent disbursements of 10.00 against 100.00 received: exactly 10 accepted, 10 INSUFFICIENT_FUNDS', async () => {
    await register('p-race');
    await api.http
      .post('/api/projects/p-race/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'r1', source: 'district-budget', amount: '100.00' })
      .expect(201);
    const before = await api.eventCount();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.http
          .post('/api/projects/p-race/disbursements')
          .set('Authorization', clerk)
          .send({ disbursementId: `d${i}`, amount: '10.00', category: 'construction' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'INSUFFICIENT_FUNDS')).toHaveLength(10);
    expect(await api.eventCount()).toBe(before + 10);
  });

  it('Idempotency-Key: a retry replays the first answer and posts once; another body under the same key is 422', async () => {
    await register('p-idem');
    await api.http.post('/api/projects/p-idem/receipts').set('Authorization', clerk).send({ receiptId: 'r1', source: 'other', amount: '50.00' });
    const body = { disbursementId: 'd1', amount: '10.00', category: 'operations' };
    const before = await api.eventCount();
    const first = await api.http.post('/api/projects/p-idem/disbursements').set('Authorization', clerk).set('Idempotency-Key', 'k-1').send(body);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => api.http.post('/api/projects/p-idem/disbursements').set('Authorization', clerk).set('Idempotency-Key', 'k-1').send(body)),
    );
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotency-replayed']).toBe('true');
    }
    expect(await api.eventCount()).toBe(before + 1);
    const other = await api.http
      .post('/api/projects/p-idem/disbursements')
      .set('Authorization', clerk)
      .set('Idempotency-Key', 'k-1')
      .send({ ...body, amount: '11.00' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.eventCount()).toBe(before + 1);
  });

  it('an idempotent replay is byte-identical to the first answer: body, Content-Type, Content-Length, ETag (201 and 4xx)', async () => {
    await register('p-idem-bytes');
    await api.http
      .post('/api/projects/p-idem-bytes/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'r1', source: 'other', amount: '50.00' })
      .expect(201);
    const send = (key: string, body: object) =>
      rawBytes(api.http.post('/api/projects/p-idem-bytes/disbursements').set('Authorization', clerk).set('Idempotency-Key', key).send(body));
    const cases: [string, object, number][] = [
      ['bytes-201', { disbursementId: 'd1', amount: '10.00', category: 'operations' }, 201],
      // A refusal that is the request's own (409 with errors[]) is stored and replayed too.
      ['bytes-409', { disbursementId: 'd2', amount: '1000.00', category: 'operations' }, 409],
      // A 400 whose problem names several fields, each with a code and a message.
      ['bytes-400', { disbursementId: 'Bad Id', amount: '-1', category: 'food' }, 400],
    ];
    for (const [key, body, status] of cases) {
      const first = await send(key, body);
      const replays = [await send(key, body), await send(key, body)];
      expect(first.status).toBe(status);
      expect(first.headers['content-type']).toMatch(status === 201 ? /^application\/json; charset=utf-8$/ : /^application\/problem\+json; charset=utf-8$/);
      expect(first.headers['idempotency-replayed']).toBeUndefined();
      const firstBytes = first.body as Buffer;
      expect(firstBytes.length).toBeGreaterThan(0);
      for (const replay of replays) {
        expect(replay.headers['idempotency-replayed']).toBe('true');
        expect({ key, status: replay.status, contentType: replay.headers['content-type'] }).toEqual({
          key,
          status,
          contentType: first.headers['content-type'],
        });
        expect({ key, length: replay.headers['content-length'], etag: replay.headers.etag }).toEqual({
          key,
          length: first.headers['content-length'],
          etag: first.headers.etag,
        });
        // Byte for byte, not just the same JSON value: key order included.
        expect({ key, body: (replay.body as Buffer).toString('latin1') }).toEqual({ key, body: firstBytes.toString('latin1') });
        expect(Buffer.compare(replay.body as Buffer, firstBytes)).toBe(0);
      }
    }
  });

  it("a keyed project command's 201 is not stored a second time: a replay rebuilds its bytes from the log, then stores them", async () => {
    await register('p-idem-log');
    await api.http
      .post('/api/projects/p-idem-log/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'r1', source: 'other', amount: '50.00' })
      .expect(201);
    const row = async (key: string) =>
      (
        (await runSql(api.db.url, 'SELECT state, answer_from_log, response_body FROM idempotency_keys WHERE key = $1', [key])) as {
          rows: { state: string; answer_from_log: boolean; response_body: string | null }[];
        }
      ).rows[0];
    const body = { disbursementId: 'd-log', amount: '10.00', category: 'operations' };
    const send = () => rawBytes(api.http.post('/api/projects/p-idem-log/disbursements').set('Authorization', clerk).set('Idempotency-Key', 'k-log').send(body));
    const before = await api.eventCount();
    const first = await send();
    expect(first.status).toBe(201);
    // The answer is the events: the key's row only claims the key (its fingerprint), no answer stored.
    expect(await row('k-log')).toEqual({ state: 'in-flight', answer_from_log: true, response_body: null });
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(Buffer.compare(replay.body as Buffer, first.body as Buffer)).toBe(0);
    expect(await row('k-log')).toEqual({ state: 'done', answer_from_log: true, response_body: (first.body as Buffer).toString('utf8') });
    expect(Buffer.compare((await send()).body as Buffer, first.body as Buffer)).toBe(0);
    expect(await api.eventCount()).toBe(before + 1);
    // A refusal is still stored as the key's answer.
    const refused = await api.http
      .post('/api/projects/p-idem-log/disbursements')
      .set('Authorization', clerk)
      .set('Idempotency-Key', 'k-log-409')
      .send({ ...body, disbursementId: 'd-log-2', amount: '1000.00' });
    expect(refused.status).toBe(409);
    expect(await row('k-log-409')).toMatchObject({ state: 'done', answer_from_log: true, response_body: expect.stringContaining('INSUFFICIENT_FUNDS') });
    // Commands of other controllers (a bond's, which may append to two streams) store their 201 as before.
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .set('Idempotency-Key', 'k-bond')
      .send({ bondId: 'b-idem-log', name: '债券', kind: 'special', amount: '500.00', issueDate: '2023-06-01' })
      .expect(201);
    expect(await row('k-bond')).toMatchObject({ state: 'done', answer_from_log: false, response_body: expect.stringContaining('bond-b-idem-log') });
  });

  it('concurrent first attempts under one Idempotency-Key post once', async () => {
    await register('p-idem-race');
    await api.http.post('/api/projects/p-idem-race/receipts').set('Authorization', clerk).send({ receiptId: 'r1', source: 'other', amount: '50.00' });
    const before = await api.eventCount();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.http
          .post('/api/projects/p-idem-race/disbursements')
          .set('Authorization', clerk)
          .set('Idempotency-Key', 'race-key')
          .send({ disbursementId: 'd-race', amount: '5.00', category: 'operations' }),
      ),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(await api.eventCount()).toBe(before + 1);
  });

  it('a bond assignment makes the project receive the proceeds once, under a deterministic receipt id', async () => {
    await register('p-bond');
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'b-2023', name: '2023年专项债券', kind: 'special', amount: '500.00', issueDate: '2023-06-01' })
      .expect(201);
    const assigned = await api.http
      .post('/api/bonds/b-2023/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a1', projectId: 'p-bond', amount: '300.00' });
    expect(assigned.status).toBe(201);
    expect(assigned.body.eventIds).toHaveLength(2);
    const again = await api.http
      .post('/api/bonds/b-2023/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a1', projectId: 'p-bond', amount: '300.00' });
    expect(again.status).toBe(409);
    const over = await api.http
      .post('/api/bonds/b-2023/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a2', projectId: 'p-bond', amount: '200.01' });
    expect(over.body.code).toBe('BOND_OVER_ASSIGNED');
    const pay = await api.http
      .post('/api/projects/p-bond/disbursements')
      .set('Authorization', clerk)
      .send({ disbursementId: 'd1', amount: '300.00', category: 'construction' });
    expect(pay.status).toBe(201);
    const missing = await api.http
      .post('/api/bonds/b-2023/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a3', projectId: 'no-such-project', amount: '1.00' });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('UNKNOWN_PROJECT');
  });

  it('a reversal by a budget officer frees the money; a clerk cannot reverse; reversing twice is refused', async () => {
    await register('p-rev');
    await api.http.post('/api/projects/p-rev/receipts').set('Authorization', clerk).send({ receiptId: 'r1', source: 'other', amount: '10.00' });
    await api.http
      .post('/api/projects/p-rev/disbursements')
      .set('Authorization', clerk)
      .send({ disbursementId: 'd1', amount: '10.00', category: 'other' })
      .expect(201);
    const byClerk = await api.http.post('/api/projects/p-rev/disbursements/d1/reversal').set('Authorization', clerk).send({ reason: 'typo' });
    expect(byClerk.status).toBe(403);
    const reversed = await api.http.post('/api/projects/p-rev/disbursements/d1/reversal').set('Authorization', officer).send({ reason: 'typo' });
    expect(reversed.status).toBe(201);
    const twice = await api.http.post('/api/projects/p-rev/disbursements/d1/reversal').set('Authorization', officer).send({ reason: 'typo' });
    expect(twice.body.code).toBe('ALREADY_REVERSED');
    await api.http
      .post('/api/projects/p-rev/disbursements')
      .set('Authorization', clerk)
      .send({ disbursementId: 'd2', amount: '10.00', category: 'other' })
      .expect(201);
  });
});
