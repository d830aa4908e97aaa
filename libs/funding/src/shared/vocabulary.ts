/** Where money comes from (资金来源). */
export const FUNDING_SOURCES = [
  'special-bond', // 专项债券
  'general-bond', // 一般债券
  'treasury-bond', // 国债
  'central-subsidy', // 中央补助
  'provincial-subsidy', // 省级补助
  'municipal-subsidy', // 市级补助
  'district-budget', // 区级财政
  'self-raised', // 自筹
  'carry-over', // 结转 / 上年结余
  'other',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

/** What money was spent on (支出类别). */
export const DISBURSEMENT_CATEGORIES = [
  'land-and-taxes', // 土地款及税费
  'construction', // 工程款 / 建安工程费
  'engineering-services', // 造价、监理、勘察等工程其他费用
  'bond-issuance-fee', // 债券发行费
  'subsidy', // 补助发放
  'operations', // 运营、养护
  'other',
] as const;
export type DisbursementCategory = (typeof DISBURSEMENT_CATEGORIES)[number];

export const BOND_KINDS = ['special', 'general', 'treasury'] as const;
export type BondKind = (typeof BOND_KINDS)[number];

/** The receipt source a bond's proceeds arrive as. */
export function bondSource(kind: BondKind): FundingSource {
  return `${kind}-bond`;
}

/** Where a programme sits in the government hierarchy (中央 → 省 → 市/州 → 县 / 区). */
export const PROGRAMME_LEVELS = ['national', 'provincial', 'prefecture', 'county', 'district', 'other'] as const;
export type ProgrammeLevel = (typeof PROGRAMME_LEVELS)[number];

/** Client-chosen ids: project, bond and every id inside a stream. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** A region: a path of slugs, broadest first ("yunnan/kunming/xishan"), at most ten levels. */
export const REGION_PATH_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}(?:\/[a-z0-9][a-z0-9-]{1,63}){0,9}$/;

export const projectStreamId = (projectId: string): string => `project-${projectId}`;
export const bondStreamId = (bondId: string): string => `bond-${bondId}`;
export const programmeStreamId = (programmeId: string): string => `programme-${programmeId}`;
