import { randomUUID } from 'node:crypto';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { bondReceiptId } from '@fundtrail/funding';
import { type ApiHarness, startApi } from '../support/api-harness';

/** A process that died between appending an assignment and the project's receipt: the safety net receives it. */
describe('bond proceeds safety net', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api.close());

  it('an assignment without its receipt in the log is received once, within seconds', async () => {
    const officer = `Bearer ${api.token('budget-officer')}`;
    await api.http.post('/api/projects').set('Authorization', officer).send({ projectId: 'p1', name: 'p', department: 'd', category: 'c' }).expect(201);
    const issued = await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'b1', name: 'bond', kind: 'special', amount: '100.00', issueDate: '2023-01-01' })
      .expect(201);
    const database = api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE);
    // What the handler would have appended before dying: the assignment, and no receipt.
    await database.store.append(
      'bond-b1',
      [
        {
          eventId: randomUUID(),
          type: 'BondProceedsAssigned',
          data: { bondId: 'b1', assignmentId: 'a1', projectId: 'p1', amount: '60.00' },
          metadata: {
            actor: { id: 'officer', role: 'budget-officer' },
            correlationId: 'c',
            causationId: 'c',
            effectiveDate: '2024-01-01',
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: BigInt(issued.body.streamRevision) },
    );
    const deadline = Date.now() + 20_000;
    let receipts: { type: string; data: Record<string, unknown> }[] = [];
    while (Date.now() < deadline) {
      receipts = (await database.store.readStream('project-p1')).filter((e) => e.type === 'FundsReceived');
      if (receipts.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(receipts).toHaveLength(1);
    expect(receipts[0].data).toMatchObject({ receiptId: bondReceiptId('b1', 'a1'), source: 'special-bond', amount: '60.00', bondId: 'b1', assignmentId: 'a1' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await database.store.readStream('project-p1')).filter((e) => e.type === 'FundsReceived')).toHaveLength(1);
  }, 40_000);

  it('a reversed assignment whose receipt was not reversed yet: the safety net reverses it once', async () => {
    const officer = `Bearer ${api.token('budget-officer')}`;
    const database = api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE);
    await api.http.post('/api/bonds/b1/assignments').set('Authorization', officer).send({ assignmentId: 'a2', projectId: 'p1', amount: '30.00' }).expect(201);
    const [bond] = await database.store.readStream('bond-b1', { direction: 'backwards', maxCount: 1 });
    // What the reversal handler would have appended before dying: the bond's side only.
    await database.store.append(
      'bond-b1',
      [
        {
          eventId: randomUUID(),
          type: 'BondAssignmentReversed',
          data: { bondId: 'b1', assignmentId: 'a2', projectId: 'p1', amount: '30.00', reason: 'wrong project' },
          metadata: { actor: { id: 'officer', role: 'budget-officer' }, correlationId: 'c2', causationId: 'c2', effectiveDate: '2024-02-01', schemaVersion: 1 },
        },
      ],
      { expectedRevision: bond.streamRevision },
    );
    const reversals = async () => (await database.store.readStream('project-p1')).filter((e) => e.type === 'ReceiptReversed');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await reversals()).length === 0) await new Promise((r) => setTimeout(r, 250));
    const found = await reversals();
    expect(found).toHaveLength(1);
    expect(found[0].data).toMatchObject({ receiptId: bondReceiptId('b1', 'a2'), amount: '30.00', bondId: 'b1', assignmentId: 'a2', reason: 'wrong project' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await reversals()).toHaveLength(1);
  }, 40_000);
});
