import type { DisbursementCategory, FundingSource } from '@fundtrail/funding';

/**
 * What each figure is: its label, unit, formula and how events move its terms.
 * A key is either a fixed name (`execution_rate`) or a family and a parameter
 * (`receipt_usage_rate:<receiptId>`). Most figures store their own terms; a derived one reads
 * them from other figures' terms (approval_rate from approved_total and received_total).
 */

export type FigureUnit = 'yuan' | 'percent' | 'quantity';
/** Terms of money figures are fen; terms of output figures are 10^-4 quantity units. */
export type TermUnit = 'fen' | 'quantity';
export type Term = 'numerator' | 'denominator';
/** 'add': the term is a sum (absent = 0). 'set': the latest statement wins (absent = unknown). */
export type TermMode = 'add' | 'set';
/** Terms of one project's stream, or project terms merged into district totals. */
export type FigureScope = 'project' | 'portfolio';

export interface BilingualLabel {
  zh: string;
  en: string;
}

/** Why a figure has no value. */
export interface NullReasons {
  numeratorUnknown?: string;
  denominatorUnknown?: string;
  denominatorZero?: string;
}

export const FIXED_FIGURE_KEYS = [
  'planned_total',
  'allocated_total',
  'received_total',
  'disbursed_total',
  'available_balance',
  'arrival_rate',
  'execution_rate',
  'allocation_execution_rate',
  'contract_payment_progress',
  'approved_total',
  'approval_rate',
  'investment_completed',
  'investment_completion_rate',
] as const;
export type FixedFigureKey = (typeof FIXED_FIGURE_KEYS)[number];

export const FIGURE_FAMILIES = [
  'receipt_usage_rate',
  'output_completion',
  'output_target',
  'output_actual',
  'received_by_source',
  'disbursed_by_category',
] as const;
export type FigureFamily = (typeof FIGURE_FAMILIES)[number];

/** The version of a formula unless its definition says otherwise. */
export const FORMULA_VERSION = 1;

const ROUNDING = '× 100, rounded half-up to 2 decimals';
const DISBURSED_NET = 'Σ DisbursementRecorded.amount − Σ DisbursementReversed.amount';
const RECEIVED_NET = 'Σ FundsReceived.amount − Σ ReceiptReversed.amount';
const CONTRACTED = 'Σ latest contract amounts (ContractSigned.amount, replaced by each later ContractAmended.amount)';

// Keyed by the whole vocabulary (the compiler checks it), so they also answer "is this a source?".
const SOURCE_ZH: Record<FundingSource, string> = {
  'special-bond': '专项债券',
  'general-bond': '一般债券',
  'treasury-bond': '国债',
  'central-subsidy': '中央补助',
  'provincial-subsidy': '省级补助',
  'municipal-subsidy': '市级补助',
  'district-budget': '区级财政',
  'self-raised': '自筹',
  'carry-over': '结转',
  other: '其他',
};

const CATEGORY_ZH: Record<DisbursementCategory, string> = {
  'land-and-taxes': '土地款及税费',
  construction: '工程款',
  'engineering-services': '工程其他费用',
  'bond-issuance-fee': '债券发行费',
  subsidy: '补助发放',
  operations: '运营养护',
  other: '其他',
};

/** The report's term for a vocabulary slug; the slug itself when it is not in the vocabulary. */
function chineseName(names: Readonly<Record<string, string>>, slug: string): string {
  return Object.hasOwn(names, slug) ? names[slug] : slug;
}

/** One term of a stored figure, read by a derived one. */
export interface TermSource {
  key: string;
  term: Term;
}

/** Where a figure's terms come from: its own stored terms, or other figures' terms. */
export interface TermSources {
  numerator: TermSource;
  denominator?: TermSource;
}

interface FigureSpec {
  unit: FigureUnit;
  termUnit: TermUnit;
  numerator: TermMode;
  /** Rates only. */
  denominator?: TermMode;
  /** False for figures about one receipt or one indicator: they have no district total. */
  acrossProjects: boolean;
  label: (parameter: string) => BilingualLabel;
  formula: (parameter: string) => string;
  reasons: NullReasons;
  formulaVersion?: number;
  /**
   * Where the district total is not simply the same formula over summed terms. `bothTermsPerProject`:
   * a derived rate whose district total sums, over the projects that know both its terms, each
   * project's two terms (so it is stored in district totals, not derived there).
   */
  portfolio?: { formula: string; reasons: NullReasons; bothTermsPerProject?: true };
  /** A derived figure stores nothing: its terms are these terms of other figures (same modes). */
  derivedFrom?: (parameter: string) => TermSources;
  /**
   * The figure when a stored link names another figure whose numerator is its denominator (an
   * indicator measured against another indicator's actual).
   */
  linked?: {
    formula: (parameter: string, linkedParameter: string) => string;
    formulaVersion: number;
    reasons: NullReasons;
  };
}

const amountSpec = (label: FigureSpec['label'], formula: FigureSpec['formula']): FigureSpec => ({
  unit: 'yuan',
  termUnit: 'fen',
  numerator: 'add',
  acrossProjects: true,
  label,
  formula,
  reasons: {},
});

const amount = (zh: string, en: string, formula: string): FigureSpec =>
  amountSpec(
    () => ({ zh, en }),
    () => formula,
  );

const moneyRate = (zh: string, en: string, formula: string, denominatorZero: string): FigureSpec => ({
  unit: 'percent',
  termUnit: 'fen',
  numerator: 'add',
  denominator: 'add',
  acrossProjects: true,
  label: () => ({ zh, en }),
  formula: () => `${formula} ${ROUNDING}`,
  reasons: { denominatorZero },
});

const FIXED_SPECS: Record<FixedFigureKey, FigureSpec> = {
  planned_total: {
    unit: 'yuan',
    termUnit: 'fen',
    numerator: 'set',
    acrossProjects: true,
    label: () => ({ zh: '总投资 / 预算总金额', en: 'Planned total' }),
    formula: () => 'latest planned total: ProjectRegistered.plannedTotal, replaced by each later PlannedTotalRevised.amount',
    reasons: { numeratorUnknown: 'planned total not recorded' },
    portfolio: {
      formula: 'Σ over the projects that state a planned total of their latest planned total; projects without one are left out',
      reasons: { numeratorUnknown: 'no project states a planned total' },
    },
  },
  allocated_total: amount('预算下达', 'Allocated total', 'Σ FundsAllocated.amount − Σ AllocationReversed.amount'),
  received_total: amount('到位资金', 'Funds received', `${RECEIVED_NET}, all sources including carry-over`),
  disbursed_total: amount('实际支出', 'Disbursed (net of reversals)', DISBURSED_NET),
  available_balance: amount('可用余额', 'Available balance', `${RECEIVED_NET} − (${DISBURSED_NET}), i.e. received_total − disbursed_total`),
  arrival_rate: {
    unit: 'percent',
    termUnit: 'fen',
    numerator: 'add',
    denominator: 'set',
    acrossProjects: true,
    label: () => ({ zh: '资金到位率', en: 'Funds arrival rate' }),
    formula: () => `(${RECEIVED_NET}) where source ≠ carry-over / planned_total ${ROUNDING}`,
    reasons: { denominatorUnknown: 'planned total not recorded', denominatorZero: 'planned total is zero' },
    portfolio: {
      formula:
        `(${RECEIVED_NET}) where source ≠ carry-over, over the projects that state a planned total` +
        ` / Σ of their latest planned totals ${ROUNDING}; projects without a planned total are left out of both terms`,
      reasons: { denominatorUnknown: 'no project states a planned total', denominatorZero: 'planned total is zero' },
    },
  },
  execution_rate: moneyRate('预算执行率 / 支付进度', 'Execution rate', 'disbursed_total / received_total', 'no funds received'),
  allocation_execution_rate: moneyRate(
    '预算执行率（按预算下达）',
    'Execution rate against allocations',
    'disbursed_total / allocated_total',
    'no funds allocated',
  ),
  contract_payment_progress: moneyRate(
    '合同支付进度',
    'Contract payment progress',
    `(${DISBURSED_NET}, where contractId is set) / ${CONTRACTED}`,
    'no contracts signed',
  ),
  approved_total: amount('核拨资金', 'Payments approved (net of reversals)', 'Σ PaymentApproved.amount − Σ PaymentApprovalReversed.amount'),
  approval_rate: {
    ...moneyRate('核拨率', 'Approval rate', 'approved_total / received_total', 'no funds received'),
    derivedFrom: () => ({
      numerator: { key: 'approved_total', term: 'numerator' },
      denominator: { key: 'received_total', term: 'numerator' },
    }),
  },
  investment_completed: {
    unit: 'yuan',
    termUnit: 'fen',
    numerator: 'set',
    acrossProjects: true,
    label: () => ({ zh: '完成投资', en: 'Investment completed (value of work done)' }),
    formula: () => 'latest InvestmentCompletedReported.amount (cumulative to date; each report replaces the last)',
    reasons: { numeratorUnknown: 'investment completed not reported' },
    portfolio: {
      formula: 'Σ over the projects that report investment completed of their latest report; projects without one are left out',
      reasons: { numeratorUnknown: 'no project reports investment completed' },
    },
  },
  investment_completion_rate: {
    unit: 'percent',
    termUnit: 'fen',
    numerator: 'set',
    denominator: 'set',
    acrossProjects: true,
    derivedFrom: () => ({
      numerator: { key: 'investment_completed', term: 'numerator' },
      denominator: { key: 'planned_total', term: 'numerator' },
    }),
    label: () => ({ zh: '投资完成率', en: 'Investment completion rate' }),
    formula: () => `investment_completed / planned_total ${ROUNDING}`,
    reasons: {
      numeratorUnknown: 'investment completed not reported',
      denominatorUnknown: 'planned total not recorded',
      denominatorZero: 'planned total is zero',
    },
    portfolio: {
      formula:
        'Σ investment_completed / Σ planned_total, both over the projects that state a planned total and report' +
        ` investment completed, ${ROUNDING}; other projects are left out of both terms`,
      reasons: {
        numeratorUnknown: 'no project states a planned total and reports investment completed',
        denominatorUnknown: 'no project states a planned total and reports investment completed',
        denominatorZero: 'planned total is zero',
      },
      bothTermsPerProject: true,
    },
  },
};

const FAMILY_SPECS: Record<FigureFamily, FigureSpec> = {
  receipt_usage_rate: {
    unit: 'percent',
    termUnit: 'fen',
    numerator: 'add',
    denominator: 'set',
    acrossProjects: false,
    label: (receiptId) => ({ zh: `资金使用率（到位资金 ${receiptId}）`, en: `Usage rate of receipt ${receiptId}` }),
    formula: (receiptId) => `(${DISBURSED_NET}, where receiptId = ${receiptId}) / FundsReceived.amount of receipt ${receiptId} ${ROUNDING}`,
    reasons: { denominatorUnknown: 'receipt not recorded', denominatorZero: 'receipt amount is zero' },
  },
  output_completion: {
    unit: 'percent',
    termUnit: 'quantity',
    numerator: 'set',
    denominator: 'set',
    acrossProjects: false,
    label: (indicatorId) => ({ zh: `产出完成率（${indicatorId}）`, en: `Output completion of ${indicatorId}` }),
    formula: (indicatorId) =>
      `latest OutputReported.actual / latest target (OutputTargetSet.target, replaced by each later OutputTargetRevised.target), for indicator ${indicatorId}, ${ROUNDING}; no figure once IndicatorWithdrawn`,
    reasons: {
      numeratorUnknown: 'no actual reported',
      denominatorUnknown: 'target not set',
      denominatorZero: 'target is zero',
    },
    linked: {
      formula: (indicatorId, denominatorId) =>
        `latest OutputReported.actual of indicator ${indicatorId} / latest OutputReported.actual of indicator ${denominatorId} ${ROUNDING}`,
      formulaVersion: 2,
      reasons: {
        numeratorUnknown: 'no actual reported',
        denominatorUnknown: 'no actual reported for the denominator indicator',
        denominatorZero: "the denominator indicator's actual is zero",
      },
    },
  },
  output_target: {
    unit: 'quantity',
    termUnit: 'quantity',
    numerator: 'set',
    acrossProjects: false,
    label: (indicatorId) => ({ zh: `绩效目标值（${indicatorId}）`, en: `Target of ${indicatorId}` }),
    formula: (indicatorId) => `latest target of indicator ${indicatorId}: OutputTargetSet.target, replaced by each later OutputTargetRevised.target`,
    reasons: { numeratorUnknown: 'no target set' },
    derivedFrom: (indicatorId) => ({ numerator: { key: `output_completion:${indicatorId}`, term: 'denominator' } }),
  },
  output_actual: {
    unit: 'quantity',
    termUnit: 'quantity',
    numerator: 'set',
    acrossProjects: false,
    label: (indicatorId) => ({ zh: `实际完成值（${indicatorId}）`, en: `Actual of ${indicatorId}` }),
    formula: (indicatorId) => `latest OutputReported.actual of indicator ${indicatorId}`,
    reasons: { numeratorUnknown: 'no actual reported' },
    derivedFrom: (indicatorId) => ({ numerator: { key: `output_completion:${indicatorId}`, term: 'numerator' } }),
  },
  received_by_source: amountSpec(
    (source) => ({ zh: `到位资金（${chineseName(SOURCE_ZH, source)}）`, en: `Funds received from ${source}` }),
    (source) => `${RECEIVED_NET}, where source = ${source}`,
  ),
  disbursed_by_category: amountSpec(
    (category) => ({
      zh: `实际支出（${chineseName(CATEGORY_ZH, category)}）`,
      en: `Disbursed for ${category} (net of reversals)`,
    }),
    (category) => `${DISBURSED_NET}, where category = ${category}`,
  ),
};

/** One figure key, resolved: everything about it except its value. */
export interface FigureDefinition {
  key: string;
  family: FixedFigureKey | FigureFamily;
  parameter?: string;
  label: BilingualLabel;
  unit: FigureUnit;
  termUnit: TermUnit;
  modes: { numerator: TermMode; denominator?: TermMode };
  formula: string;
  formulaVersion: number;
  acrossProjects: boolean;
  reasons: NullReasons;
  /** Set for a figure that stores no terms of its own (in this scope): where its terms are read from. */
  derivedFrom?: TermSources;
  /** A derived rate whose district total mergeTerms stores: Σ of each project's terms where both are known. */
  bothTermsPerProject: boolean;
  /** Whether a stored link may name another figure whose numerator is this one's denominator. */
  linkable: boolean;
  /** The figure key the stored link names, when the definition is of the linked formula. */
  linkedTo?: string;
}

export type ParsedFigureKey = { family: FixedFigureKey; parameter?: undefined } | { family: FigureFamily; parameter: string };

/** `execution_rate` or `received_by_source:special-bond`; undefined for anything else. */
export function parseFigureKey(key: string): ParsedFigureKey | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) {
    return (FIXED_FIGURE_KEYS as readonly string[]).includes(key) ? { family: key as FixedFigureKey } : undefined;
  }
  const family = key.slice(0, colon);
  const parameter = key.slice(colon + 1);
  if (parameter.length === 0 || !(FIGURE_FAMILIES as readonly string[]).includes(family)) return undefined;
  return { family: family as FigureFamily, parameter };
}

export function figureKey(family: FigureFamily, parameter: string): string {
  return `${family}:${parameter}`;
}

/** How a stored term of `key` accumulates; undefined when the key stores no such term (or none at all: derived). */
export function termMode(key: string, term: Term): TermMode | undefined {
  const parsed = parseFigureKey(key);
  if (parsed === undefined) return undefined;
  const spec = specOf(parsed);
  if (spec.derivedFrom !== undefined) return undefined;
  return term === 'numerator' ? spec.numerator : spec.denominator;
}

/**
 * The definition of `key`. `linkedTo` is the figure key a stored link of this figure names (see
 * termSources): the linked formula, with its own version, replaces the plain one.
 */
export function figureDefinition(key: string, scope: FigureScope = 'project', linkedTo?: string): FigureDefinition | undefined {
  const parsed = parseFigureKey(key);
  if (parsed === undefined) return undefined;
  const spec = specOf(parsed);
  const parameter = parsed.parameter ?? '';
  const portfolio = scope === 'portfolio' ? spec.portfolio : undefined;
  const linked = linkedTo !== undefined ? spec.linked : undefined;
  const linkedParameter = linkedTo === undefined ? '' : (parseFigureKey(linkedTo)?.parameter ?? linkedTo);
  return {
    key,
    family: parsed.family,
    ...(parsed.parameter !== undefined && { parameter: parsed.parameter }),
    label: spec.label(parameter),
    unit: spec.unit,
    termUnit: spec.termUnit,
    modes: { numerator: spec.numerator, ...(spec.denominator !== undefined && { denominator: spec.denominator }) },
    formula: linked?.formula(parameter, linkedParameter) ?? portfolio?.formula ?? spec.formula(parameter),
    formulaVersion: linked?.formulaVersion ?? spec.formulaVersion ?? FORMULA_VERSION,
    acrossProjects: spec.acrossProjects,
    reasons: linked?.reasons ?? portfolio?.reasons ?? spec.reasons,
    ...(spec.derivedFrom !== undefined &&
      !(portfolio?.bothTermsPerProject === true) && {
        derivedFrom: spec.derivedFrom(parameter),
      }),
    bothTermsPerProject: spec.portfolio?.bothTermsPerProject === true,
    linkable: spec.linked !== undefined,
    ...(linked !== undefined && { linkedTo }),
  };
}

/**
 * Whether a parameterised key names something that exists even with no event behind it:
 * a vocabulary source or category has a total of zero, an unknown receipt has no figure at all.
 */
export function isVocabularyParameter(parsed: ParsedFigureKey): boolean {
  if (parsed.family === 'received_by_source') return Object.hasOwn(SOURCE_ZH, parsed.parameter);
  if (parsed.family === 'disbursed_by_category') return Object.hasOwn(CATEGORY_ZH, parsed.parameter);
  return false;
}

function specOf(parsed: ParsedFigureKey): FigureSpec {
  return parsed.parameter === undefined ? FIXED_SPECS[parsed.family] : FAMILY_SPECS[parsed.family];
}
