/**
 * The default monitoring rules against the xishan-2024 data, with no database: the seed's commands
 * replayed through the deciders (and the bond process manager), as the seed loader sends them.
 * Pins which projects the default rules warn of on the report's 截至 date, 2024-08-31.
 */
import assert from 'node:assert/strict';
import type { RecordedEvent } from '@fundtrail/event-store';
import {
  type BondState,
  decideBond,
  decideProject,
  evolveBond,
  evolveProject,
  initialBondState,
  initialProjectState,
  type ProjectState,
  projectStreamId,
  receiveFundsForAssignment,
} from '@fundtrail/funding';
import { evaluateDefaultRules, type MonitoredProject } from '@fundtrail/projections';
import { readDataset, toSeedCommand } from '@fundtrail/reports';

function replay(): MonitoredProject[] {
  const streams = new Map<string, RecordedEvent[]>();
  let position = 0n;
  const record = (streamId: string, event: { type: string; data: object }, effectiveDate: string) => {
    const stream = streams.get(streamId) ?? [];
    streams.set(streamId, stream);
    position += 1n;
    stream.push({
      eventId: `${streamId}-${stream.length}`,
      type: event.type,
      streamId,
      streamRevision: BigInt(stream.length),
      globalPosition: position,
      recordedAt: new Date(Date.UTC(2024, 8, 1) + Number(position)),
      data: event.data as Record<string, unknown>,
      metadata: { actor: { id: 'seed:xishan-2024', role: 'admin' }, correlationId: 'seed', causationId: 'seed', effectiveDate, schemaVersion: 1 },
      hash: '',
      prevHash: '',
    });
  };
  const projects = new Map<string, ProjectState>();
  const bonds = new Map<string, BondState>();
  const onProject = (streamId: string, command: Parameters<typeof decideProject>[0], effectiveDate: string) => {
    const state = projects.get(streamId) ?? initialProjectState;
    const events = decideProject(command, state);
    projects.set(streamId, events.reduce(evolveProject, state));
    for (const event of events) record(streamId, event, effectiveDate);
  };
  readDataset('xishan-2024').entries.forEach((entry, index) => {
    const seed = toSeedCommand(entry, index);
    if (seed.aggregate === 'project') return onProject(seed.streamId, seed.command, entry.effectiveDate);
    const state = bonds.get(seed.streamId) ?? initialBondState;
    const events = decideBond(seed.command, state);
    const bond = events.reduce(evolveBond, state);
    bonds.set(seed.streamId, bond);
    for (const event of events) {
      record(seed.streamId, event, entry.effectiveDate);
      if (event.type === 'BondProceedsAssigned' && bond.status === 'issued') {
        const receipt = receiveFundsForAssignment(event, bond.kind);
        onProject(projectStreamId(receipt.data.projectId), receipt, entry.effectiveDate);
      }
    }
  });
  return [...streams]
    .filter(([streamId]) => streamId.startsWith('project-'))
    .map(([streamId, events]) => ({ projectId: streamId.slice('project-'.length), events }));
}

describe('the default monitoring rules on the xishan-2024 data', () => {
  const projects = replay();

  it('covers all eleven projects', () => {
    assert.equal(projects.length, 11);
  });

  it('warns of two lags as of 2024-08-31', () => {
    const warnings = evaluateDefaultRules(projects, '2024-08-31');
    assert.deepStrictEqual(
      warnings.map(({ projectId, ruleId, subject, raisedAsOf, figure, value, threshold }) => ({ projectId, ruleId, subject, raisedAsOf, figure, value, threshold })),
      [
        {
          // 20个子项目中有5个项目已经完成竣工验收 (截止2024年8月31日): 5 / 20 = 25.00%. The project's
          // fiscal year 2023 is over: 100% elapsed, less 25 points = 75.00. Known from the report's date on.
          projectId: 'provincial-new-infrastructure-2023-batch1',
          ruleId: 'output-schedule',
          subject: 'indicator/subprojects-accepted/2023',
          raisedAsOf: '2024-08-31',
          figure: 'output_completion:subprojects-accepted',
          value: '25.00',
          threshold: '75.00',
        },
        {
          // 10,269万元 received in 2023, 3,080.7万元 paid by August 2024: 30.00% < 50% by 30 June (and
          // 0% on 30 June itself: the payment is dated on the report's 截至 date).
          projectId: 'xishan-gas-pipeline-renewal-2022',
          ruleId: 'execution-schedule',
          subject: 'checkpoint/2024-06-30',
          raisedAsOf: '2024-06-30',
          figure: 'execution_rate',
          value: '30.00',
          threshold: '50.00',
        },
      ],
    );
  });
});
