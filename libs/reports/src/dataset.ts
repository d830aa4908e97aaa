/**
 * A data set under seeds/<name>/: the report as an ordered list of commands (commands.json) and
 * every figure the report states (stated-figures.json). This module reads and checks both files and
 * turns each entry into the domain command the CommandBus takes: 万元 text -> bigint fen exactly
 * (parseWan), quantities -> 10^-4 units, `receiptFromAssignment` -> the receipt id the bond
 * process manager gives that assignment (bondReceiptId).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BOND_KINDS,
  type BondCommand,
  bondReceiptId,
  bondStreamId,
  DISBURSEMENT_CATEGORIES,
  FUNDING_SOURCES,
  type ProgrammeCommand,
  programmeStreamId,
  PROGRAMME_LEVELS,
  type ProjectCommand,
  projectStreamId,
  REGION_PATH_PATTERN,
  SLUG_PATTERN,
} from '@fundtrail/funding';
import { CalendarFormatError, isCalendarDate, parseCalendarDate } from '@fundtrail/calendar';
import { parseQuantity, parseWan } from '@fundtrail/money';
import { figureDefinition } from '@fundtrail/projections';

export interface Citation {
  section: string;
  quote: string;
}

/** One entry of commands.json, as written (amounts as 万元 text). */
export interface SeedEntry {
  type: string;
  data: Record<string, unknown>;
  effectiveDate: string;
  citation: Citation;
  note?: string;
  derived?: boolean;
}

/** One entry of stated-figures.json. */
export interface StatedFigure {
  id: string;
  project: string;
  /** A figure key; receipts of bond assignments as `receipt_usage_rate:@<bondId>/<assignmentId>`; null when no key expresses it. */
  key: string | null;
  /** As printed: 万元 text with separators, percent without '%', or a quantity. */
  stated: string;
  /** 'wan-yuan', 'percent', or the report's unit of a quantity (个, 吨, 公里, ms …). */
  unit: string;
  citation: Citation;
  sumOf?: string[];
  note?: string;
}

/** A seed entry ready for the CommandBus. */
export type SeedCommand =
  | { aggregate: 'project'; streamId: string; command: ProjectCommand }
  | { aggregate: 'bond'; streamId: string; command: BondCommand }
  | { aggregate: 'programme'; streamId: string; command: ProgrammeCommand };

export interface Dataset {
  name: string;
  title: string;
  directory: string;
  entries: SeedEntry[];
  figures: StatedFigure[];
  /** projectId -> the report's name (RegisterProject.name). */
  projectNames: Map<string, string>;
}

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

const DATASET_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PERCENT_TEXT = /^\d+(?:\.\d+)?$/;

/** The configured data-set directory (FUNDTRAIL_SEEDS_DIR), set once at start-up by the host. */
let configuredSeedsDir: string | undefined;

export function useSeedsDirectory(directory: string | undefined): void {
  configuredSeedsDir = directory;
}

/**
 * Where the data sets live: the configured directory, else the repository's seeds/ seen from this
 * file in the source tree (libs/reports/src) or compiled (dist/libs/reports/src).
 */
export function seedsDirectory(dataset: string): string {
  const candidates = [configuredSeedsDir, resolve(__dirname, '..', '..', '..', 'seeds'), resolve(__dirname, '..', '..', '..', '..', 'seeds')].filter(
    (dir): dir is string => typeof dir === 'string' && dir.length > 0,
  );
  for (const dir of candidates) {
    if (existsSync(join(dir, dataset, 'commands.json'))) return dir;
  }
  throw new DatasetError(`data set ${dataset} not found (looked for ${dataset}/commands.json in ${candidates.join(', ')})`);
}

/** Reads and checks seeds/<name>/commands.json and stated-figures.json. */
export function readDataset(name: string): Dataset {
  if (!DATASET_NAME.test(name)) throw new DatasetError(`data set name must be a slug, got ${JSON.stringify(name)}`);
  const directory = join(seedsDirectory(name), name);
  const file = JSON.parse(readFileSync(join(directory, 'commands.json'), 'utf8')) as Record<string, unknown>;
  if (file.dataset !== name) throw new DatasetError(`${name}/commands.json names data set ${JSON.stringify(file.dataset)}`);
  if (file.amountUnit !== 'wan-yuan') throw new DatasetError(`${name}/commands.json: amountUnit must be wan-yuan`);
  if (!Array.isArray(file.commands)) throw new DatasetError(`${name}/commands.json: commands must be an array`);
  const entries = file.commands as SeedEntry[];
  const figuresPath = join(directory, 'stated-figures.json');
  const figures = existsSync(figuresPath) ? (JSON.parse(readFileSync(figuresPath, 'utf8')) as StatedFigure[]) : [];
  if (!Array.isArray(figures)) throw new DatasetError(`${name}/stated-figures.json must be an array`);

  const projectNames = new Map<string, string>();
  entries.forEach((entry, index) => {
    // Converting every entry up front refuses a bad file before anything is sent.
    toSeedCommand(entry, index);
    if (entry.type === 'RegisterProject') projectNames.set(entry.data.projectId as string, entry.data.name as string);
  });
  checkFigures(name, figures, projectNames);
  return { name, title: typeof file.title === 'string' ? file.title : name, directory, entries, figures, projectNames };
}

function checkFigures(name: string, figures: StatedFigure[], projects: Map<string, string>): void {
  const ids = new Set<string>();
  for (const figure of figures) {
    const where = `${name}/stated-figures.json ${JSON.stringify(figure.id)}`;
    if (typeof figure.id !== 'string' || !SLUG_PATTERN.test(figure.id)) throw new DatasetError(`${where}: id must be a slug`);
    if (ids.has(figure.id)) throw new DatasetError(`${where}: duplicate id`);
    ids.add(figure.id);
    if (!projects.has(figure.project)) throw new DatasetError(`${where}: project ${figure.project} is not registered by the commands`);
    if (figure.key !== null) {
      const definition = typeof figure.key === 'string' ? figureDefinition(resolveFigureKey(figure.key)) : undefined;
      if (definition === undefined) throw new DatasetError(`${where}: key must be a figure key or null, got ${JSON.stringify(figure.key)}`);
      const expected = definition.unit === 'percent' ? 'percent' : 'wan-yuan';
      if (figure.unit !== expected) throw new DatasetError(`${where}: ${figure.key} is stated in ${expected}, not ${figure.unit}`);
    }
    if (figure.sumOf !== undefined && (figure.unit === 'percent' || !Array.isArray(figure.sumOf) || figure.sumOf.length < 2)) {
      throw new DatasetError(`${where}: sumOf lists two or more parts of an amount or a quantity`);
    }
    if (typeof figure.stated !== 'string') throw new DatasetError(`${where}: stated must be a string`);
    statedUnits(figure); // throws on a malformed number
  }
  const byId = new Map(figures.map((f) => [f.id, f]));
  for (const figure of figures) {
    for (const part of figure.sumOf ?? []) {
      const found = byId.get(part);
      if (!found || found.project !== figure.project || found.unit !== figure.unit || part === figure.id) {
        throw new DatasetError(`${name}/stated-figures.json ${figure.id}: part ${part} must be another figure of the same project and unit`);
      }
    }
  }
}

/**
 * A stated number as an exact integer: fen for 万元, the stated percent's own last decimal place
 * for percent (with its number of decimals), 10^-4 units for a quantity.
 */
export function statedUnits(figure: StatedFigure): { units: bigint; decimals?: number } {
  if (figure.unit === 'wan-yuan') return { units: parseWan(figure.stated) };
  if (figure.unit === 'percent') {
    if (!PERCENT_TEXT.test(figure.stated)) throw new DatasetError(`${figure.id}: stated percent ${JSON.stringify(figure.stated)} is not a decimal`);
    const [whole, fraction = ''] = figure.stated.split('.');
    return { units: BigInt(whole + fraction), decimals: fraction.length };
  }
  return { units: parseQuantity(figure.stated) };
}

/** The figure key as the log knows it: `@<bondId>/<assignmentId>` becomes the assignment's receipt id. */
export function resolveFigureKey(key: string): string {
  const match = /^receipt_usage_rate:@([^/]+)\/(.+)$/.exec(key);
  return match ? `receipt_usage_rate:${bondReceiptId(match[1], match[2])}` : key;
}

// ---------------------------------------------------------------- entries -> domain commands

type FieldKind = 'slug' | 'text' | 'wan' | 'quantity' | 'year' | 'int' | 'date' | 'source' | 'category' | 'bond-kind' | 'from-assignment' | 'level' | 'region';

const FIELDS: Record<string, { aggregate: SeedCommand['aggregate']; required: Record<string, FieldKind>; optional: Record<string, FieldKind> }> = {
  RegisterProject: {
    aggregate: 'project',
    required: { projectId: 'slug', name: 'text', department: 'text', category: 'text' },
    optional: { plannedTotal: 'wan', plannedTotalLabel: 'text', fiscalYear: 'year', programmeId: 'slug', region: 'region' },
  },
  RegisterProgramme: {
    aggregate: 'programme',
    required: { programmeId: 'slug', name: 'text' },
    optional: { parentId: 'slug', level: 'level', region: 'region' },
  },
  RevisePlannedTotal: { aggregate: 'project', required: { projectId: 'slug', amount: 'wan', reason: 'text' }, optional: {} },
  AllocateFunds: {
    aggregate: 'project',
    required: { projectId: 'slug', allocationId: 'slug', source: 'source', amount: 'wan', fiscalYear: 'year' },
    optional: { sourceLabel: 'text', documentRef: 'text' },
  },
  ReceiveFunds: {
    aggregate: 'project',
    required: { projectId: 'slug', receiptId: 'slug', source: 'source', amount: 'wan' },
    optional: { sourceLabel: 'text', allocationId: 'slug', fiscalYear: 'year' },
  },
  SignContract: {
    aggregate: 'project',
    required: { projectId: 'slug', contractId: 'slug', counterparty: 'text', amount: 'wan' },
    optional: {},
  },
  RecordDisbursement: {
    aggregate: 'project',
    required: { projectId: 'slug', disbursementId: 'slug', amount: 'wan', category: 'category' },
    optional: {
      categoryLabel: 'text',
      receiptId: 'slug',
      receiptFromAssignment: 'from-assignment',
      contractId: 'slug',
      payee: 'text',
      voucherRef: 'text',
    },
  },
  ReverseDisbursement: { aggregate: 'project', required: { projectId: 'slug', disbursementId: 'slug', reason: 'text' }, optional: {} },
  SetOutputTarget: {
    aggregate: 'project',
    required: { projectId: 'slug', indicatorId: 'slug', name: 'text', unit: 'text', target: 'quantity' },
    optional: {},
  },
  ReportOutput: { aggregate: 'project', required: { projectId: 'slug', indicatorId: 'slug', actual: 'quantity' }, optional: {} },
  IssueBond: {
    aggregate: 'bond',
    required: { bondId: 'slug', name: 'text', kind: 'bond-kind', amount: 'wan', issueDate: 'date' },
    optional: { termYears: 'int', couponRate: 'text' },
  },
  AssignBondProceeds: {
    aggregate: 'bond',
    required: { bondId: 'slug', assignmentId: 'slug', projectId: 'slug', amount: 'wan' },
    optional: {},
  },
};

function convert(kind: FieldKind, value: unknown, where: string): unknown {
  const fail = (what: string): never => {
    throw new DatasetError(`${where}: ${what}, got ${JSON.stringify(value)}`);
  };
  switch (kind) {
    case 'slug':
      return typeof value === 'string' && SLUG_PATTERN.test(value) ? value : fail('expected a slug');
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 ? value : fail('expected non-empty text');
    case 'wan':
      try {
        return parseWan(value); // exact: 万元 text with separators -> fen
      } catch (error) {
        return fail(`expected an amount in 万元 (${error instanceof Error ? error.message : String(error)})`);
      }
    case 'quantity':
      try {
        return parseQuantity(value);
      } catch (error) {
        return fail(`expected a quantity (${error instanceof Error ? error.message : String(error)})`);
      }
    case 'year':
      return Number.isInteger(value) && (value as number) >= 1949 && (value as number) <= 2100 ? value : fail('expected a year');
    case 'int':
      return Number.isInteger(value) && (value as number) > 0 ? value : fail('expected a positive integer');
    case 'date':
      try {
        return parseCalendarDate(value);
      } catch (error) {
        if (!(error instanceof CalendarFormatError)) throw error;
        return fail(`expected a calendar date YYYY-MM-DD: the text ${error.message}`);
      }
    case 'source':
      return (FUNDING_SOURCES as readonly unknown[]).includes(value) ? value : fail(`expected one of ${FUNDING_SOURCES.join(', ')}`);
    case 'category':
      return (DISBURSEMENT_CATEGORIES as readonly unknown[]).includes(value) ? value : fail(`expected one of ${DISBURSEMENT_CATEGORIES.join(', ')}`);
    case 'level':
      return (PROGRAMME_LEVELS as readonly unknown[]).includes(value) ? value : fail(`expected one of ${PROGRAMME_LEVELS.join(', ')}`);
    case 'region':
      return typeof value === 'string' && REGION_PATH_PATTERN.test(value) ? value : fail('expected a region path of slugs, broadest first');
    case 'bond-kind':
      return (BOND_KINDS as readonly unknown[]).includes(value) ? value : fail(`expected one of ${BOND_KINDS.join(', ')}`);
    case 'from-assignment': {
      const from = value as Record<string, unknown> | null;
      if (typeof from !== 'object' || from === null || Object.keys(from).sort().join() !== 'assignmentId,bondId') {
        return fail('expected { bondId, assignmentId }');
      }
      convert('slug', from.bondId, `${where}.bondId`);
      convert('slug', from.assignmentId, `${where}.assignmentId`);
      return bondReceiptId(from.bondId as string, from.assignmentId as string);
    }
  }
}

/**
 * Every amount of a data set is printed in 万元, so the command keeps its printed precision: the
 * decimals as typed ("22,700" → 0, "34,822.3" → 1, "2,517.80" → 2). An amount the data set derives
 * (`derived`, e.g. 65,000.00 = 75,000.00 − 10,000.00) keeps the precision of its digits too: alone it
 * is known only to ±0.01 万元, but every figure it enters also adds the amount it was split from, and
 * the two half-steps of the pair (±0.01) cover the ±0.005 of the printed whole.
 */
function printedPrecision(entry: SeedEntry, spec: (typeof FIELDS)[string]): { unit: 'wan'; decimals: number } | undefined {
  const field = Object.keys({ ...spec.required, ...spec.optional }).find(
    (name) => ({ ...spec.required, ...spec.optional })[name] === 'wan' && entry.data[name] !== undefined,
  );
  if (field === undefined) return undefined;
  const text = String(entry.data[field]);
  const dot = text.indexOf('.');
  return { unit: 'wan', decimals: dot < 0 ? 0 : text.length - dot - 1 };
}

/** One entry of commands.json as the domain command it stands for, with its stream. */
export function toSeedCommand(entry: SeedEntry, index: number): SeedCommand {
  const where = `commands[${index}] (${String(entry?.type)})`;
  const spec = FIELDS[entry?.type];
  if (!spec) throw new DatasetError(`${where}: unknown command type`);
  if (typeof entry.data !== 'object' || entry.data === null) throw new DatasetError(`${where}: data must be an object`);
  if (!isCalendarDate(entry.effectiveDate)) throw new DatasetError(`${where}: effectiveDate must be a date YYYY-MM-DD`);
  if (typeof entry.citation?.section !== 'string' || typeof entry.citation?.quote !== 'string') {
    throw new DatasetError(`${where}: citation { section, quote } is required`);
  }
  const data: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(spec.required)) {
    if (entry.data[field] === undefined) throw new DatasetError(`${where}: ${field} is required`);
    data[field] = convert(kind, entry.data[field], `${where}.${field}`);
  }
  for (const [field, value] of Object.entries(entry.data)) {
    if (field in spec.required) continue;
    const kind = spec.optional[field];
    if (kind === undefined) throw new DatasetError(`${where}: ${field} is not a field of ${entry.type}`);
    if (value === undefined) continue;
    if (kind === 'from-assignment') {
      if (entry.data.receiptId !== undefined) throw new DatasetError(`${where}: receiptId and receiptFromAssignment exclude each other`);
      data.receiptId = convert(kind, value, `${where}.${field}`);
    } else {
      data[field] = convert(kind, value, `${where}.${field}`);
    }
  }
  const printed = printedPrecision(entry, spec);
  if (printed !== undefined) data.printed = printed;
  if (spec.aggregate === 'programme') {
    return { aggregate: 'programme', streamId: programmeStreamId(data.programmeId as string), command: { type: entry.type, data } as ProgrammeCommand };
  }
  if (spec.aggregate === 'bond') {
    return { aggregate: 'bond', streamId: bondStreamId(data.bondId as string), command: { type: entry.type, data } as BondCommand };
  }
  return { aggregate: 'project', streamId: projectStreamId(data.projectId as string), command: { type: entry.type, data } as ProjectCommand };
}
