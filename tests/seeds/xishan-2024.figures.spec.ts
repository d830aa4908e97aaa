/**
 * The data set loaded into the real API (fresh database of the machine's PostgreSQL) through the
 * loader, then read back through GET /api/projects/:id/figures, i.e. from the read models the
 * projectors built, and checked figure by figure against stated-figures.json with this test's own
 * arithmetic. Also: the reconciliation (a fold of the log) agrees with the read models.
 */
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { bondReceiptId } from '@fundtrail/funding';
import { loadDataset } from '@fundtrail/reports';
import { reconcileTarget } from '@fundtrail/reports';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { entries, EXPECTED_EVENTS, EXPECTED_LOG_EVENTS, figures, KNOWN_MISMATCHES, KNOWN_NOT_DERIVABLE, PROJECT_IDS, reproducesRate, roundedText, wanToYuan } from './support/xishan';

interface ApiFigure {
  key: string;
  value: string | null;
  numerator?: string;
  denominator?: string;
  reason?: string;
}

/** The key as the API names it: a bond assignment's receipt by the id the process manager gives it. */
function apiKey(key: string): string {
  const match = /^receipt_usage_rate:@([^/]+)\/(.+)$/.exec(key);
  return match ? `receipt_usage_rate:${bondReceiptId(match[1], match[2])}` : key;
}

describe('xishan-2024 in the API: every derivable stated figure is reproduced', () => {
  let api: ApiHarness;
  const byProject = new Map<string, Map<string, ApiFigure>>();

  beforeAll(async () => {
    api = await startApi();
    const first = await loadDataset('xishan-2024', { commands: api.app.get(CommandBus), store: api.app.get<EventStore>(EVENT_STORE) });
    expect(first).toEqual({ dataset: 'xishan-2024', commands: entries.length, applied: entries.length, alreadyPresent: 0, eventsAppended: EXPECTED_EVENTS, report: 'published' });
    const head = (await runSql(api.db.url, 'SELECT max(global_position)::text AS p FROM events')) as { rows: { p: string }[] };
    const analyst = `Bearer ${api.token('analyst')}`;
    for (const projectId of PROJECT_IDS) {
      const response = await api.http.get(`/api/projects/${projectId}/figures?minPosition=${head.rows[0].p}`).set('Authorization', analyst);
      expect(response.status).toBe(200);
      byProject.set(projectId, new Map((response.body.figures as ApiFigure[]).map((f) => [f.key, f])));
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('appends one event per command and one more per bond assignment; loading again changes nothing', async () => {
    expect(await api.eventCount()).toBe(EXPECTED_LOG_EVENTS);
    const again = await loadDataset('xishan-2024', { commands: api.app.get(CommandBus), store: api.app.get<EventStore>(EVENT_STORE) });
    expect(again).toMatchObject({ applied: 0, alreadyPresent: entries.length, eventsAppended: 0 });
    expect(await api.eventCount()).toBe(EXPECTED_LOG_EVENTS);
  });

  it('shows the 11 projects under the report\'s names', async () => {
    const response = await api.http.get('/api/projects?pageSize=50').set('Authorization', `Bearer ${api.token('analyst')}`);
    expect(response.status).toBe(200);
    const names = new Map((response.body.items as { projectId: string; name: string }[]).map((p) => [p.projectId, p.name]));
    for (const entry of entries.filter((e) => e.type === 'RegisterProject')) {
      expect(names.get(entry.data.projectId as string)).toBe(entry.data.name);
    }
  });

  it.each(figures.filter((f) => f.key !== null).map((f) => [f.id, f] as const))('%s', (id, figure) => {
    const found = byProject.get(figure.project)!.get(apiKey(figure.key!));
    if (id in KNOWN_NOT_DERIVABLE) {
      // The figure exists but has no value: the fact behind it is not in the report.
      expect(found).toBeDefined();
      expect(found!.value).toBeNull();
      expect(found!.reason).toMatch(KNOWN_NOT_DERIVABLE[id]);
      return;
    }
    expect(found).toBeDefined();
    if (figure.unit === 'wan-yuan') {
      const expected = id in KNOWN_MISMATCHES ? KNOWN_MISMATCHES[id].recomputed : wanToYuan(figure.stated);
      expect(found!.value).toBe(expected);
      if (id in KNOWN_MISMATCHES) expect(found!.value).not.toBe(wanToYuan(figure.stated));
    } else {
      expect(figure.unit).toBe('percent');
      expect(found!.value).toMatch(/^\d+\.\d{2}$/);
      const reproduced = reproducesRate(figure.stated, found!.numerator!, found!.denominator!);
      expect(reproduced).toBe(!(id in KNOWN_MISMATCHES));
      if (id in KNOWN_MISMATCHES) expect(found!.value).toBe(KNOWN_MISMATCHES[id].recomputed);
    }
  });

  it('recomputes from the log exactly what the read models hold', async () => {
    const { reconciliation } = await reconcileTarget('xishan-2024', api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE));
    const keyed = reconciliation.rows.filter((r) => r.key !== null && r.recomputed !== null);
    expect(keyed.length).toBe(figures.filter((f) => f.key !== null).length - Object.keys(KNOWN_NOT_DERIVABLE).length);
    for (const row of keyed) {
      const found = byProject.get((row.scope as { projectId: string }).projectId)!.get(row.key!)!;
      const value = row.unit === 'percent' ? roundedText(row.recomputed!, 2) : row.recomputedYuan;
      expect({ id: row.statedId, value }).toEqual({ id: row.statedId, value: found.value });
    }
  });
});
