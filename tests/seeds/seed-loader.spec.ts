/**
 * The loader's idempotency is not a blanket "ignore DUPLICATE_ID": a refusal counts as "already
 * loaded" only when the stream holds this data set's own event for the entry, with the same data.
 * Small data sets in a temporary seeds directory (FUNDTRAIL_SEEDS_DIR), loaded through the CLI's
 * context (projectors off, so no background process manager interferes) into fresh databases.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bondReceiptId, bondStreamId, ExecuteProjectCommand, FundingRepositories, projectStreamId } from '@fundtrail/funding';
import { parseWan } from '@fundtrail/money';
import { withFundtrail } from '../../apps/cli/src/cli-context';
import { loadDataset, seedContext } from '@fundtrail/reports';
import { reconcileTarget } from '@fundtrail/reports';
import { createServerDatabase, type TestDatabase } from '../support/test-database';

const citation = { section: '一', quote: 'q' };
const commands = (amount: string) => [
  {
    type: 'RegisterProject',
    data: { projectId: 'mini-project', name: '小项目', department: '区财政局', category: 'test', plannedTotal: '1,000.00' },
    effectiveDate: '2023-01-01',
    citation,
  },
  { type: 'IssueBond', data: { bondId: 'mini-bond', name: '债', kind: 'special', amount: '600', issueDate: '2023-01-02' }, effectiveDate: '2023-01-02', citation },
  {
    type: 'AssignBondProceeds',
    data: { bondId: 'mini-bond', assignmentId: 'mini', projectId: 'mini-project', amount: '600' },
    effectiveDate: '2023-01-03',
    citation,
  },
  {
    type: 'ReceiveFunds',
    data: { projectId: 'mini-project', receiptId: 'budget', source: 'district-budget', amount },
    effectiveDate: '2023-01-04',
    citation,
  },
  {
    type: 'RecordDisbursement',
    data: { projectId: 'mini-project', disbursementId: 'works', amount: '300.5', category: 'construction', receiptFromAssignment: { bondId: 'mini-bond', assignmentId: 'mini' } },
    effectiveDate: '2023-01-05',
    citation,
  },
];
const stated = [
  { id: 'mini-received', project: 'mini-project', key: 'received_total', stated: '800.00', unit: 'wan-yuan', citation, sumOf: ['mini-bond-part', 'mini-budget-part'] },
  { id: 'mini-bond-part', project: 'mini-project', key: 'received_by_source:special-bond', stated: '600', unit: 'wan-yuan', citation },
  { id: 'mini-budget-part', project: 'mini-project', key: null, stated: '200', unit: 'wan-yuan', citation, note: 'a part' },
  { id: 'mini-usage', project: 'mini-project', key: 'receipt_usage_rate:@mini-bond/mini', stated: '50.08', unit: 'percent', citation },
  { id: 'mini-arrival', project: 'mini-project', key: 'arrival_rate', stated: '80', unit: 'percent', citation },
];

function writeDataset(dir: string, amount: string): void {
  mkdirSync(join(dir, 'mini'), { recursive: true });
  writeFileSync(join(dir, 'mini', 'commands.json'), JSON.stringify({ dataset: 'mini', title: 'mini', source: 'none', amountUnit: 'wan-yuan', commands: commands(amount) }));
  writeFileSync(join(dir, 'mini', 'stated-figures.json'), JSON.stringify(stated));
}

describe('seed loader', () => {
  const seedsDir = mkdtempSync(join(tmpdir(), 'fundtrail-seeds-'));
  const previous = { url: process.env.DATABASE_URL, seeds: process.env.FUNDTRAIL_SEEDS_DIR };
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createServerDatabase();
    process.env.DATABASE_URL = db.url;
    process.env.FUNDTRAIL_SEEDS_DIR = seedsDir;
    writeDataset(seedsDir, '200');
  });
  afterEach(async () => {
    await db.drop();
  });
  afterAll(() => {
    rmSync(seedsDir, { recursive: true, force: true });
    if (previous.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous.url;
    if (previous.seeds === undefined) delete process.env.FUNDTRAIL_SEEDS_DIR;
    else process.env.FUNDTRAIL_SEEDS_DIR = previous.seeds;
  });

  it('converts 万元 exactly, pays from the bond receipt, and loads once', async () => {
    await withFundtrail(async ({ commands: bus, database }) => {
      const progress: number[] = [];
      const first = await loadDataset('mini', { commands: bus, store: database.store }, { onProgress: (done) => progress.push(done) });
      expect(first).toEqual({ dataset: 'mini', commands: 5, applied: 5, alreadyPresent: 0, eventsAppended: 6, report: 'published' });
      expect(progress).toEqual([0, 1, 2, 3, 4, 5]);
      const project = await database.store.readStream(projectStreamId('mini-project'));
      expect(project.map((e) => [e.type, e.data.amount ?? e.data.plannedTotal])).toEqual([
        ['ProjectRegistered', '10000000.00'],
        ['FundsReceived', '6000000.00'],
        ['FundsReceived', '2000000.00'],
        ['DisbursementRecorded', '3005000.00'],
      ]);
      expect(project[3].data.receiptId).toBe(bondReceiptId('mini-bond', 'mini'));
      // Each amount keeps the precision the data set prints it to; the bond's receipt, the assignment's.
      expect(project.map((e) => e.data.printed)).toEqual([
        { unit: 'wan', decimals: 2 },
        { unit: 'wan', decimals: 0 },
        { unit: 'wan', decimals: 0 },
        { unit: 'wan', decimals: 1 },
      ]);
      expect(project[0].metadata).toMatchObject({ actor: { id: 'seed:mini', role: 'admin' }, idempotencyKey: 'seed:mini:0', effectiveDate: '2023-01-01' });
      const second = await loadDataset('mini', { commands: bus, store: database.store });
      expect(second).toEqual({ dataset: 'mini', commands: 5, applied: 0, alreadyPresent: 5, eventsAppended: 0, report: 'already present' });
      expect(await database.store.readStream(projectStreamId('mini-project'))).toHaveLength(4);
    });
  });

  it('reconciles the small data set: amounts exact, rates at the stated precision, sums of parts, missing facts', async () => {
    await withFundtrail(async ({ commands: bus, database }) => {
      await loadDataset('mini', { commands: bus, store: database.store });
      const { reconciliation, published } = await reconcileTarget('mini', database);
      expect(published).toBe(true);
      const row = (id: string) => reconciliation.rows.find((r) => r.statedId === id)!;
      expect(row('mini-received')).toMatchObject({ stated: '800.00', unit: 'wan', recomputed: '800', recomputedYuan: '8000000.00', status: 'match' });
      expect(reconciliation.sums).toEqual([expect.objectContaining({ statedId: 'mini-received', parts: ['mini-bond-part', 'mini-budget-part'], sumOfParts: '800', status: 'adds-up' })]);
      // 300.5 / 600 = 50.0833…% -> 50.08 at 2 decimals.
      expect(row('mini-usage')).toMatchObject({ key: `receipt_usage_rate:${bondReceiptId('mini-bond', 'mini')}`, stated: '50.08', status: 'match' });
      expect(row('mini-usage').recomputed).toMatch(/^50\.0833/);
      expect(row('mini-arrival')).toMatchObject({ stated: '80', recomputed: '80', status: 'match' });
      expect(row('mini-budget-part')).toMatchObject({ key: null, recomputed: null, status: 'not-keyed' });
    });
  });

  it('refuses to count a DUPLICATE_ID as loaded when the stream holds no event of this data set', async () => {
    await withFundtrail(async ({ commands: bus, database }) => {
      // Someone else registered a project under the same id.
      await bus.execute(
        new ExecuteProjectCommand(
          { type: 'RegisterProject', data: { projectId: 'mini-project', name: '别的项目', department: 'x', category: 'x' } },
          { actor: { id: 'clerk-1', role: 'budget-officer' }, correlationId: 'c' },
        ),
      );
      await expect(loadDataset('mini', { commands: bus, store: database.store })).rejects.toThrow(
        /mini commands\[0\] \(RegisterProject on project-mini-project\) refused: Project mini-project is already registered, and the log holds no event of this data set for it/,
      );
    });
  });

  it('refuses a data set that changed after it was loaded, instead of calling it present', async () => {
    await withFundtrail(async ({ commands: bus, database }) => {
      await loadDataset('mini', { commands: bus, store: database.store });
      writeDataset(seedsDir, '250');
      await expect(loadDataset('mini', { commands: bus, store: database.store })).rejects.toThrow(
        /commands\[3\].*amount = "2000000.00", the data set now says "2500000.00"; the data set changed after it was loaded/,
      );
    });
  });

  it('completes a bond assignment whose project receipt was never written (a run that stopped between the two appends)', async () => {
    await withFundtrail(async ({ app, commands: bus, database }) => {
      // What a first run managed before it stopped: entries 0, 1 and the assignment's own event (2), not the receipt.
      // The repositories append without the process manager that turns an assignment into a receipt.
      const repositories = app.get(FundingRepositories);
      await repositories.projects.handle(
        projectStreamId('mini-project'),
        { type: 'RegisterProject', data: { projectId: 'mini-project', name: '小项目', department: '区财政局', category: 'test', plannedTotal: parseWan('1,000.00'), printed: { unit: 'wan', decimals: 2 } } },
        seedContext('mini', 0, '2023-01-01'),
      );
      await repositories.bonds.handle(
        bondStreamId('mini-bond'),
        { type: 'IssueBond', data: { bondId: 'mini-bond', name: '债', kind: 'special', amount: parseWan('600'), issueDate: '2023-01-02', printed: { unit: 'wan', decimals: 0 } } },
        seedContext('mini', 1, '2023-01-02'),
      );
      await repositories.bonds.handle(
        bondStreamId('mini-bond'),
        { type: 'AssignBondProceeds', data: { bondId: 'mini-bond', assignmentId: 'mini', projectId: 'mini-project', amount: parseWan('600'), printed: { unit: 'wan', decimals: 0 } } },
        seedContext('mini', 2, '2023-01-03'),
      );
      expect(await database.store.readStream(projectStreamId('mini-project'))).toHaveLength(1);

      const summary = await loadDataset('mini', { commands: bus, store: database.store });
      expect(summary).toEqual({ dataset: 'mini', commands: 5, applied: 2, alreadyPresent: 3, eventsAppended: 3, report: 'published' });
      const project = await database.store.readStream(projectStreamId('mini-project'));
      const receipt = project.find((e) => e.type === 'FundsReceived' && e.data.bondId === 'mini-bond');
      expect(receipt?.data).toMatchObject({ receiptId: bondReceiptId('mini-bond', 'mini'), amount: '6000000.00', source: 'special-bond', assignmentId: 'mini' });
      expect(project.map((e) => e.type)).toEqual(['ProjectRegistered', 'FundsReceived', 'FundsReceived', 'DisbursementRecorded']);
      // And the next run finds everything.
      expect(await loadDataset('mini', { commands: bus, store: database.store })).toMatchObject({ applied: 0, alreadyPresent: 5, eventsAppended: 0 });
    });
  });
});
