import { randomUUID } from 'node:crypto';
import type { AppendResult, ExpectedRevision, NewEvent } from '@fundtrail/event-store';
import {
  type BondEvent,
  type BondKind,
  type BondState,
  bondStreamId,
  type CommandContext,
  decideBond,
  decideProject,
  DISBURSEMENT_CATEGORIES,
  evolveBond,
  evolveProject,
  type FundingSource,
  initialBondState,
  initialProjectState,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
  projectStreamId,
  receiveFundsForAssignment,
  type RegisteredProject,
  toNewEvents,
} from '@fundtrail/funding';
import { seededRandom } from './stats';

/**
 * Realistic synthetic funding data: many projects, each registered with a planned total, given
 * allocations and receipts from several sources (some from special bonds through the bond
 * process), contracts, output targets, and many disbursements (some reversed). Every event is
 * produced by the product's own deciders from commands, so the log is one the product could
 * have written; only the transport differs (many events per append, straight to the store).
 */

export interface LoadPlan {
  /** Stop starting new projects once this many events are planned. */
  targetEvents: number;
  /** Mean disbursements per ordinary project (uniform in 0.3..1.7 × mean). */
  meanDisbursements: number;
  /** Projects in flight at once per appender: their events interleave in the log. */
  window: number;
  /** Concurrent appenders (each its own share of projects and bonds). */
  appenders: number;
  /** Events per append (per transaction), drawn uniformly from this range. */
  chunk: [number, number];
  /** The project whose disbursed_total has exactly this many contributing events (trace.10k). */
  traceDisbursements: number;
  seed: number;
  /** Put before every project and bond id: a later load into the same log (bench:growth's steps) then names its own. */
  idPrefix?: string;
}

export const TRACE_PROJECT_ID = 'trace-10k';

export interface LoadResult {
  events: number;
  appends: number;
  seconds: number;
  projects: string[];
  bonds: number;
  traceProjectId: string;
  skippedCommands: number;
}

/** What the loader writes through: PostgresEventStore in the harness, a recorder in the test. */
export interface AppendTarget {
  append(streamId: string, events: NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
}

const DEPARTMENTS = ['区住房和城乡建设局', '区交通运输局', '区水务局', '区教育体育局', '区卫生健康局', '区农业农村局', '区城市管理局'];
const KINDS = [
  ['道路改造工程', '市政基础设施'],
  ['排水管网建设项目', '市政基础设施'],
  ['中小学校舍改扩建', '教育'],
  ['社区卫生服务中心建设', '卫生健康'],
  ['高标准农田建设', '农业农村'],
  ['老旧小区改造', '保障性安居工程'],
  ['污水处理厂提标改造', '生态环保'],
] as const;
const ALLOCATION_SOURCES: FundingSource[] = ['district-budget', 'provincial-subsidy', 'central-subsidy', 'municipal-subsidy'];

const yuan = (n: number): bigint => BigInt(Math.round(n)) * 100n;

/** Two decimals of fen randomness on top of whole yuan, so amounts are not all round. */
function fenAmount(random: () => number, yuanAmount: number): bigint {
  return yuan(yuanAmount) + BigInt(Math.floor(random() * 100));
}

function isoDate(random: () => number, fromMonth = 0): string {
  const month = Math.min(11, fromMonth + Math.floor(random() * (12 - fromMonth)));
  const day = 1 + Math.floor(random() * 28);
  return `2024-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A bond issue shared by a group of projects; its assignments go to its own stream. */
class BondScript {
  state: BondState = initialBondState;
  revision = -1n;
  readonly streamId: string;
  /** The BondIssued event, to be stored before any assignment. */
  readonly issued: BondEvent[];
  constructor(
    readonly bondId: string,
    readonly kind: BondKind,
    readonly amount: bigint,
    name: string,
  ) {
    this.streamId = bondStreamId(bondId);
    this.issued = this.decide({ type: 'IssueBond', data: { bondId, name, kind, amount, issueDate: '2024-03-15', termYears: 10, couponRate: '2.38' } });
  }

  decide(command: Parameters<typeof decideBond>[0]): BondEvent[] {
    const events = decideBond(command, this.state);
    for (const event of events) this.state = evolveBond(this.state, event);
    return events;
  }
}

interface Step {
  project: ProjectEvent[];
  /** Events for a bond stream that must be stored before `project` (an assignment). */
  bond?: { script: BondScript; events: BondEvent[] };
  context: CommandContext;
}

/** One project's life as commands, decided one by one against its own state. */
export class ProjectScript {
  state: ProjectState = initialProjectState;
  revision = -1n;
  readonly streamId: string;
  private readonly setup: Array<ProjectCommand | { bond: BondScript; amount: bigint }> = [];
  private disbursementsLeft: number;
  private disbursed = 0;
  private readonly recorded: string[] = [];
  private indicatorIds: string[] = [];
  private reported = false;
  private readonly averageDisbursement: bigint;
  skipped = 0;
  private readonly reversals: boolean;

  constructor(
    readonly projectId: string,
    private readonly random: () => number,
    options: { disbursements: number; bond?: BondScript; simple?: boolean },
  ) {
    this.reversals = !options.simple;
    this.streamId = projectStreamId(projectId);
    this.disbursementsLeft = options.disbursements;
    const [kindName, category] = KINDS[Math.floor(random() * KINDS.length)];
    const planned = 5_000_000 + Math.floor(random() * 495_000_000);
    this.setup.push({
      type: 'RegisterProject',
      data: {
        projectId,
        name: `西山区${projectId}${kindName}`,
        department: DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)],
        category,
        plannedTotal: yuan(planned),
        fiscalYear: 2024,
      },
    });
    let receivedPlan = 0n;
    if (options.simple) {
      for (const [i, source] of (['central-subsidy', 'district-budget'] as const).entries()) {
        this.setup.push({ type: 'ReceiveFunds', data: { projectId, receiptId: `r${i + 1}`, source, amount: yuan(planned), fiscalYear: 2024 } });
        receivedPlan += yuan(planned);
      }
    } else {
      const allocations = 1 + Math.floor(random() * 3);
      for (let i = 0; i < allocations; i += 1) {
        const amount = fenAmount(random, (planned * (0.2 + random() * 0.3)) / allocations);
        const allocationId = `a${i + 1}`;
        const source = ALLOCATION_SOURCES[Math.floor(random() * ALLOCATION_SOURCES.length)];
        this.setup.push({
          type: 'AllocateFunds',
          data: { projectId, allocationId, source, amount, fiscalYear: 2024, documentRef: `西财预〔2024〕${100 + i}号` },
        });
        // Received in one or two parts, never beyond the allocation.
        const first = (amount * BigInt(50 + Math.floor(random() * 50))) / 100n;
        this.setup.push({ type: 'ReceiveFunds', data: { projectId, receiptId: `r-${allocationId}-1`, source, amount: first, allocationId, fiscalYear: 2024 } });
        receivedPlan += first;
        if (random() < 0.5 && amount - first > 0n) {
          this.setup.push({
            type: 'ReceiveFunds',
            data: { projectId, receiptId: `r-${allocationId}-2`, source, amount: amount - first, allocationId, fiscalYear: 2024 },
          });
          receivedPlan += amount - first;
        }
      }
      if (random() < 0.4) {
        const amount = fenAmount(random, planned * 0.05 * random() + 1000);
        this.setup.push({ type: 'ReceiveFunds', data: { projectId, receiptId: 'r-carry-over', source: 'carry-over', amount, fiscalYear: 2023 } });
        receivedPlan += amount;
      }
      if (random() < 0.3) {
        const amount = fenAmount(random, planned * 0.1 * random() + 1000);
        this.setup.push({ type: 'ReceiveFunds', data: { projectId, receiptId: 'r-self', source: 'self-raised', amount } });
        receivedPlan += amount;
      }
      if (options.bond) {
        const amount = fenAmount(random, planned * (0.05 + random() * 0.15));
        this.setup.push({ bond: options.bond, amount });
        receivedPlan += amount;
      }
      const contracts = 1 + Math.floor(random() * 3);
      for (let i = 0; i < contracts; i += 1) {
        const amount = (receivedPlan * BigInt(20 + Math.floor(random() * 40))) / 100n / BigInt(contracts);
        this.setup.push({
          type: 'SignContract',
          data: { projectId, contractId: `c${i + 1}`, counterparty: `云南省第${1 + Math.floor(random() * 20)}建筑工程公司`, amount },
        });
      }
      const indicators = 1 + Math.floor(random() * 2);
      for (let i = 0; i < indicators; i += 1) {
        const indicatorId = `i${i + 1}`;
        this.indicatorIds.push(indicatorId);
        this.setup.push({
          type: 'SetOutputTarget',
          data: {
            projectId,
            indicatorId,
            name: i === 0 ? '新建道路长度' : '受益人口',
            unit: i === 0 ? '公里' : '人',
            target: BigInt(10 + Math.floor(random() * 5000)) * 10_000n,
          },
        });
      }
    }
    // Spend about 85% of what arrives across the disbursements.
    this.averageDisbursement = options.disbursements > 0 ? (receivedPlan * 85n) / 100n / BigInt(options.disbursements) : 0n;
  }

  get done(): boolean {
    return this.setup.length === 0 && this.disbursementsLeft <= 0 && (this.reported || this.indicatorIds.length === 0);
  }

  /** Up to `max` more events (fewer at a bond assignment, which must be stored first). */
  next(max: number): Step | undefined {
    const events: ProjectEvent[] = [];
    const setupPhase = this.setup.length > 0;
    while (events.length < max && !this.done) {
      const first = this.setup[0];
      if (first && 'bond' in first) {
        if (events.length > 0) break; // store what we have, then the assignment on its own
        this.setup.shift();
        const assignmentId = `as-${this.projectId}`;
        const bondEvents = first.bond.decide({
          type: 'AssignBondProceeds',
          data: { bondId: first.bond.bondId, assignmentId, projectId: this.projectId, amount: first.amount },
        });
        const receive = receiveFundsForAssignment(bondEvents[0] as Extract<BondEvent, { type: 'BondProceedsAssigned' }>, first.bond.kind);
        this.apply(receive, events);
        return { project: events, bond: { script: first.bond, events: bondEvents }, context: context('budget-officer', this.random, 0) };
      }
      const command = first ? (this.setup.shift() as ProjectCommand) : this.nextOperation();
      if (command) this.apply(command, events);
    }
    if (events.length === 0) return undefined;
    return { project: events, context: context(setupPhase ? 'budget-officer' : 'clerk', this.random, setupPhase ? 0 : 3) };
  }

  private apply(command: ProjectCommand, into: ProjectEvent[]): void {
    try {
      const decided = decideProject(command, this.state);
      for (const event of decided) this.state = evolveProject(this.state, event);
      into.push(...decided);
    } catch {
      this.skipped += 1; // a rule said no: the generator chose badly; leave it out
    }
  }

  /** The next disbursement, reversal or output report. */
  private nextOperation(): ProjectCommand | undefined {
    const project = this.state as RegisteredProject;
    const projectId = this.projectId;
    if (this.disbursementsLeft > 0) {
      if (this.reversals && this.recorded.length > 5 && this.random() < 0.02) {
        const index = Math.floor(this.random() * this.recorded.length);
        const disbursementId = this.recorded.splice(index, 1)[0];
        return { type: 'ReverseDisbursement', data: { projectId, disbursementId, reason: '凭证金额有误，冲销后重新支付' } };
      }
      this.disbursementsLeft -= 1;
      this.disbursed += 1;
      const available = project.receivedTotal - project.disbursedTotal;
      let amount = (this.averageDisbursement * BigInt(20 + Math.floor(this.random() * 160))) / 100n;
      if (amount > available / 2n) amount = available / 2n;
      if (amount < 1n) return undefined;
      let receiptId: string | undefined;
      let contractId: string | undefined;
      if (this.random() < 0.6) {
        for (const [id, receipt] of project.receipts) if (receipt.amount - receipt.drawn >= amount) receiptId = id;
      }
      if (this.random() < 0.3) {
        for (const [id, contract] of project.contracts) if (contract.amount - contract.paid >= amount) contractId = id;
      }
      const disbursementId = `d${String(this.disbursed).padStart(6, '0')}`;
      this.recorded.push(disbursementId);
      if (this.recorded.length > 200) this.recorded.shift();
      return {
        type: 'RecordDisbursement',
        data: {
          projectId,
          disbursementId,
          amount,
          category: contractId ? 'construction' : DISBURSEMENT_CATEGORIES[Math.floor(this.random() * DISBURSEMENT_CATEGORIES.length)],
          ...(receiptId ? { receiptId } : {}),
          ...(contractId ? { contractId } : {}),
          payee: `昆明市第${1 + Math.floor(this.random() * 60)}工程有限公司`,
          voucherRef: `PZ-2024-${String(Math.floor(this.random() * 1e7)).padStart(7, '0')}`,
        },
      };
    }
    if (!this.reported && this.indicatorIds.length > 0) {
      const indicatorId = this.indicatorIds.shift() as string;
      if (this.indicatorIds.length === 0) this.reported = true;
      return { type: 'ReportOutput', data: { projectId, indicatorId, actual: BigInt(Math.floor(this.random() * 4000)) * 10_000n } };
    }
    return undefined;
  }
}

function context(role: 'clerk' | 'budget-officer', random: () => number, fromMonth: number): CommandContext {
  return {
    actor: { id: `${role === 'clerk' ? 'clerk' : 'officer'}-${String(1 + Math.floor(random() * 40)).padStart(3, '0')}`, role },
    correlationId: randomUUID(),
    effectiveDate: isoDate(random, fromMonth),
  };
}

const expected = (revision: bigint): ExpectedRevision => (revision < 0n ? 'no_stream' : revision);

/**
 * Writes the synthetic log with `plan.appenders` concurrent appenders. Each appender owns its
 * projects (no two write one stream), keeps `window` of them in flight and appends a random
 * chunk of one of them per transaction, so projects interleave in the global order.
 */
export async function loadSyntheticLog(store: AppendTarget, plan: LoadPlan, onProgress?: (events: number) => void): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const projects: string[] = [];
  let events = 0;
  let appends = 0;
  let bonds = 0;
  let skipped = 0;
  let lastReport = 0;
  const share = Math.ceil(plan.targetEvents / plan.appenders);
  const traceEstimate = plan.traceDisbursements + 3;
  // Setup events of an ordinary project: about 12; disbursements: the mean, plus 2% reversals.
  const perProject = 12 + plan.meanDisbursements * 1.02;

  const appender = async (index: number) => {
    const random = seededRandom(plan.seed * 1000 + index + 1);
    const active: ProjectScript[] = [];
    let planned = 0;
    let started = 0;
    let bond: BondScript | undefined;
    let bondUses = 0;
    const startProject = (): ProjectScript => {
      started += 1;
      if (!bond || bondUses >= 12) {
        bonds += 1;
        bond = new BondScript(
          `sb-2024-${plan.idPrefix ?? ''}${index}-${String(started).padStart(5, '0')}`,
          'special',
          yuan(5_000_000_000),
          `2024年云南省政府专项债券（第${index}-${started}期）`,
        );
        bondUses = 0;
        pendingBondIssue.push(bond);
      }
      const useBond = random() < 0.35;
      if (useBond) bondUses += 1;
      const disbursements = Math.max(1, Math.round(plan.meanDisbursements * (0.3 + random() * 1.4)));
      const id = `${plan.idPrefix ?? ''}p${index}-${String(started).padStart(5, '0')}`;
      projects.push(id);
      planned += 12 + disbursements * 1.02;
      return new ProjectScript(id, random, { disbursements, bond: useBond ? bond : undefined });
    };
    const pendingBondIssue: BondScript[] = [];
    if (index === 0 && plan.traceDisbursements > 0) {
      active.push(new ProjectScript(TRACE_PROJECT_ID, random, { disbursements: plan.traceDisbursements, simple: true }));
      projects.push(TRACE_PROJECT_ID);
      planned += traceEstimate;
    }
    while (active.length < plan.window && planned + perProject <= share) active.push(startProject());

    const appendBondIssues = async () => {
      while (pendingBondIssue.length > 0) {
        const script = pendingBondIssue.shift() as BondScript;
        const issued = script.issued;
        const result = await store.append(script.streamId, toNewEvents(script.streamId, issued, context('budget-officer', random, 0)), {
          expectedRevision: 'no_stream',
        });
        script.revision = result.streamRevision;
        appends += 1;
        events += issued.length;
      }
    };

    while (active.length > 0) {
      await appendBondIssues();
      const pick = Math.floor(random() * active.length);
      const script = active[pick];
      const size = plan.chunk[0] + Math.floor(random() * (plan.chunk[1] - plan.chunk[0] + 1));
      const step = script.next(size);
      if (step?.bond) {
        const { script: bondScript, events: bondEvents } = step.bond;
        const result = await store.append(bondScript.streamId, toNewEvents(bondScript.streamId, bondEvents, step.context), {
          expectedRevision: expected(bondScript.revision),
        });
        bondScript.revision = result.streamRevision;
        appends += 1;
        events += bondEvents.length;
      }
      if (step && step.project.length > 0) {
        const result = await store.append(script.streamId, toNewEvents(script.streamId, step.project, step.context), {
          expectedRevision: expected(script.revision),
        });
        script.revision = result.streamRevision;
        appends += 1;
        events += step.project.length;
      }
      if (!step || script.done) {
        skipped += script.skipped;
        active.splice(pick, 1);
        if (planned + perProject <= share) active.push(startProject());
      }
      if (onProgress && events - lastReport >= 10_000) {
        lastReport = events;
        onProgress(events);
      }
    }
    await appendBondIssues();
  };

  await Promise.all(Array.from({ length: plan.appenders }, (_, i) => appender(i)));
  return {
    events,
    appends,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    projects,
    bonds,
    traceProjectId: TRACE_PROJECT_ID,
    skippedCommands: skipped,
  };
}
