import { randomUUID } from 'node:crypto';
import type { EventStore, ExpectedRevision, NewEvent } from '@fundtrail/event-store';
import {
  type BondCommand,
  type BondEvent,
  type BondState,
  DISBURSEMENT_CATEGORIES,
  type DisbursementCategory,
  FUNDING_SOURCES,
  type FundingSource,
  FundingRuleViolation,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
  type RegisteredProject,
  availableBalance,
  decideBond,
  decideProject,
  evolveBond,
  evolveProject,
  initialBondState,
  initialProjectState,
  receiveFundsForAssignment,
  toNewEvents,
  type BondProceedsAssigned,
  type BondKind,
} from '@fundtrail/funding';

/**
 * A realistic, business-valid event log for the crash tests: ~200 projects and a few bond issues,
 * each event decided by the real deciders (so every rule of DESIGN §3 holds), appended through
 * the real PostgresEventStore in interleaved chunks with expected revisions.
 * Deterministic for a given seed (event ids and recording times aside).
 */

/** mulberry32: a small seeded PRNG, so a failing run can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedLog {
  /** Stream id -> its events in order (domain events, not yet stored). */
  streams: Map<string, NewEvent[]>;
  events: number;
  projects: number;
  bonds: number;
}

interface Options {
  seed: number;
  projects: number;
  eventsPerProject: number;
  bonds: number;
}

const ACTORS = [
  { id: 'clerk-zhang', role: 'clerk' },
  { id: 'clerk-li', role: 'clerk' },
  { id: 'officer-wang', role: 'budget-officer' },
];

export function generateLog({ seed, projects, eventsPerProject, bonds }: Options): GeneratedLog {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const fen = (minYuan: number, maxYuan: number) => BigInt(int(minYuan, maxYuan)) * 100n + BigInt(int(0, 99));
  const date = () => `202${int(2, 4)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const streams = new Map<string, NewEvent[]>();
  const push = (streamId: string, decided: { type: string; data: object }[], actor = pick(ACTORS)) => {
    const list = streams.get(streamId) ?? [];
    list.push(
      ...toNewEvents(streamId, decided as { type: string; data: Record<string, unknown> }[], { actor, correlationId: randomUUID(), effectiveDate: date() }),
    );
    streams.set(streamId, list);
  };

  // Bond issues first: their proceeds are assigned to projects along the way.
  const bondStates = new Map<string, { state: BondState; kind: BondKind; assignments: number }>();
  for (let b = 0; b < bonds; b += 1) {
    const bondId = `b${seed}-${b}`;
    const kind = pick(['special', 'general', 'treasury'] as const);
    const command: BondCommand = {
      type: 'IssueBond',
      data: { bondId, name: `2023年第${b + 1}期债券`, kind, amount: fen(500_000_000, 2_000_000_000), issueDate: date() },
    };
    const events = decideBond(command, initialBondState);
    push(`bond-${bondId}`, events, ACTORS[2]);
    bondStates.set(bondId, { state: events.reduce(evolveBond, initialBondState), kind, assignments: 0 });
  }

  let total = [...streams.values()].reduce((n, list) => n + list.length, 0);
  for (let p = 0; p < projects; p += 1) {
    const projectId = `p${seed}-${p}`;
    const streamId = `project-${projectId}`;
    let state: ProjectState = initialProjectState;
    const counters = { a: 0, r: 0, c: 0, d: 0, i: 0 };
    const decide = (command: ProjectCommand): boolean => {
      let events: ProjectEvent[];
      try {
        events = decideProject(command, state);
      } catch (error) {
        if (error instanceof FundingRuleViolation) return false;
        throw error;
      }
      state = events.reduce(evolveProject, state);
      push(streamId, events);
      total += events.length;
      return true;
    };
    decide({
      type: 'RegisterProject',
      data: {
        projectId,
        name: `西山区第${p + 1}号建设项目`,
        department: pick(['区住建局', '区水务局', '区教体局', '区卫健局']),
        category: pick(['drainage', 'school', 'road', 'hospital']),
        ...(random() < 0.8 && { plannedTotal: fen(10_000_000, 900_000_000) }),
        fiscalYear: 2024,
      },
    });
    let produced = 1;
    let guard = 0;
    while (produced < eventsPerProject && guard < eventsPerProject * 20) {
      guard += 1;
      const project = state as RegisteredProject;
      const roll = random();
      let ok = false;
      if (roll < 0.02) {
        ok = decide({ type: 'RevisePlannedTotal', data: { projectId, amount: fen(10_000_000, 900_000_000), reason: '概算调整' } });
      } else if (roll < 0.1) {
        counters.a += 1;
        ok = decide({
          type: 'AllocateFunds',
          data: {
            projectId,
            allocationId: `a${counters.a}`,
            source: pick(FUNDING_SOURCES.filter((s) => s !== 'carry-over')),
            amount: fen(100_000, 50_000_000),
            fiscalYear: int(2022, 2024),
          },
        });
      } else if (roll < 0.3) {
        counters.r += 1;
        const allocations = [...project.allocations.entries()].filter(([, a]) => a.amount > a.received);
        const against = allocations.length > 0 && random() < 0.5 ? pick(allocations) : undefined;
        const source: FundingSource = against ? against[1].source : random() < 0.15 ? 'carry-over' : pick(FUNDING_SOURCES);
        const amount = against ? 1n + BigInt(Math.floor(random() * Number(against[1].amount - against[1].received))) : fen(10_000, 30_000_000);
        ok = decide({ type: 'ReceiveFunds', data: { projectId, receiptId: `r${counters.r}`, source, amount, ...(against && { allocationId: against[0] }) } });
      } else if (roll < 0.36 && bondStates.size > 0) {
        // A bond's proceeds assigned to this project: BondProceedsAssigned on the bond, FundsReceived here.
        const [bondId, bond] = pick([...bondStates.entries()]);
        bond.assignments += 1;
        let bondEvents: BondEvent[];
        try {
          bondEvents = decideBond(
            { type: 'AssignBondProceeds', data: { bondId, projectId, assignmentId: `as${bond.assignments}`, amount: fen(100_000, 20_000_000) } },
            bond.state,
          );
        } catch (error) {
          if (error instanceof FundingRuleViolation) continue;
          throw error;
        }
        bond.state = bondEvents.reduce(evolveBond, bond.state);
        push(`bond-${bondId}`, bondEvents, ACTORS[2]);
        total += bondEvents.length;
        ok = decide(receiveFundsForAssignment(bondEvents[0] as BondProceedsAssigned, bond.kind));
      } else if (roll < 0.42) {
        counters.c += 1;
        ok = decide({
          type: 'SignContract',
          data: { projectId, contractId: `c${counters.c}`, counterparty: '云南某建设工程有限公司', amount: fen(100_000, 80_000_000) },
        });
      } else if (roll < 0.8) {
        const available = availableBalance(project);
        if (available <= 0n) continue;
        counters.d += 1;
        const receipts = [...project.receipts.entries()].filter(([, r]) => r.amount > r.drawn);
        const contracts = [...project.contracts.entries()].filter(([, c]) => c.amount > c.paid);
        const receipt = receipts.length > 0 && random() < 0.5 ? pick(receipts) : undefined;
        const contract = contracts.length > 0 && random() < 0.5 ? pick(contracts) : undefined;
        let cap = available;
        if (receipt && receipt[1].amount - receipt[1].drawn < cap) cap = receipt[1].amount - receipt[1].drawn;
        if (contract && contract[1].amount - contract[1].paid < cap) cap = contract[1].amount - contract[1].paid;
        const amount = 1n + BigInt(Math.floor(random() * Math.min(Number(cap), 5_000_000_00) * 0.6));
        ok = decide({
          type: 'RecordDisbursement',
          data: {
            projectId,
            disbursementId: `d${counters.d}`,
            amount,
            category: pick<DisbursementCategory>(DISBURSEMENT_CATEGORIES),
            ...(receipt && { receiptId: receipt[0] }),
            ...(contract && { contractId: contract[0] }),
            payee: '某供应商',
          },
        });
      } else if (roll < 0.87) {
        const open = [...project.disbursements.entries()].filter(([, d]) => !d.reversed);
        if (open.length === 0) continue;
        ok = decide({ type: 'ReverseDisbursement', data: { projectId, disbursementId: pick(open)[0], reason: '凭证重复录入' } });
      } else if (roll < 0.92) {
        counters.i += 1;
        ok = decide({
          type: 'SetOutputTarget',
          data: { projectId, indicatorId: `i${counters.i}`, name: '完成量', unit: '吨', target: BigInt(int(0, 5_000_000)) * 100n },
        });
      } else {
        const indicators = [...project.indicators.keys()];
        if (indicators.length === 0) continue;
        ok = decide({ type: 'ReportOutput', data: { projectId, indicatorId: pick(indicators), actual: BigInt(int(0, 6_000_000_0)) * 10n } });
      }
      if (ok) produced += 1;
    }
  }
  return { streams, events: total, projects, bonds };
}

/**
 * Appends every stream through the store, interleaving streams in random chunks (1..maxChunk events
 * per append, each with its expected revision), `concurrency` appends at a time.
 */
export async function appendLog(store: EventStore, log: GeneratedLog, options: { seed: number; maxChunk?: number; concurrency?: number }): Promise<void> {
  const random = prng(options.seed ^ 0x5eed);
  const pending = [...log.streams.entries()].map(([streamId, events]) => ({ streamId, events, next: 0 }));
  const busy = new Set<string>();
  const takeChunk = () => {
    const ready = pending.filter((s) => s.next < s.events.length && !busy.has(s.streamId));
    if (ready.length === 0) return undefined;
    const stream = ready[Math.floor(random() * ready.length)];
    const size = 1 + Math.floor(random() * (options.maxChunk ?? 60));
    const expectedRevision: ExpectedRevision = stream.next === 0 ? 'no_stream' : BigInt(stream.next - 1);
    const chunk = stream.events.slice(stream.next, stream.next + size);
    stream.next += chunk.length;
    busy.add(stream.streamId);
    return { stream, chunk, expectedRevision };
  };
  const worker = async () => {
    for (;;) {
      const job = takeChunk();
      if (!job) {
        if (pending.every((s) => s.next >= s.events.length)) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      try {
        await store.append(job.stream.streamId, job.chunk, { expectedRevision: job.expectedRevision });
      } finally {
        busy.delete(job.stream.streamId);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
}
