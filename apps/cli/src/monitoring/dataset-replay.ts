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
import type { MonitoredProject } from '@fundtrail/projections';
import { readDataset, toSeedCommand } from '@fundtrail/reports';

export interface ReplayedDataset {
  projects: MonitoredProject[];
  /** Project names as the data set gives them, by projectId. */
  names: Map<string, string>;
}

/**
 * A data set's commands replayed through the deciders (and the bond process manager), as the seed
 * loader sends them, into project streams in memory: no database, the same events a seeded ledger
 * holds, each effective on its entry's date.
 */
export function replayDataset(name: string): ReplayedDataset {
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
      metadata: { actor: { id: `seed:${name}`, role: 'admin' }, correlationId: 'seed', causationId: 'seed', effectiveDate, schemaVersion: 1 },
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
  // Programme events move no project figure: the programmes only need to exist for the projects' look-up.
  const programmes = new Set<string>();
  readDataset(name).entries.forEach((entry, index) => {
    const seed = toSeedCommand(entry, index);
    if (seed.aggregate === 'programme') return void programmes.add(seed.command.data.programmeId);
    if (seed.aggregate === 'project') {
      const command =
        seed.command.type === 'RegisterProject' && seed.command.data.programmeId !== undefined
          ? { ...seed.command, lookedUp: { programmeRegistered: programmes.has(seed.command.data.programmeId) } }
          : seed.command;
      return onProject(seed.streamId, command, entry.effectiveDate);
    }
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
  const replayed = [...streams]
    .filter(([streamId]) => streamId.startsWith('project-'))
    .map(([streamId, events]) => ({ projectId: streamId.slice('project-'.length), events }));
  const names = new Map(
    replayed.map(({ projectId, events }) => [projectId, String(events.find((event) => event.type === 'ProjectRegistered')?.data.name ?? projectId)]),
  );
  return { projects: replayed, names };
}
