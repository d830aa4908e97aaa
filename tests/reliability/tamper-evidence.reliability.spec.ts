import { Client } from 'pg';
import { chainHash, type EventMetadata } from '@fundtrail/event-store';
import { type ApiHarness, startApi } from '../support/api-harness';
import { bearer } from '../e2e/support-fixtures';
import { recordFigures, runCli, waitForCatchUp } from './support/reliability';

/**
 * Promise 7 (tamper evidence): the events table refuses UPDATE, DELETE and TRUNCATE by itself; and
 * with that trigger disabled (what a careless or malicious superuser could do), changing, deleting
 * or reordering any stored event is reported by verify (GET /api/audit/verify and the CLI) with the
 * exact stream and revision. Each case is undone afterwards and verify is ok again, so the cases
 * are independent.
 */

interface Row {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  hash: string;
  prev_hash: string;
}

interface BrokenLink {
  streamId: string;
  streamRevision: string;
  problem: string;
  detail: string;
}

const STREAM = 'project-tamper-p';
const BOND_STREAM = 'bond-tamper-b';

describe('tamper evidence (issue 7.7)', () => {
  let api: ApiHarness;
  let sql: Client;
  const cases: { name: string; reported: string }[] = [];

  const auditor = () => bearer(api.token('auditor', 'auditor-tamper'));
  const verify = async () => {
    const response = await api.http.get('/api/audit/verify').set('Authorization', auditor());
    expect(response.status).toBe(200);
    return response.body as { ok: boolean; hashChains: { ok: boolean; brokenLinks: BrokenLink[] }; readModels: { ok: boolean; differences: unknown[] } };
  };
  const rowsOf = async (stream: string) =>
    (
      await sql.query<Row>(
        'SELECT global_position::text, event_id::text, stream_id, stream_revision::text, type, data, metadata, recorded_at, hash, prev_hash FROM events WHERE stream_id = $1 ORDER BY stream_revision',
        [stream],
      )
    ).rows;

  /** Runs `change` with the append-only trigger disabled, then `undo` the same way. */
  async function tampered(change: () => Promise<unknown>, undo: () => Promise<unknown>, check: () => Promise<void>): Promise<void> {
    await sql.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    try {
      await change();
    } finally {
      await sql.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    }
    try {
      await check();
    } finally {
      await sql.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
      try {
        await undo();
      } finally {
        await sql.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
      }
    }
    expect((await verify()).ok).toBe(true);
  }

  const restoreRow = (row: Row) =>
    sql.query(
      `UPDATE events SET global_position = $2, stream_id = $3, stream_revision = $4, type = $5, data = $6, metadata = $7, recorded_at = $8, hash = $9, prev_hash = $10 WHERE event_id = $1`,
      [
        row.event_id,
        row.global_position,
        row.stream_id,
        row.stream_revision,
        row.type,
        JSON.stringify(row.data),
        JSON.stringify(row.metadata),
        row.recorded_at,
        row.hash,
        row.prev_hash,
      ],
    );
  const reinsertRow = (row: Row) =>
    sql.query(
      `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        row.global_position,
        row.event_id,
        row.stream_id,
        row.stream_revision,
        row.type,
        JSON.stringify(row.data),
        JSON.stringify(row.metadata),
        row.recorded_at,
        row.hash,
        row.prev_hash,
      ],
    );

  async function expectReported(name: string, streamId: string, revision: number, problems: RegExp): Promise<void> {
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.hashChains.ok).toBe(false);
    const link = report.hashChains.brokenLinks.find((l) => l.streamId === streamId);
    expect({ name, link }).toEqual({
      name,
      link: expect.objectContaining({ streamId, streamRevision: String(revision), problem: expect.stringMatching(problems) }),
    });
    // Only the tampered stream is reported.
    expect(report.hashChains.brokenLinks.map((l) => l.streamId)).toEqual([streamId]);
    cases.push({ name, reported: `${link?.streamId}@${link?.streamRevision} ${link?.problem}` });
  }

  beforeAll(async () => {
    api = await startApi();
    const officer = bearer(api.token('budget-officer', 'officer-tamper'));
    const clerk = bearer(api.token('clerk', 'clerk-tamper'));
    const post = async (path: string, token: string, body: object) => {
      const response = await api.http.post(path).set('Authorization', token).send(body);
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
      return response.body as { globalPosition: number };
    };
    await post('/api/projects', officer, { projectId: 'tamper-p', name: '篡改测试', department: '区财政局', category: 'testing' });
    await post('/api/projects/tamper-p/receipts', clerk, { receiptId: 'r1', source: 'district-budget', amount: '1000.00' });
    for (let i = 1; i <= 6; i += 1)
      await post('/api/projects/tamper-p/disbursements', clerk, { disbursementId: `d${i}`, amount: `${i}0.00`, category: 'construction', receiptId: 'r1' });
    await post('/api/projects', officer, { projectId: 'tamper-q', name: '对照项目', department: '区财政局', category: 'testing' });
    await post('/api/bonds', officer, { bondId: 'tamper-b', name: '债券', kind: 'special', amount: '500.00', issueDate: '2024-01-01' });
    await post('/api/bonds/tamper-b/assignments', officer, { assignmentId: 'a1', projectId: 'tamper-q', amount: '100.00' });
    await waitForCatchUp(api.db.url);
    sql = new Client({ connectionString: api.db.url });
    await sql.connect();
    expect((await verify()).ok).toBe(true);
  }, 60_000);
  afterAll(async () => {
    recordFigures('tamper-evidence', { cases });
    await sql?.end();
    await api?.close();
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE on events', async () => {
    await expect(sql.query(`UPDATE events SET data = '{}' WHERE stream_id = $1`, [STREAM])).rejects.toThrow(/append-only/);
    await expect(sql.query('DELETE FROM events WHERE stream_id = $1', [STREAM])).rejects.toThrow(/append-only/);
    await expect(sql.query('TRUNCATE events')).rejects.toThrow(/append-only/);
  });

  it.each([
    ['an amount', (row: Row) => ({ ...(row.data as object), amount: '99999.00' })],
    ['the receipt it was drawn from', (row: Row) => ({ ...(row.data as object), receiptId: 'r-other' })],
    ['a field added', (row: Row) => ({ ...(row.data as object), payee: '某人' })],
  ])('changing %s of a disbursement in the middle: reported at that stream and revision', async (what, changed) => {
    const row = (await rowsOf(STREAM))[4];
    await tampered(
      () => sql.query('UPDATE events SET data = $2 WHERE event_id = $1', [row.event_id, JSON.stringify(changed(row))]),
      () => restoreRow(row),
      () => expectReported(`data: ${what}`, STREAM, 4, /^hash-mismatch$/),
    );
  });

  it.each([
    ['the actor', `jsonb_set(metadata, '{actor,id}', '"someone-else"')`],
    ['the effective date', `jsonb_set(metadata, '{effectiveDate}', '"2020-01-01"')`],
  ])('changing %s in the metadata: reported', async (what, expression) => {
    const row = (await rowsOf(STREAM))[3];
    await tampered(
      () => sql.query(`UPDATE events SET metadata = ${expression} WHERE event_id = $1`, [row.event_id]),
      () => restoreRow(row),
      () => expectReported(`metadata: ${what}`, STREAM, 3, /^hash-mismatch$/),
    );
  });

  it('changing the recorded time or the type: reported', async () => {
    const row = (await rowsOf(STREAM))[2];
    await tampered(
      () => sql.query(`UPDATE events SET recorded_at = recorded_at - interval '1 day' WHERE event_id = $1`, [row.event_id]),
      () => restoreRow(row),
      () => expectReported('recorded_at', STREAM, 2, /^hash-mismatch$/),
    );
    await tampered(
      () => sql.query(`UPDATE events SET type = 'FundsReceived' WHERE event_id = $1`, [row.event_id]),
      () => restoreRow(row),
      () => expectReported('type', STREAM, 2, /^hash-mismatch$/),
    );
  });

  const reseal = (row: Row, data: unknown, prevHash: string) =>
    chainHash(prevHash, {
      eventId: row.event_id,
      type: row.type,
      streamId: row.stream_id,
      streamRevision: BigInt(row.stream_revision),
      recordedAt: row.recorded_at,
      data: data as Record<string, unknown>,
      metadata: row.metadata as EventMetadata,
    });

  it('changing an event and re-sealing its hash correctly: the next link is reported', async () => {
    const rows = await rowsOf(STREAM);
    const row = rows[3];
    const data = { ...(row.data as object), amount: '1.00' };
    await tampered(
      () => sql.query('UPDATE events SET data = $2, hash = $3 WHERE event_id = $1', [row.event_id, JSON.stringify(data), reseal(row, data, row.prev_hash)]),
      () => restoreRow(row),
      () => expectReported('data changed and its hash re-sealed', STREAM, 4, /^prev-hash-mismatch$/),
    );
  });

  it('changing an event and re-sealing the whole rest of the chain: the chain alone cannot tell, the exported head digest and the read models do', async () => {
    const digest = runCli(['verify', '--heads'], { DATABASE_URL: api.db.url });
    expect(digest.status).toBe(0);
    const heads = JSON.parse(digest.stdout).heads as Record<string, string>;
    const rows = await rowsOf(STREAM);
    await tampered(
      async () => {
        let prev = rows[2].hash;
        for (const row of rows.slice(3)) {
          const data = row === rows[3] ? { ...(row.data as object), amount: '1.00' } : row.data;
          const hash = reseal(row, data, prev);
          await sql.query('UPDATE events SET data = $2, hash = $3, prev_hash = $4 WHERE event_id = $1', [row.event_id, JSON.stringify(data), hash, prev]);
          prev = hash;
        }
      },
      async () => {
        for (const row of rows) await restoreRow(row);
      },
      async () => {
        const report = await verify();
        expect(report.hashChains.ok).toBe(true); // a consistent rewrite is a valid chain…
        expect(report.readModels.ok).toBe(false); // …but the read models were built from the original
        const now = JSON.parse(runCli(['verify', '--heads'], { DATABASE_URL: api.db.url }).stdout).heads as Record<string, string>;
        const changed = Object.keys(heads).filter((stream) => heads[stream] !== now[stream]);
        expect(changed).toEqual([STREAM]); // …and the head digest an auditor kept names the stream
        cases.push({ name: 'rest of the chain re-sealed', reported: `chains ok; read models differ; head digest differs for ${changed.join(', ')}` });
      },
    );
  }, 60_000);

  it('deleting an event in the middle: reported at that stream, naming the missing revision', async () => {
    const row = (await rowsOf(STREAM))[3];
    await tampered(
      () => sql.query('DELETE FROM events WHERE event_id = $1', [row.event_id]),
      () => reinsertRow(row),
      async () => {
        await expectReported('deleted revision 3', STREAM, 4, /^revision-gap$/);
        const link = (await verify()).hashChains.brokenLinks[0];
        expect(link.detail).toMatch(/revision 4 where 3 was expected/);
      },
    );
  });

  it('deleting the first event of a stream: reported', async () => {
    const row = (await rowsOf(STREAM))[0];
    await tampered(
      () => sql.query('DELETE FROM events WHERE event_id = $1', [row.event_id]),
      () => reinsertRow(row),
      () => expectReported('deleted revision 0', STREAM, 1, /^revision-gap$/),
    );
  });

  it('reordering: two events swap places in the global order: reported', async () => {
    const rows = await rowsOf(STREAM);
    const [a, b] = [rows[4], rows[5]];
    await tampered(
      async () => {
        await sql.query('UPDATE events SET global_position = -1 WHERE event_id = $1', [a.event_id]);
        await sql.query('UPDATE events SET global_position = $2 WHERE event_id = $1', [b.event_id, a.global_position]);
        await sql.query('UPDATE events SET global_position = $2 WHERE event_id = $1', [a.event_id, b.global_position]);
      },
      async () => {
        await sql.query('UPDATE events SET global_position = -1 WHERE event_id = $1', [a.event_id]);
        await restoreRow(b);
        await restoreRow(a);
      },
      () => expectReported('revisions 4 and 5 swapped in the global order', STREAM, 5, /^(revision-gap|out-of-order)$/),
    );
  });

  it('reordering: two events swap contents (revisions and hashes kept): reported', async () => {
    const rows = await rowsOf(STREAM);
    const [a, b] = [rows[2], rows[3]];
    await tampered(
      async () => {
        await sql.query('UPDATE events SET data = $2, type = $3 WHERE event_id = $1', [a.event_id, JSON.stringify(b.data), b.type]);
        await sql.query('UPDATE events SET data = $2, type = $3 WHERE event_id = $1', [b.event_id, JSON.stringify(a.data), a.type]);
      },
      async () => {
        await restoreRow(a);
        await restoreRow(b);
      },
      () => expectReported('contents of revisions 2 and 3 swapped', STREAM, 2, /^hash-mismatch$/),
    );
  });

  it('a bond stream is protected the same way', async () => {
    const row = (await rowsOf(BOND_STREAM))[1];
    await tampered(
      () => sql.query(`UPDATE events SET data = jsonb_set(data, '{amount}', '"1.00"') WHERE event_id = $1`, [row.event_id]),
      () => restoreRow(row),
      () => expectReported('bond assignment amount', BOND_STREAM, 1, /^hash-mismatch$/),
    );
  });

  it('the CLI verify reports it too, and exits 1', async () => {
    const row = (await rowsOf(STREAM))[5];
    await tampered(
      () => sql.query(`UPDATE events SET data = jsonb_set(data, '{amount}', '"0.01"') WHERE event_id = $1`, [row.event_id]),
      () => restoreRow(row),
      async () => {
        const result = runCli(['verify'], { DATABASE_URL: api.db.url });
        expect(result.status).toBe(1);
        const report = JSON.parse(result.stdout);
        expect(report.hashChains.brokenLinks[0]).toMatchObject({ streamId: STREAM, streamRevision: '5', problem: 'hash-mismatch' });
        cases.push({ name: 'CLI verify', reported: `exit 1, ${STREAM}@5 hash-mismatch` });
      },
    );
    expect(runCli(['verify'], { DATABASE_URL: api.db.url }).status).toBe(0);
  }, 60_000);

  it('deleting the last event of a stream: verify is not ok (the read model counted it)', async () => {
    const rows = await rowsOf(STREAM);
    const last = rows[rows.length - 1];
    await tampered(
      () => sql.query('DELETE FROM events WHERE event_id = $1', [last.event_id]),
      () => reinsertRow(last),
      async () => {
        const report = await verify();
        expect(report.ok).toBe(false);
        expect(report.readModels.ok).toBe(false);
        cases.push({ name: 'deleted the last revision', reported: `not ok (read models differ), chains ok: ${report.hashChains.ok}` });
      },
    );
  });

  // A truncated chain is a valid chain: the read models' last applied position is the witness.
  it('deleting the last event of a stream: reported with that stream and the missing revision', async () => {
    const rows = await rowsOf(BOND_STREAM);
    const last = rows[rows.length - 1];
    await tampered(
      () => sql.query('DELETE FROM events WHERE event_id = $1', [last.event_id]),
      () => reinsertRow(last),
      () => expectReported('deleted the last revision of a bond stream', BOND_STREAM, rows.length - 1, /./),
    );
  });
});
