/**
 * Checks on the xishan-2024 seed data alone (no database, no Nest): shape, citations,
 * ids, and the business rules the commands will be replayed through. It also recomputes
 * every stated figure that has a key and asserts exactly which ones do not match, so a
 * change to the data that alters reconciliation shows up here first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BOND_KINDS,
  DISBURSEMENT_CATEGORIES,
  FUNDING_SOURCES,
  SLUG_PATTERN,
} from '@fundtrail/funding';

type Json = Record<string, unknown>;
interface Citation {
  section: string;
  quote: string;
}
interface SeedCommand {
  type: string;
  data: Json;
  effectiveDate: string;
  citation: Citation;
  note?: string;
  derived?: boolean;
}
interface StatedFigure {
  id: string;
  project: string;
  key: string | null;
  stated: string;
  unit: string;
  citation: Citation;
  sumOf?: string[];
  note?: string;
}

const DATA = join(__dirname, '..', '..', 'seeds', 'xishan-2024');
const report = readFileSync(join(DATA, 'report.zh.txt'), 'utf8');
const seed = JSON.parse(readFileSync(join(DATA, 'commands.json'), 'utf8')) as {
  dataset: string;
  title: string;
  source: string;
  amountUnit: string;
  commands: SeedCommand[];
};
const figures = JSON.parse(readFileSync(join(DATA, 'stated-figures.json'), 'utf8')) as StatedFigure[];
const commands = seed.commands;

// ---------------------------------------------------------------- report structure

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一'];

interface Segment {
  start: number;
  end: number;
  project: string | null;
  label: string;
}

/** Each line of the report with the section label a citation must use for it. */
function segmentReport(text: string): Segment[] {
  const segments: Segment[] = [];
  let position = 0;
  let project: string | null = null;
  let label = '标题';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const heading = /^(十一|十|[一二三四五六七八九])、/.exec(trimmed);
    if (heading) {
      project = heading[1];
      label = project;
    } else if (project && /^（[一二三]）/.test(trimmed)) {
      label = project + trimmed.slice(0, 3);
    } else if (project && ['项目概况', '资金使用情况', '绩效目标总体完成情况'].includes(trimmed)) {
      label = `${project}·${trimmed}`;
    } else if (!project && trimmed.startsWith('根据')) {
      label = '说明';
    }
    segments.push({ start: position, end: position + line.length, project, label });
    position += line.length + 1;
  }
  return segments;
}
const segments = segmentReport(report);

/** Labels of every place the quote occurs (within one line). */
function locate(quote: string): Segment[] {
  const found: Segment[] = [];
  for (let at = report.indexOf(quote); at >= 0; at = report.indexOf(quote, at + 1)) {
    const segment = segments.find((s) => s.start <= at && at + quote.length <= s.end);
    if (segment) found.push(segment);
  }
  return found;
}

const headings = new Map<string, string>(); // numeral -> name
for (const line of report.split('\n')) {
  const match = /^(十一|十|[一二三四五六七八九])、(.+)$/.exec(line.trim());
  if (match) headings.set(match[1], match[2]);
}

// ---------------------------------------------------------------- exact numbers

const WAN_TEXT = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,6})?$/;
const QUANTITY_TEXT = /^\d+(?:\.\d{1,4})?$/;
const PERCENT_TEXT = /^\d+(?:\.\d+)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

function fixed(text: string, scale: number): bigint {
  const [int, frac = ''] = text.replace(/,/g, '').split('.');
  if (frac.length > scale) throw new Error(`${text}: more than ${scale} decimals`);
  return BigInt(int + frac.padEnd(scale, '0'));
}
/** 万元 text -> fen (1 万元 = 1,000,000 fen). */
const wanToFen = (text: string): bigint => fixed(text, 6);
/** Quantity text -> 10^-4 units. */
const quantityUnits = (text: string): bigint => fixed(text, 4);

/** numerator / denominator as a percent, rounded half-up to `decimals` places, in 10^-decimals units. */
function percentUnits(numerator: bigint, denominator: bigint, decimals: number): bigint {
  const scaled = numerator * 100n * 10n ** BigInt(decimals);
  const truncated = scaled / denominator;
  return (scaled % denominator) * 2n >= denominator ? truncated + 1n : truncated;
}
const decimalsOf = (text: string): number => (text.includes('.') ? text.split('.')[1].length : 0);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isRealDate(text: string): boolean {
  if (!DATE_TEXT.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

// ---------------------------------------------------------------- command field rules

const MONEY_FIELDS = ['amount', 'plannedTotal'];
const QUANTITY_FIELDS = ['target', 'actual'];
const FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  RegisterProject: {
    required: ['projectId', 'name', 'department', 'category'],
    optional: ['plannedTotal', 'plannedTotalLabel', 'fiscalYear', 'programmeId', 'region'],
  },
  RegisterProgramme: { required: ['programmeId', 'name'], optional: ['parentId', 'level', 'region'] },
  RevisePlannedTotal: { required: ['projectId', 'amount', 'reason'], optional: [] },
  AllocateFunds: {
    required: ['projectId', 'allocationId', 'source', 'amount', 'fiscalYear'],
    optional: ['sourceLabel', 'documentRef'],
  },
  ReceiveFunds: {
    required: ['projectId', 'receiptId', 'source', 'amount'],
    optional: ['sourceLabel', 'allocationId', 'fiscalYear'],
  },
  SignContract: { required: ['projectId', 'contractId', 'counterparty', 'amount'], optional: [] },
  RecordDisbursement: {
    required: ['projectId', 'disbursementId', 'amount', 'category'],
    optional: ['categoryLabel', 'receiptId', 'receiptFromAssignment', 'contractId', 'payee', 'voucherRef'],
  },
  ReverseDisbursement: { required: ['projectId', 'disbursementId', 'reason'], optional: [] },
  SetOutputTarget: { required: ['projectId', 'indicatorId', 'name', 'unit', 'target'], optional: [] },
  ReportOutput: { required: ['projectId', 'indicatorId', 'actual'], optional: [] },
  IssueBond: { required: ['bondId', 'name', 'kind', 'amount', 'issueDate'], optional: ['termYears', 'couponRate'] },
  AssignBondProceeds: { required: ['bondId', 'assignmentId', 'projectId', 'amount'], optional: [] },
};
const ID_FIELDS = ['projectId', 'bondId', 'allocationId', 'receiptId', 'contractId', 'disbursementId', 'indicatorId', 'assignmentId'];

const str = (data: Json, field: string): string => data[field] as string;
const bondReceiptKey = (bondId: string, assignmentId: string): string => `@${bondId}/${assignmentId}`;

/** bondId -> projects it was assigned to. */
const bondProjects = new Map<string, Set<string>>();
for (const command of commands) {
  if (command.type === 'AssignBondProceeds') {
    const bondId = str(command.data, 'bondId');
    if (!bondProjects.has(bondId)) bondProjects.set(bondId, new Set());
    bondProjects.get(bondId)!.add(str(command.data, 'projectId'));
  }
}
const projectNumeral = new Map<string, string>(); // projectId -> report numeral
for (const command of commands) {
  if (command.type !== 'RegisterProject') continue;
  for (const [numeral, name] of headings) {
    if (name === command.data.name) projectNumeral.set(str(command.data, 'projectId'), numeral);
  }
}

// ---------------------------------------------------------------- the ledger, replayed on the data

interface ProjectLedger {
  plannedTotal: bigint | null;
  allocations: Map<string, { amount: bigint; received: bigint }>;
  receipts: Map<string, { amount: bigint; drawn: bigint; source: string }>;
  contracts: Map<string, { amount: bigint; paid: bigint }>;
  disbursements: Map<string, { amount: bigint; category: string; contractId?: string; reversed: boolean }>;
  indicators: Map<string, { target: bigint; actual: bigint | null }>;
}

/** Applies the rules DESIGN §3 states; throws on the first violation. */
function replay(list: SeedCommand[]): Map<string, ProjectLedger> {
  const projects = new Map<string, ProjectLedger>();
  const bonds = new Map<string, { issued: bigint; assigned: bigint; kind: string; assignments: Set<string> }>();
  const ledger = (projectId: string): ProjectLedger => {
    const found = projects.get(projectId);
    if (!found) throw new Error(`project ${projectId} used before RegisterProject`);
    return found;
  };
  const receive = (p: ProjectLedger, receiptId: string, amount: bigint, source: string): void => {
    if (p.receipts.has(receiptId)) throw new Error(`duplicate receipt ${receiptId}`);
    p.receipts.set(receiptId, { amount, drawn: 0n, source });
  };
  const total = (values: Iterable<{ amount: bigint }>): bigint => [...values].reduce((sum, v) => sum + v.amount, 0n);

  const programmes = new Set<string>();
  for (const { type, data } of list) {
    switch (type) {
      case 'RegisterProgramme':
        if (programmes.has(str(data, 'programmeId'))) throw new Error(`duplicate programme ${str(data, 'programmeId')}`);
        if (data.parentId !== undefined && !programmes.has(str(data, 'parentId'))) throw new Error(`programme ${str(data, 'programmeId')} before its parent`);
        programmes.add(str(data, 'programmeId'));
        break;
      case 'RegisterProject': {
        const projectId = str(data, 'projectId');
        if (data.programmeId !== undefined && !programmes.has(str(data, 'programmeId'))) throw new Error(`project ${projectId} before its programme`);
        if (projects.has(projectId)) throw new Error(`duplicate project ${projectId}`);
        projects.set(projectId, {
          plannedTotal: data.plannedTotal === undefined ? null : wanToFen(str(data, 'plannedTotal')),
          allocations: new Map(),
          receipts: new Map(),
          contracts: new Map(),
          disbursements: new Map(),
          indicators: new Map(),
        });
        break;
      }
      case 'RevisePlannedTotal':
        ledger(str(data, 'projectId')).plannedTotal = wanToFen(str(data, 'amount'));
        break;
      case 'AllocateFunds': {
        const p = ledger(str(data, 'projectId'));
        const allocationId = str(data, 'allocationId');
        if (p.allocations.has(allocationId)) throw new Error(`duplicate allocation ${allocationId}`);
        p.allocations.set(allocationId, { amount: wanToFen(str(data, 'amount')), received: 0n });
        break;
      }
      case 'ReceiveFunds': {
        const p = ledger(str(data, 'projectId'));
        const amount = wanToFen(str(data, 'amount'));
        if (data.allocationId !== undefined) {
          const allocation = p.allocations.get(str(data, 'allocationId'));
          if (!allocation) throw new Error(`unknown allocation ${str(data, 'allocationId')}`);
          if (allocation.received + amount > allocation.amount) throw new Error(`allocation ${str(data, 'allocationId')} exceeded`);
          allocation.received += amount;
        }
        receive(p, str(data, 'receiptId'), amount, str(data, 'source'));
        break;
      }
      case 'SignContract': {
        const p = ledger(str(data, 'projectId'));
        if (p.contracts.has(str(data, 'contractId'))) throw new Error(`duplicate contract ${str(data, 'contractId')}`);
        p.contracts.set(str(data, 'contractId'), { amount: wanToFen(str(data, 'amount')), paid: 0n });
        break;
      }
      case 'RecordDisbursement': {
        const p = ledger(str(data, 'projectId'));
        const disbursementId = str(data, 'disbursementId');
        if (p.disbursements.has(disbursementId)) throw new Error(`duplicate disbursement ${disbursementId}`);
        const amount = wanToFen(str(data, 'amount'));
        const received = total(p.receipts.values());
        const disbursed = [...p.disbursements.values()].filter((d) => !d.reversed).reduce((s, d) => s + d.amount, 0n);
        if (disbursed + amount > received) throw new Error(`${disbursementId}: insufficient funds`);
        const from = data.receiptFromAssignment as { bondId: string; assignmentId: string } | undefined;
        const receiptId = from ? bondReceiptKey(from.bondId, from.assignmentId) : (data.receiptId as string | undefined);
        if (receiptId !== undefined) {
          const receipt = p.receipts.get(receiptId);
          if (!receipt) throw new Error(`${disbursementId}: unknown receipt ${receiptId}`);
          if (receipt.drawn + amount > receipt.amount) throw new Error(`${disbursementId}: receipt ${receiptId} exceeded`);
          receipt.drawn += amount;
        }
        const contractId = data.contractId as string | undefined;
        if (contractId !== undefined) {
          const contract = p.contracts.get(contractId);
          if (!contract) throw new Error(`${disbursementId}: unknown contract ${contractId}`);
          if (contract.paid + amount > contract.amount) throw new Error(`${disbursementId}: contract ${contractId} exceeded`);
          contract.paid += amount;
        }
        p.disbursements.set(disbursementId, { amount, category: str(data, 'category'), contractId, reversed: false });
        break;
      }
      case 'ReverseDisbursement': {
        const d = ledger(str(data, 'projectId')).disbursements.get(str(data, 'disbursementId'));
        if (!d || d.reversed) throw new Error(`cannot reverse ${str(data, 'disbursementId')}`);
        d.reversed = true;
        break;
      }
      case 'SetOutputTarget': {
        const p = ledger(str(data, 'projectId'));
        if (p.indicators.has(str(data, 'indicatorId'))) throw new Error(`duplicate indicator ${str(data, 'indicatorId')}`);
        p.indicators.set(str(data, 'indicatorId'), { target: quantityUnits(str(data, 'target')), actual: null });
        break;
      }
      case 'ReportOutput': {
        const indicator = ledger(str(data, 'projectId')).indicators.get(str(data, 'indicatorId'));
        if (!indicator) throw new Error(`unknown indicator ${str(data, 'indicatorId')}`);
        indicator.actual = quantityUnits(str(data, 'actual'));
        break;
      }
      case 'IssueBond': {
        if (bonds.has(str(data, 'bondId'))) throw new Error(`duplicate bond ${str(data, 'bondId')}`);
        bonds.set(str(data, 'bondId'), { issued: wanToFen(str(data, 'amount')), assigned: 0n, kind: str(data, 'kind'), assignments: new Set() });
        break;
      }
      case 'AssignBondProceeds': {
        const bond = bonds.get(str(data, 'bondId'));
        if (!bond) throw new Error(`bond ${str(data, 'bondId')} assigned before IssueBond`);
        const amount = wanToFen(str(data, 'amount'));
        if (bond.assignments.has(str(data, 'assignmentId'))) throw new Error(`duplicate assignment ${str(data, 'assignmentId')}`);
        if (bond.assigned + amount > bond.issued) throw new Error(`bond ${str(data, 'bondId')} over-assigned`);
        bond.assignments.add(str(data, 'assignmentId'));
        bond.assigned += amount;
        // What the process manager does: the assignment becomes the project's receipt.
        const p = ledger(str(data, 'projectId'));
        receive(p, bondReceiptKey(str(data, 'bondId'), str(data, 'assignmentId')), amount, `${bond.kind}-bond`);
        break;
      }
      default:
        throw new Error(`unknown command type ${type}`);
    }
  }
  return projects;
}

type Recomputed = { kind: 'amount'; fen: bigint } | { kind: 'rate'; numerator: bigint; denominator: bigint } | { kind: 'not-derivable' };

/** The DESIGN §4 figure `key` of one project, from the replayed ledger. */
function figure(p: ProjectLedger, key: string): Recomputed {
  const amount = (fen: bigint): Recomputed => ({ kind: 'amount', fen });
  const rate = (numerator: bigint, denominator: bigint | null): Recomputed =>
    denominator ? { kind: 'rate', numerator, denominator } : { kind: 'not-derivable' };
  const sum = (values: Iterable<{ amount: bigint }>): bigint => [...values].reduce((s, v) => s + v.amount, 0n);
  const live = [...p.disbursements.values()].filter((d) => !d.reversed);
  const received = sum(p.receipts.values());
  const disbursed = sum(live);
  const [name, arg] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [key, ''];
  switch (name) {
    case 'planned_total':
      return p.plannedTotal === null ? { kind: 'not-derivable' } : amount(p.plannedTotal);
    case 'allocated_total':
      return amount(sum(p.allocations.values()));
    case 'received_total':
      return amount(received);
    case 'disbursed_total':
      return amount(disbursed);
    case 'available_balance':
      return amount(received - disbursed);
    case 'arrival_rate':
      return rate(sum([...p.receipts.values()].filter((r) => r.source !== 'carry-over')), p.plannedTotal);
    case 'execution_rate':
      return rate(disbursed, received);
    case 'allocation_execution_rate':
      return rate(disbursed, sum(p.allocations.values()));
    case 'contract_payment_progress':
      return rate(sum(live.filter((d) => d.contractId !== undefined)), sum(p.contracts.values()));
    case 'receipt_usage_rate': {
      const receipt = p.receipts.get(arg);
      return receipt ? rate(receipt.drawn, receipt.amount) : { kind: 'not-derivable' };
    }
    case 'output_completion': {
      const indicator = p.indicators.get(arg);
      return indicator && indicator.actual !== null ? rate(indicator.actual, indicator.target) : { kind: 'not-derivable' };
    }
    case 'received_by_source':
      return amount(sum([...p.receipts.values()].filter((r) => r.source === arg)));
    case 'disbursed_by_category':
      return amount(sum(live.filter((d) => d.category === arg)));
    default:
      throw new Error(`unknown key ${key}`);
  }
}

function statedValue(f: StatedFigure): bigint {
  if (f.unit === 'wan-yuan') return wanToFen(f.stated);
  if (f.unit === 'percent') return fixed(f.stated, decimalsOf(f.stated));
  return quantityUnits(f.stated);
}

// ================================================================= tests

describe('xishan-2024 seed: commands.json', () => {
  it('has the dataset header, with the report title verbatim', () => {
    expect(seed.dataset).toBe('xishan-2024');
    expect(seed.source).toBe('report.zh.txt');
    expect(seed.amountUnit).toBe('wan-yuan');
    // The title is printed over the first two non-empty lines of the report.
    const [first, second] = report.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(seed.title).toBe(first + second);
    expect(Array.isArray(commands)).toBe(true);
    expect(commands.length).toBeGreaterThan(0);
  });

  it('gives every command the documented shape and only the fields of its type', () => {
    for (const command of commands) {
      const where = `${command.type} ${JSON.stringify(command.data)}`;
      expect(Object.keys(command).every((k) => ['type', 'data', 'effectiveDate', 'citation', 'note', 'derived'].includes(k))).toBe(true);
      const fields = FIELDS[command.type];
      expect({ where, known: fields !== undefined }).toEqual({ where, known: true });
      for (const field of fields.required) expect({ where, field, present: command.data[field] !== undefined }).toEqual({ where, field, present: true });
      const unknown = Object.keys(command.data).filter((k) => !fields.required.includes(k) && !fields.optional.includes(k));
      expect({ where, unknown }).toEqual({ where, unknown: [] });
      expect({ where, date: isRealDate(command.effectiveDate) }).toEqual({ where, date: true });
      expect(typeof command.citation.section).toBe('string');
      expect(command.citation.section.length).toBeGreaterThan(0);
      expect(typeof command.citation.quote).toBe('string');
      if (command.note !== undefined) expect(typeof command.note).toBe('string');
      if (command.derived !== undefined) expect(command.derived).toBe(true);
      if (command.derived) expect({ where, note: (command.note ?? '').length > 0 }).toEqual({ where, note: true });
    }
  });

  it('uses the vocabulary and the number formats of the command fields', () => {
    for (const { type, data } of commands) {
      const where = `${type} ${JSON.stringify(data)}`;
      for (const field of MONEY_FIELDS) {
        if (data[field] === undefined) continue;
        expect({ where, field, ok: typeof data[field] === 'string' && WAN_TEXT.test(str(data, field)) && wanToFen(str(data, field)) > 0n }).toEqual({ where, field, ok: true });
      }
      for (const field of QUANTITY_FIELDS) {
        if (data[field] === undefined) continue;
        expect({ where, field, ok: typeof data[field] === 'string' && QUANTITY_TEXT.test(str(data, field)) }).toEqual({ where, field, ok: true });
      }
      if (data.fiscalYear !== undefined) expect(Number.isInteger(data.fiscalYear) && (data.fiscalYear as number) >= 2000 && (data.fiscalYear as number) <= 2030).toBe(true);
      if (data.source !== undefined) {
        expect(FUNDING_SOURCES).toContain(data.source);
        if (data.source === 'other') expect({ where, sourceLabel: typeof data.sourceLabel }).toEqual({ where, sourceLabel: 'string' });
      }
      if (type === 'RecordDisbursement') {
        expect(DISBURSEMENT_CATEGORIES).toContain(data.category);
        if (data.category === 'other') expect({ where, categoryLabel: typeof data.categoryLabel }).toEqual({ where, categoryLabel: 'string' });
        if (data.receiptFromAssignment !== undefined) {
          expect(data.receiptId).toBeUndefined();
          expect(Object.keys(data.receiptFromAssignment as Json).sort()).toEqual(['assignmentId', 'bondId']);
        }
      }
      if (type === 'IssueBond') {
        expect(BOND_KINDS).toContain(data.kind);
        expect(isRealDate(str(data, 'issueDate'))).toBe(true);
      }
      for (const field of ['name', 'department', 'category', 'reason', 'unit', 'counterparty']) {
        if (data[field] !== undefined) expect({ where, field, ok: typeof data[field] === 'string' && str(data, field).trim().length > 0 }).toEqual({ where, field, ok: true });
      }
    }
  });

  it('quotes the report verbatim, at the cited section of the right project', () => {
    for (const command of commands) {
      const { quote, section } = command.citation;
      const places = locate(quote);
      expect({ quote, inReport: places.length > 0 }).toEqual({ quote, inReport: true });
      expect({ quote, section, labels: places.map((p) => p.label) }).toEqual({ quote, section, labels: expect.arrayContaining([section]) });
      // A programme belongs to no project: it is cited from the report's preamble.
      if (command.type === 'RegisterProgramme') {
        expect({ quote, project: places.find((p) => p.label === section)?.project }).toEqual({ quote, project: null });
        continue;
      }
      const projectId = command.data.projectId as string | undefined;
      const projectIds = projectId ? [projectId] : [...(bondProjects.get(str(command.data, 'bondId')) ?? [])];
      expect(projectIds.length).toBeGreaterThan(0);
      for (const id of projectIds) {
        expect({ quote, project: places.find((p) => p.label === section)?.project }).toEqual({ quote, project: projectNumeral.get(id) });
      }
    }
  });

  it('prints every non-derived amount and quantity in its quote', () => {
    for (const command of commands) {
      const { quote } = command.citation;
      for (const field of MONEY_FIELDS) {
        const text = command.data[field] as string | undefined;
        if (text === undefined || command.derived) continue;
        const printed = new RegExp(`(?<![\\d,.])${escapeRegExp(text)}万元`).test(quote);
        expect({ text, quote, printed }).toEqual({ text, quote, printed: true });
      }
      for (const field of QUANTITY_FIELDS) {
        const text = command.data[field] as string | undefined;
        if (text === undefined) continue;
        const printed = new RegExp(`(?<![\\d.])${escapeRegExp(text)}(?![\\d.])`).test(quote);
        expect({ text, quote, printed }).toEqual({ text, quote, printed: true });
      }
    }
  });

  it('shows the arithmetic of every derived amount in its note, from printed amounts', () => {
    const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
    for (const command of commands.filter((c) => c.derived)) {
      const amount = (command.data.amount ?? command.data.plannedTotal) as string;
      const note = (command.note ?? '').replace(/\([^()]*\)/g, '').replace(/\s+/g, ' ');
      const match = new RegExp(`(?<![\\d,.])${escapeRegExp(amount)} = (${NUMBER}) ([−+]) (${NUMBER})`).exec(note);
      expect({ amount, note, match: match !== null }).toEqual({ amount, note, match: true });
      const [, left, op, right] = match!;
      const value = op === '+' ? wanToFen(left) + wanToFen(right) : wanToFen(left) - wanToFen(right);
      expect(value).toBe(wanToFen(amount));
      for (const term of [left, right]) expect({ term, printed: report.includes(`${term}万元`) }).toEqual({ term, printed: true });
    }
  });

  it('quotes the report verbatim inside 「」 in notes', () => {
    for (const note of [...commands.map((c) => c.note), ...figures.map((f) => f.note)]) {
      for (const match of (note ?? '').matchAll(/「([^」]+)」/g)) {
        expect({ quoted: match[1], inReport: report.includes(match[1]) }).toEqual({ quoted: match[1], inReport: true });
      }
    }
  });

  it('registers all 11 projects, in report order, named by their headings verbatim', () => {
    const registered = commands.filter((c) => c.type === 'RegisterProject').map((c) => c.data.name);
    expect(headings.size).toBe(11);
    expect([...headings.keys()]).toEqual(NUMERALS);
    expect(registered).toEqual([...headings.values()]);
    for (const command of commands.filter((c) => c.type === 'RegisterProject')) {
      expect(str(command.data, 'department').length).toBeGreaterThan(0);
      expect(str(command.data, 'category')).toMatch(/^[a-z][a-z-]*$/);
    }
  });

  it('uses slug ids, unique per kind (projects and bonds globally, the rest per stream)', () => {
    for (const { data } of commands) {
      for (const field of ID_FIELDS) {
        if (data[field] !== undefined) expect({ field, id: data[field], slug: SLUG_PATTERN.test(str(data, field)) }).toEqual({ field, id: data[field], slug: true });
      }
      const from = data.receiptFromAssignment as Json | undefined;
      if (from) for (const id of Object.values(from)) expect(SLUG_PATTERN.test(id as string)).toBe(true);
    }
    const unique = (type: string, field: string, scope: (data: Json) => string): void => {
      const seen = commands.filter((c) => c.type === type).map((c) => `${scope(c.data)}/${str(c.data, field)}`);
      expect({ type, duplicates: seen.filter((id, i) => seen.indexOf(id) !== i) }).toEqual({ type, duplicates: [] });
    };
    unique('RegisterProject', 'projectId', () => '');
    unique('IssueBond', 'bondId', () => '');
    unique('AllocateFunds', 'allocationId', (d) => str(d, 'projectId'));
    unique('ReceiveFunds', 'receiptId', (d) => str(d, 'projectId'));
    unique('SignContract', 'contractId', (d) => str(d, 'projectId'));
    unique('RecordDisbursement', 'disbursementId', (d) => str(d, 'projectId'));
    unique('SetOutputTarget', 'indicatorId', (d) => str(d, 'projectId'));
    unique('AssignBondProceeds', 'assignmentId', (d) => str(d, 'bondId'));
  });

  it('replays through the funding rules in the given order', () => {
    expect(() => replay(commands)).not.toThrow();
  });

  it('keeps effective dates in order within each stream, and bonds issued before they are assigned', () => {
    const streams = new Map<string, string[]>();
    for (const { type, data, effectiveDate } of commands) {
      const stream = type === 'IssueBond' || type === 'AssignBondProceeds' ? `bond-${str(data, 'bondId')}` : `project-${str(data, 'projectId')}`;
      streams.set(stream, [...(streams.get(stream) ?? []), effectiveDate]);
      // The assignment is also the project's receipt.
      if (type === 'AssignBondProceeds') streams.set(`project-${str(data, 'projectId')}`, [...(streams.get(`project-${str(data, 'projectId')}`) ?? []), effectiveDate]);
      if (type === 'IssueBond') expect(effectiveDate).toBe(str(data, 'issueDate'));
    }
    for (const [stream, dates] of streams) {
      expect({ stream, dates }).toEqual({ stream, dates: [...dates].sort() });
    }
  });

  it('would be refused by those rules if a disbursement came before its funds', () => {
    const firstDisbursement = commands.findIndex((c) => c.type === 'RecordDisbursement');
    const project = str(commands[firstDisbursement].data, 'projectId');
    const firstReceipt = commands.findIndex((c) => c.data.projectId === project && (c.type === 'ReceiveFunds' || c.type === 'AssignBondProceeds'));
    const reordered = [...commands];
    const [moved] = reordered.splice(firstDisbursement, 1);
    reordered.splice(firstReceipt, 0, moved);
    expect(() => replay(reordered)).toThrow();
  });
});

describe('xishan-2024 seed: stated-figures.json', () => {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const projectIds = new Set(commands.filter((c) => c.type === 'RegisterProject').map((c) => str(c.data, 'projectId')));
  const KEYS = /^(planned_total|allocated_total|received_total|disbursed_total|available_balance|arrival_rate|execution_rate|allocation_execution_rate|contract_payment_progress|receipt_usage_rate:.+|output_completion:.+|received_by_source:.+|disbursed_by_category:.+)$/;

  it('gives every figure the documented shape, a unique slug id and a known project', () => {
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      expect(Object.keys(f).every((k) => ['id', 'project', 'key', 'stated', 'unit', 'citation', 'sumOf', 'note'].includes(k))).toBe(true);
      expect({ id: f.id, slug: SLUG_PATTERN.test(f.id) }).toEqual({ id: f.id, slug: true });
      expect({ id: f.id, project: projectIds.has(f.project) }).toEqual({ id: f.id, project: true });
      expect({ id: f.id, keyOk: f.key === null || KEYS.test(f.key) }).toEqual({ id: f.id, keyOk: true });
      if (f.key === null) expect({ id: f.id, note: (f.note ?? '').length > 0 }).toEqual({ id: f.id, note: true });
      const format = f.unit === 'wan-yuan' ? WAN_TEXT : f.unit === 'percent' ? PERCENT_TEXT : QUANTITY_TEXT;
      expect({ id: f.id, stated: f.stated, format: format.test(f.stated) }).toEqual({ id: f.id, stated: f.stated, format: true });
    }
    expect(byId.size).toBe(figures.length);
  });

  it('names sources, categories, receipts and indicators that exist in the commands', () => {
    const ledgers = replay(commands);
    for (const f of figures.filter((x) => x.key !== null)) {
      const [name, arg] = [f.key!.split(':')[0], f.key!.slice(f.key!.indexOf(':') + 1)];
      const p = ledgers.get(f.project)!;
      if (name === 'received_by_source') expect(FUNDING_SOURCES).toContain(arg);
      if (name === 'disbursed_by_category') expect(DISBURSEMENT_CATEGORIES).toContain(arg);
      if (name === 'receipt_usage_rate') expect({ id: f.id, receipt: p.receipts.has(arg) }).toEqual({ id: f.id, receipt: true });
      if (name === 'output_completion') expect({ id: f.id, indicator: p.indicators.has(arg) }).toEqual({ id: f.id, indicator: true });
    }
  });

  it('quotes the report verbatim, within the figure\'s project, and the quote prints the figure', () => {
    for (const f of figures) {
      const { quote, section } = f.citation;
      const places = locate(quote).filter((p) => p.label === section);
      expect({ id: f.id, quote, section, found: places.length > 0 }).toEqual({ id: f.id, quote, section, found: true });
      expect({ id: f.id, project: places[0]?.project }).toEqual({ id: f.id, project: projectNumeral.get(f.project) });
      const suffix = f.unit === 'wan-yuan' ? '万元' : f.unit === 'percent' ? '%' : f.unit;
      const printed = new RegExp(`(?<![\\d,.])${escapeRegExp(f.stated)}\\s?${escapeRegExp(suffix)}`).test(quote);
      expect({ id: f.id, stated: f.stated, quote, printed }).toEqual({ id: f.id, stated: f.stated, quote, printed: true });
    }
  });

  it('lists parts (sumOf) that exist, in the same project and unit', () => {
    for (const f of figures.filter((x) => x.sumOf)) {
      expect(f.sumOf!.length).toBeGreaterThan(1);
      for (const id of f.sumOf!) {
        const part = byId.get(id);
        expect({ total: f.id, part: id, exists: part !== undefined && id !== f.id }).toEqual({ total: f.id, part: id, exists: true });
        expect(part!.project).toBe(f.project);
        expect(part!.unit).toBe(f.unit);
      }
    }
  });

  it('adds up, except where the report disagrees with itself', () => {
    const disagreements = figures
      .filter((f) => f.sumOf)
      .filter((f) => f.sumOf!.reduce((sum, id) => sum + statedValue(byId.get(id)!), 0n) !== statedValue(f))
      .map((f) => f.id);
    // 111,969.90 vs 111,969.89 (0.01万元); 20 subprojects vs 5 + 7 + 6 + 3 = 21.
    expect(disagreements.sort()).toEqual(['changpo-received-total', 'new-infra-subprojects-total']);
  });

  it('is reproduced by the commands, except the figures the report gets wrong or lacks facts for', () => {
    const ledgers = replay(commands);
    const mismatches: string[] = [];
    const notDerivable: string[] = [];
    for (const f of figures.filter((x) => x.key !== null)) {
      const value = figure(ledgers.get(f.project)!, f.key!);
      if (value.kind === 'not-derivable') {
        notDerivable.push(f.id);
      } else if (value.kind === 'amount') {
        expect(f.unit).toBe('wan-yuan');
        if (value.fen !== wanToFen(f.stated)) mismatches.push(f.id);
      } else {
        expect(f.unit).toBe('percent');
        const decimals = decimalsOf(f.stated);
        if (percentUnits(value.numerator, value.denominator, decimals) !== fixed(f.stated, decimals)) mismatches.push(f.id);
      }
    }
    // 111,969.90 stated vs 111,969.89 from its printed parts; 45,258.58 / 60,950.00 = 74.2552…% → 74.26, printed 74.25.
    expect(mismatches.sort()).toEqual(['changpo-received-total', 'second-ring-payment-progress']);
    // No planned total (3) or contract amounts (1) in the report; none is back-solved from the rate.
    expect(notDerivable.sort()).toEqual([
      'changpo-arrival-rate',
      'garbage-arrival-rate',
      'main-drainage-contract-payment-progress',
      'village-arrival-rate',
    ]);
  });
});
