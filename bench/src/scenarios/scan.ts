import { Client } from 'pg';
import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { verifyLog } from '@fundtrail/projections';

export interface ScanResult {
  events: number;
  seconds: number;
  perSecond: number;
  /** Σ of every `amount` in the log, fen (a check that the scan really read the payloads). */
  amountSumFen?: string;
  cpuSeconds: number;
}

/**
 * The physical limit of reading the log: `pg`, one connection, keyset pages of 5,000 rows in
 * global order (the same pages a replay reads), each row's jsonb payload parsed by pg and its
 * amount summed. No envelope, no hash, no read model.
 */
export async function rawScan(url: string, pageSize = 5000): Promise<ScanResult> {
  const client = new Client({ connectionString: url, application_name: 'bench-scan' });
  await client.connect();
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let position = '-1';
    let events = 0;
    let sum = 0n;
    for (;;) {
      const { rows } = await client.query<{ global_position: string; data: { amount?: string } }>(
        'SELECT global_position, data FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2',
        [position, pageSize],
      );
      for (const row of rows) {
        const amount = row.data.amount;
        if (amount !== undefined) {
          const dot = amount.indexOf('.');
          sum += dot < 0 ? BigInt(amount) * 100n : BigInt(amount.slice(0, dot) + amount.slice(dot + 1).padEnd(2, '0'));
        }
      }
      events += rows.length;
      if (rows.length < pageSize) break;
      position = rows[rows.length - 1].global_position;
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { events, seconds, perSecond: events / seconds, amountSumFen: sum.toString(), cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await client.end();
  }
}

export interface VerifyResult extends ScanResult {
  ok: boolean;
  streams: number;
  projects: number;
  brokenLinks: number;
  differences: number;
  missing: number;
}

/** FundTrail's audit: every hash chain recomputed and every project's figures replayed and compared. */
export async function fundtrailVerify(url: string): Promise<VerifyResult> {
  const pool = createPool({ url, poolSize: 4, applicationName: 'bench-verify' });
  const store = new PostgresEventStore(pool);
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = await verifyLog(store, pool);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      events: report.events,
      seconds,
      perSecond: report.events / seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      ok: report.ok,
      streams: report.streams,
      projects: report.readModels.projects,
      brokenLinks: report.hashChains.brokenLinks.length,
      differences: report.readModels.differences.length,
      missing: report.readModels.missing.length + report.readModels.unexpected.length,
    };
  } finally {
    await pool.end();
  }
}
