import type { RecordedEvent } from '@fundtrail/event-store';
import { bondReceiptId } from '@fundtrail/funding';
import { CrossLinkCheck } from './cross-links';

let position = 0n;
const revisions = new Map<string, bigint>();
/** A stored event as the log would hand it over, in global order. */
function stored(streamId: string, type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1n;
  const revision = revisions.get(streamId) ?? 0n;
  revisions.set(streamId, revision + 1n);
  return {
    eventId: `e${position}`,
    type,
    streamId,
    streamRevision: revision,
    globalPosition: position,
    recordedAt: new Date(0),
    data,
    metadata: { actor: { id: 'a', role: 'admin' }, correlationId: 'c', causationId: 'c', effectiveDate: '2024-01-01', schemaVersion: 1 },
    hash: '',
    prevHash: '',
  };
}

const issued = (bondId: string, kind = 'special') =>
  stored(`bond-${bondId}`, 'BondIssued', { bondId, name: 'b', kind, amount: '1000.00', issueDate: '2024-01-01' });
const registered = (projectId: string) => stored(`project-${projectId}`, 'ProjectRegistered', { projectId, name: 'p', department: 'd', category: 'c' });
const assigned = (bondId: string, assignmentId: string, projectId: string, amount: string) =>
  stored(`bond-${bondId}`, 'BondProceedsAssigned', { bondId, assignmentId, projectId, amount });
const receipt = (projectId: string, data: Record<string, unknown>) => stored(`project-${projectId}`, 'FundsReceived', { projectId, ...data });
const ownReceipt = (bondId: string, assignmentId: string, projectId: string, amount: string, source = 'special-bond') =>
  receipt(projectId, { receiptId: bondReceiptId(bondId, assignmentId), source, amount, bondId, assignmentId });

function check(events: RecordedEvent[]): CrossLinkCheck {
  const links = new CrossLinkCheck();
  for (const event of events) links.observe(event);
  return links;
}

describe('CrossLinkCheck', () => {
  it('finds nothing wrong when every assignment has its receipt and no receipt names a bond otherwise', () => {
    const events = [
      registered('p1'),
      issued('b1'),
      assigned('b1', 'a1', 'p1', '100.00'),
      ownReceipt('b1', 'a1', 'p1', '100.00'),
      receipt('p1', { receiptId: 'bond-2024', source: 'special-bond', amount: '5.00' }),
      receipt('p1', { receiptId: 'r-1', source: 'district-budget', amount: '5.00' }),
    ];
    expect(check(events).report(position)).toEqual({ ok: true, assignments: 1, bondReceipts: 1, broken: [], pending: [] });
  });

  it('names each kind of broken link, at the event that holds the reference', () => {
    const squat = receipt('p1', { receiptId: bondReceiptId('b1', 'a-taken'), source: 'self-raised', amount: '1.00' });
    const taken = assigned('b1', 'a-taken', 'p1', '10.00');
    const orphan = assigned('b1', 'a-orphan', 'p-nowhere', '10.00');
    const noReceipt = assigned('b1', 'a-none', 'p1', '10.00');
    const differs = assigned('b2', 'a-differs', 'p1', '10.00');
    const differsReceipt = ownReceipt('b2', 'a-differs', 'p1', '10.01', 'special-bond');
    const ghost = receipt('p1', { receiptId: 'r-ghost', source: 'special-bond', amount: '1.00', bondId: 'b-never' });
    const unassigned = receipt('p1', { receiptId: 'r-unassigned', source: 'special-bond', amount: '1.00', bondId: 'b1' });
    const headless = stored('bond-b-never-issued', 'BondProceedsAssigned', { bondId: 'b-never-issued', assignmentId: 'x', projectId: 'p1', amount: '1.00' });
    const report = check([
      registered('p1'),
      issued('b1'),
      issued('b2', 'general'),
      squat,
      taken,
      orphan,
      noReceipt,
      differs,
      differsReceipt,
      ghost,
      unassigned,
      headless,
    ]).report(position);
    expect(report.ok).toBe(false);
    expect(report.pending).toEqual([]);
    expect(report.broken.map((l) => [l.problem, l.eventId])).toEqual([
      ['receipt-id-taken', taken.eventId],
      ['receipt-missing', orphan.eventId],
      ['receipt-missing', noReceipt.eventId],
      ['receipt-differs', differs.eventId],
      ['unknown-bond', headless.eventId],
      ['unknown-bond', ghost.eventId],
      ['no-assignment', unassigned.eventId],
    ]);
    const [takenLink, orphanLink, noReceiptLink, differsLink] = report.broken;
    expect(takenLink).toEqual({
      problem: 'receipt-id-taken',
      streamId: 'bond-b1',
      eventId: taken.eventId,
      globalPosition: taken.globalPosition.toString(),
      projectId: 'p1',
      bondId: 'b1',
      assignmentId: 'a-taken',
      receiptId: bondReceiptId('b1', 'a-taken'),
      detail: expect.stringContaining(`event ${squat.eventId}`),
    });
    expect(orphanLink.detail).toContain('project p-nowhere is not registered');
    expect(noReceiptLink.detail).toContain(`project p1 holds no receipt ${bondReceiptId('b1', 'a-none')}`);
    expect(differsLink.detail).toMatch(/amount 10\.01 where the assignment has 10\.00 and source special-bond where a general bond gives general-bond/);
  });

  it('counts an assignment beyond the bond process checkpoint as pending, not broken', () => {
    const before = assigned('b3', 'a-before', 'p3', '1.00');
    const after = assigned('b3', 'a-after', 'p3', '1.00');
    const report = check([registered('p3'), issued('b3'), before, after]).report(before.globalPosition);
    expect(report.broken.map((l) => [l.problem, l.assignmentId])).toEqual([['receipt-missing', 'a-before']]);
    expect(report.pending.map((l) => [l.problem, l.assignmentId])).toEqual([['receipt-pending', 'a-after']]);
  });

  it('reads a tampered amount as a difference, not a crash', () => {
    const assignment = assigned('b4', 'a1', 'p4', '1.00');
    const report = check([registered('p4'), issued('b4'), assignment, ownReceipt('b4', 'a1', 'p4', 'one yuan')]).report(position);
    expect(report.broken.map((l) => l.problem)).toEqual(['receipt-differs']);
  });

  describe('reversed assignments', () => {
    const reversedAssignment = (bondId: string, assignmentId: string, projectId: string, amount: string) =>
      stored(`bond-${bondId}`, 'BondAssignmentReversed', { bondId, assignmentId, projectId, amount, reason: 'wrong project' });
    const receiptReversed = (bondId: string, assignmentId: string, projectId: string, amount: string) =>
      stored(`project-${projectId}`, 'ReceiptReversed', {
        projectId,
        receiptId: bondReceiptId(bondId, assignmentId),
        reason: 'wrong project',
        amount,
        source: 'special-bond',
        bondId,
        assignmentId,
      });

    it('an assignment and its receipt reversed together, or an assignment reversed before its receipt arrived: nothing wrong', () => {
      const events = [
        registered('r1'),
        issued('rb'),
        assigned('rb', 'x1', 'r1', '10.00'),
        ownReceipt('rb', 'x1', 'r1', '10.00'),
        reversedAssignment('rb', 'x1', 'r1', '10.00'),
        receiptReversed('rb', 'x1', 'r1', '10.00'),
        assigned('rb', 'x2', 'r1', '5.00'),
        reversedAssignment('rb', 'x2', 'r1', '5.00'),
      ];
      expect(check(events).report(position)).toMatchObject({ ok: true, broken: [], pending: [] });
    });

    it('a reversed assignment whose receipt still counts is broken once the bond process passed it, pending before', () => {
      const reversal = reversedAssignment('rc', 'y1', 'r2', '10.00');
      const events = [registered('r2'), issued('rc'), assigned('rc', 'y1', 'r2', '10.00'), ownReceipt('rc', 'y1', 'r2', '10.00'), reversal];
      const passed = check(events).report(position);
      expect(passed.broken.map((l) => [l.problem, l.assignmentId])).toEqual([['receipt-not-reversed', 'y1']]);
      const before = check(events).report(reversal.globalPosition - 1n);
      expect(before).toMatchObject({ ok: true, broken: [] });
      expect(before.pending.map((l) => l.problem)).toEqual(['receipt-reversal-pending']);
    });

    it('a receipt reversed while its assignment stands is broken', () => {
      const events = [
        registered('r3'),
        issued('rd'),
        assigned('rd', 'z1', 'r3', '10.00'),
        ownReceipt('rd', 'z1', 'r3', '10.00'),
        receiptReversed('rd', 'z1', 'r3', '10.00'),
      ];
      expect(
        check(events)
          .report(position)
          .broken.map((l) => l.problem),
      ).toEqual(['receipt-reversed-alone']);
    });
  });
});
