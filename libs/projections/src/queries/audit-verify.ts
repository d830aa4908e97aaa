import type { Pool } from 'pg';
import { canonicalJson, chainHash, type EventStore, GENESIS_HASH, inTransaction, type RecordedEvent } from '@fundtrail/event-store';
import { BOND_PROCEEDS_CHECKPOINT } from '@fundtrail/funding';
import { CrossLinkCheck, type CrossLinkReport } from './cross-links';
import { computeFigures, emptyTerms, FigureEventDataError, foldEvents, foldTerms, type ProjectTerms, termsFromJson, termsToJson } from '../figures';
import { type BondDetails, emptyBondDetails, foldBondDetails } from '../read-models/bond-details';
import { DispositionCheck, type DispositionReport } from '../monitoring/disposition-check';
import { emptyProgrammeDetails, foldProgrammeDetails, type ProgrammeDetails } from '../programmes/programme-details';
import { PROGRAMME_STREAM } from '../programmes/programmes.projector';
import { type ReportSummary, reportSummary } from '../reports/report-summary';

export interface BrokenLink {
  streamId: string;
  streamRevision: string;
  eventId: string;
  globalPosition: string;
  problem: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap' | 'out-of-order' | 'truncated';
  detail: string;
}

export interface FigureDifference {
  projectId: string;
  key: string;
  readModel: string | null | undefined;
  replayed: string | null | undefined;
}

/** A report list row that differs from its ReportPublished event (or one of the two is missing). */
export interface ReportDifference {
  reportId: string;
  readModel?: ReportSummary;
  replayed?: ReportSummary;
}

/** A bond read model that differs from the replay: `key` is amount, assignedTotal, … or assignment:<id>. */
export interface BondDifference {
  bondId: string;
  key: string;
  readModel: string | undefined;
  replayed: string | undefined;
}

/** A programme read model that differs from the replay: `key` is name, parentId, level, region or a figure key. */
export interface ProgrammeDifference {
  programmeId: string;
  key: string;
  readModel: string | null | undefined;
  replayed: string | null | undefined;
}

/** A stored event whose data the figures cannot read (e.g. an amount rewritten into text): left out of the replay. */
export interface UnreadableEvent {
  streamId: string;
  streamRevision: string;
  eventId: string;
  globalPosition: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checkedAt: string;
  events: number;
  streams: number;
  asOfPosition: string;
  hashChains: { ok: boolean; brokenLinks: BrokenLink[] };
  readModels: {
    ok: boolean;
    projects: number;
    differences: FigureDifference[];
    missing: string[];
    unexpected: string[];
    unreadable: UnreadableEvent[];
    /** Bond read models (issued, assigned, per project) against the replay of the bond streams. */
    bonds: number;
    bondDifferences: BondDifference[];
    /** Programme read models (the tree, their own indicators' figures) against the replay of the programme streams. */
    programmes: number;
    programmeDifferences: ProgrammeDifference[];
    /** Report list rows against the replay of the report streams (a whole summary per report that differs). */
    reports: number;
    reportDifferences: ReportDifference[];
  };
  /** Links between streams: every bond assignment against its project receipt, every receipt that names a bond. */
  crossLinks: CrossLinkReport;
  /** Every warning disposition replayed through the disposition workflow (warnings are computed on read). */
  monitoring: DispositionReport;
  /** Each stream's head hash: an auditor keeps these as a digest and checks them later. */
  heads?: Record<string, string>;
}

interface ChainState {
  revision: bigint;
  hash: string;
  position: bigint;
}

/**
 * Recomputes every stream's hash chain from the log, and every project's figures and every bond's
 * details by replaying the log with the projections' folds, comparing them with the read models as
 * of their checkpoints. An event whose data cannot be folded is named (`unreadable`), not thrown.
 * Checks every link between bond and project streams (`crossLinks`).
 * Streams the log in global order: memory grows with the number of streams, not of events.
 */
export async function verifyLog(
  store: EventStore,
  pool: Pool,
  options: { includeHeads?: boolean; maxBrokenLinks?: number; onProgress?: (events: number) => void } = {},
): Promise<VerifyReport> {
  const {
    checkpoint,
    stored,
    bondCheckpoint,
    storedBonds,
    programmeCheckpoint,
    storedProgrammes,
    lastPositions,
    receivedThrough,
    reportCheckpoint,
    storedReports,
  } = await readModelSnapshot(pool);
  const replayedProgrammes = new Map<string, { details: ProgrammeDetails; events: RecordedEvent[] }>();
  const replayedReports = new Map<string, ReportSummary>();
  const crossLinks = new CrossLinkCheck();
  const dispositions = new DispositionCheck();
  const replayedBonds = new Map<string, BondDetails>();
  const chains = new Map<string, ChainState>();
  const brokenStreams = new Set<string>();
  const brokenLinks: BrokenLink[] = [];
  const replayed = new Map<string, ProjectTerms>();
  let events = 0;
  // Events are folded per project in chunks: one map copy per chunk, not per event.
  const pending = new Map<string, RecordedEvent[]>();
  const unreadable: UnreadableEvent[] = [];
  const fold = (projectId: string) => {
    const buffer = pending.get(projectId);
    if (!buffer?.length) return;
    try {
      replayed.set(projectId, foldEvents(buffer, replayed.get(projectId) ?? emptyTerms()));
    } catch (error) {
      if (!(error instanceof FigureEventDataError)) throw error;
      // A tampered event whose data no longer reads as an amount must be reported, not crash the
      // audit: fold the chunk event by event and leave out (and name) what cannot be read.
      let terms = replayed.get(projectId) ?? emptyTerms();
      for (const event of buffer) {
        try {
          terms = foldTerms(terms, event);
        } catch (eventError) {
          if (!(eventError instanceof FigureEventDataError)) throw eventError;
          unreadable.push({
            streamId: event.streamId,
            streamRevision: event.streamRevision.toString(),
            eventId: event.eventId,
            globalPosition: event.globalPosition.toString(),
            detail: eventError.message,
          });
        }
      }
      replayed.set(projectId, terms);
    }
    pending.set(projectId, []);
  };
  const report = (event: RecordedEvent, problem: BrokenLink['problem'], detail: string) => {
    if (brokenStreams.has(event.streamId)) return; // the first broken link of a stream is the one that matters
    brokenStreams.add(event.streamId);
    if (brokenLinks.length < (options.maxBrokenLinks ?? 1000)) {
      brokenLinks.push({
        streamId: event.streamId,
        streamRevision: event.streamRevision.toString(),
        eventId: event.eventId,
        globalPosition: event.globalPosition.toString(),
        problem,
        detail,
      });
    }
  };

  for await (const event of store.readAll({ batchSize: 5000 })) {
    events += 1;
    if (options.onProgress && events % 50_000 === 0) options.onProgress(events);
    const previous = chains.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1n : 0n;
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (event.streamRevision !== expectedRevision) {
      report(
        event,
        previous && event.streamRevision <= previous.revision ? 'out-of-order' : 'revision-gap',
        `revision ${event.streamRevision} where ${expectedRevision} was expected`,
      );
    } else if (event.prevHash !== expectedPrev) {
      report(event, 'prev-hash-mismatch', 'prevHash does not equal the previous event hash');
    } else if (chainHash(event.prevHash, event) !== event.hash) {
      report(event, 'hash-mismatch', 'the event content does not match its hash: it was changed after it was written');
    }
    chains.set(event.streamId, { revision: event.streamRevision, hash: event.hash, position: event.globalPosition });
    crossLinks.observe(event);
    dispositions.observe(event);

    if (event.globalPosition <= reportCheckpoint) {
      const summary = reportSummary(event);
      if (summary && !replayedReports.has(summary.reportId)) replayedReports.set(summary.reportId, summary);
    }
    if (event.globalPosition <= bondCheckpoint && event.streamId.startsWith('bond-')) {
      const bondId = event.streamId.slice('bond-'.length);
      try {
        replayedBonds.set(bondId, foldBondDetails(replayedBonds.get(bondId) ?? emptyBondDetails(bondId), event));
      } catch (error) {
        unreadable.push({
          streamId: event.streamId,
          streamRevision: event.streamRevision.toString(),
          eventId: event.eventId,
          globalPosition: event.globalPosition.toString(),
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (event.globalPosition <= programmeCheckpoint && event.streamId.startsWith(PROGRAMME_STREAM)) {
      const programmeId = event.streamId.slice(PROGRAMME_STREAM.length);
      const replay = replayedProgrammes.get(programmeId) ?? { details: emptyProgrammeDetails(programmeId), events: [] };
      replay.details = foldProgrammeDetails(replay.details, event);
      replay.events.push(event);
      replayedProgrammes.set(programmeId, replay);
    }
    if (event.globalPosition <= checkpoint && event.streamId.startsWith('project-')) {
      const projectId = event.streamId.slice('project-'.length);
      const buffer = pending.get(projectId);
      if (buffer) buffer.push(event);
      else pending.set(projectId, [event]);
      if ((buffer?.length ?? 1) >= 512) fold(projectId);
    }
  }
  for (const projectId of pending.keys()) fold(projectId);
  options.onProgress?.(events);

  const differences: FigureDifference[] = [];
  const missing: string[] = [];
  for (const [projectId, terms] of replayed) {
    const storedTerms = stored.get(projectId);
    if (!storedTerms) {
      missing.push(projectId);
      continue;
    }
    // Figures are a function of the terms and the position: equal terms cannot differ in a figure.
    if (sameTerms(terms, storedTerms)) continue;
    const fromLog = new Map(computeFigures(terms, checkpoint).map((f) => [f.key, f.value]));
    const fromReadModel = new Map(computeFigures(storedTerms, checkpoint).map((f) => [f.key, f.value]));
    for (const key of new Set([...fromLog.keys(), ...fromReadModel.keys()])) {
      if (fromLog.get(key) !== fromReadModel.get(key)) {
        differences.push({ projectId, key, readModel: fromReadModel.get(key), replayed: fromLog.get(key) });
      }
    }
  }
  const unexpected = [...stored.keys()].filter((projectId) => !replayed.has(projectId));
  const bondDifferences: BondDifference[] = [];
  for (const bondId of new Set([...replayedBonds.keys(), ...storedBonds.keys()])) {
    const fromLog = bondFields(replayedBonds.get(bondId));
    const fromReadModel = bondFields(storedBonds.get(bondId));
    for (const key of new Set([...fromLog.keys(), ...fromReadModel.keys()])) {
      if (fromLog.get(key) !== fromReadModel.get(key)) bondDifferences.push({ bondId, key, readModel: fromReadModel.get(key), replayed: fromLog.get(key) });
    }
  }
  const programmeDifferences: ProgrammeDifference[] = [];
  for (const programmeId of new Set([...replayedProgrammes.keys(), ...storedProgrammes.keys()])) {
    const replay = replayedProgrammes.get(programmeId);
    const fromLog = programmeFields(replay?.details, replay ? foldEvents(replay.events) : undefined, programmeCheckpoint);
    const row = storedProgrammes.get(programmeId);
    const fromReadModel = programmeFields(row?.details, row?.terms, programmeCheckpoint);
    for (const key of new Set([...fromLog.keys(), ...fromReadModel.keys()])) {
      if (fromLog.get(key) !== fromReadModel.get(key)) {
        programmeDifferences.push({ programmeId, key, readModel: fromReadModel.get(key), replayed: fromLog.get(key) });
      }
    }
  }
  const reportDifferences: ReportDifference[] = [];
  for (const reportId of new Set([...replayedReports.keys(), ...storedReports.keys()])) {
    const [readModel, replayedSummary] = [storedReports.get(reportId), replayedReports.get(reportId)];
    if ((readModel && canonicalJson(readModel)) !== (replayedSummary && canonicalJson(replayedSummary))) {
      reportDifferences.push({ reportId, ...(readModel && { readModel }), ...(replayedSummary && { replayed: replayedSummary }) });
    }
  }
  // A stream's newest events leave no broken link behind when deleted; the read models witness them:
  // each row remembers the position of the last event it applied, which the log must still hold.
  for (const [streamId, lastPosition] of lastPositions) {
    const chain = chains.get(streamId);
    if (chain && chain.position >= lastPosition) continue;
    if (brokenStreams.has(streamId) || brokenLinks.length >= (options.maxBrokenLinks ?? 1000)) continue;
    brokenStreams.add(streamId);
    const revision = chain ? chain.revision + 1n : 0n;
    brokenLinks.push({
      streamId,
      streamRevision: revision.toString(),
      eventId: '',
      globalPosition: lastPosition.toString(),
      problem: 'truncated',
      detail: `the read models applied this stream up to position ${lastPosition}, but the log ends ${chain ? `at revision ${chain.revision} (position ${chain.position})` : 'before its first event'}: revision ${revision} onwards was removed`,
    });
  }
  const readModelsOk =
    differences.length === 0 &&
    missing.length === 0 &&
    unexpected.length === 0 &&
    unreadable.length === 0 &&
    bondDifferences.length === 0 &&
    programmeDifferences.length === 0 &&
    reportDifferences.length === 0;
  const chainsOk = brokenLinks.length === 0;
  const links = crossLinks.report(receivedThrough, options.maxBrokenLinks ?? 1000);
  const monitoring = dispositions.report(options.maxBrokenLinks ?? 1000);
  return {
    ok: chainsOk && readModelsOk && links.ok && monitoring.ok,
    checkedAt: new Date().toISOString(),
    events,
    streams: chains.size,
    asOfPosition: checkpoint.toString(),
    hashChains: { ok: chainsOk, brokenLinks },
    readModels: {
      ok: readModelsOk,
      projects: stored.size,
      differences,
      missing,
      unexpected,
      unreadable,
      bonds: storedBonds.size,
      bondDifferences,
      programmes: storedProgrammes.size,
      programmeDifferences,
      reports: storedReports.size,
      reportDifferences,
    },
    crossLinks: links,
    monitoring,
    ...(options.includeHeads ? { heads: Object.fromEntries([...chains].map(([stream, state]) => [stream, state.hash])) } : {}),
  };
}

/** Whether two projects' terms hold the same figures with the same terms (their stored form is sorted, so it compares). */
function sameTerms(a: ProjectTerms, b: ProjectTerms): boolean {
  return a.figures.size === b.figures.size && canonicalJson(termsToJson(a)) === canonicalJson(termsToJson(b));
}

/** What a bond read model states, field by field (a missing bond states nothing). */
function bondFields(details: BondDetails | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  if (!details) return fields;
  for (const key of ['name', 'kind', 'amount', 'issueDate', 'termYears', 'couponRate', 'assignedTotal'] as const) {
    if (details[key] !== undefined) fields.set(key, String(details[key]));
  }
  for (const [assignmentId, assignment] of Object.entries(details.assignments ?? {})) {
    fields.set(`assignment:${assignmentId}`, `${assignment.projectId} ${assignment.amount}`);
  }
  return fields;
}

/** What a programme read model states: its place in the tree and its own indicators' figures (a missing one states nothing). */
function programmeFields(details: ProgrammeDetails | undefined, terms: ProjectTerms | undefined, position: bigint): Map<string, string | null> {
  const fields = new Map<string, string | null>();
  if (details) {
    for (const key of ['name', 'parentId', 'level', 'region'] as const) if (details[key] !== undefined) fields.set(key, details[key]);
  }
  if (terms) for (const figure of computeFigures(terms, position)) fields.set(figure.key, figure.value);
  return fields;
}

/** The read models and their checkpoints, read in one snapshot so they agree with each other. */
async function readModelSnapshot(pool: Pool): Promise<{
  checkpoint: bigint;
  stored: Map<string, ProjectTerms>;
  bondCheckpoint: bigint;
  storedBonds: Map<string, BondDetails>;
  programmeCheckpoint: bigint;
  storedProgrammes: Map<string, { details: ProgrammeDetails; terms: ProjectTerms }>;
  lastPositions: Map<string, bigint>;
  receivedThrough: bigint;
  reportCheckpoint: bigint;
  storedReports: Map<string, ReportSummary>;
}> {
  return inTransaction(
    pool,
    async (client) => {
      const { rows: cp } = await client.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projector = 'project-figures'");
      const { rows } = await client.query<{ project_id: string; terms: unknown; last_position: string }>(
        'SELECT project_id, terms, last_position FROM project_read_models',
      );
      const { rows: bondCp } = await client.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projector = 'bonds'");
      const { rows: bonds } = await client.query<{ bond_id: string; details: BondDetails; last_position: string }>(
        'SELECT bond_id, details, last_position FROM bond_read_models',
      );
      const { rows: programmeCp } = await client.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projector = 'programmes'");
      const { rows: programmes } = await client.query<{ programme_id: string; details: ProgrammeDetails; terms: unknown; last_position: string }>(
        'SELECT programme_id, details, terms, last_position FROM programme_read_models',
      );
      const { rows: received } = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [
        BOND_PROCEEDS_CHECKPOINT,
      ]);
      const { rows: reportCp } = await client.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projector = 'reports'");
      const { rows: reports } = await client.query<{ report_id: string; summary: ReportSummary }>('SELECT report_id, summary FROM report_read_models');
      return {
        checkpoint: BigInt(cp[0]?.position ?? 0),
        stored: new Map(rows.map((row) => [row.project_id, termsFromJson(row.terms) as ProjectTerms])),
        bondCheckpoint: BigInt(bondCp[0]?.position ?? 0),
        receivedThrough: BigInt(received[0]?.position ?? 0),
        storedBonds: new Map(bonds.map((row) => [row.bond_id, row.details])),
        programmeCheckpoint: BigInt(programmeCp[0]?.position ?? 0),
        storedProgrammes: new Map(programmes.map((row) => [row.programme_id, { details: row.details, terms: termsFromJson(row.terms) as ProjectTerms }])),
        reportCheckpoint: BigInt(reportCp[0]?.position ?? 0),
        storedReports: new Map(reports.map((row) => [row.report_id, row.summary])),
        lastPositions: new Map([
          ...rows.map((row) => [`project-${row.project_id}`, BigInt(row.last_position)] as const),
          ...bonds.map((row) => [`bond-${row.bond_id}`, BigInt(row.last_position)] as const),
          ...programmes.map((row) => [`${PROGRAMME_STREAM}${row.programme_id}`, BigInt(row.last_position)] as const),
        ]),
      };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}
