import { randomUUID } from 'node:crypto';
import type { CommandContext, DisbursementCategory, ProjectCommand, RecordDisbursement } from '@fundtrail/funding';
import { DISBURSEMENT_CATEGORIES } from '@fundtrail/funding';
import { formatYuan } from '@fundtrail/money';

/**
 * The append workload every append scenario runs (command bus, Emmett, HTTP): a project is
 * registered and funded from two sources, then clerks post disbursements with unique ids,
 * half of them drawn from a named receipt. Amounts never exhaust the funds.
 */
export const WORKLOAD_RECEIPTS = [
  { receiptId: 'r-central-2024', source: 'central-subsidy' as const, amount: 1_000_000_000_00n },
  { receiptId: 'r-district-2024', source: 'district-budget' as const, amount: 1_000_000_000_00n },
];

export function setupCommands(projectId: string): ProjectCommand[] {
  return [
    {
      type: 'RegisterProject',
      data: {
        projectId,
        name: `基准测试项目 ${projectId}`,
        department: '区住房和城乡建设局',
        category: '市政基础设施',
        plannedTotal: 2_500_000_000_00n,
        fiscalYear: 2024,
      },
    },
    ...WORKLOAD_RECEIPTS.map((r): ProjectCommand => ({
      type: 'ReceiveFunds',
      data: { projectId, receiptId: r.receiptId, source: r.source, amount: r.amount, fiscalYear: 2024 },
    })),
  ];
}

export interface DisbursementFields {
  disbursementId: string;
  amount: bigint;
  category: DisbursementCategory;
  receiptId?: string;
  payee: string;
  voucherRef: string;
}

/** The n-th disbursement of a writer: deterministic, varied, always affordable. */
export function disbursementFields(disbursementId: string, n: number): DisbursementFields {
  const amount = 100_00n + BigInt((n * 7919) % 990_000) * 3n; // 100.00 .. ~29,800 yuan
  return {
    disbursementId,
    amount,
    category: DISBURSEMENT_CATEGORIES[n % DISBURSEMENT_CATEGORIES.length],
    ...(n % 2 === 0 ? { receiptId: WORKLOAD_RECEIPTS[(n >> 1) % 2].receiptId } : {}),
    payee: `云南第${(n % 37) + 1}建设工程有限公司`,
    voucherRef: `PZ-2024-${String(n).padStart(7, '0')}`,
  };
}

export function disbursementCommand(projectId: string, fields: DisbursementFields): RecordDisbursement {
  return { type: 'RecordDisbursement', data: { projectId, ...fields } };
}

/** The same disbursement as an HTTP body (amounts are yuan strings at the edge). */
export function disbursementBody(fields: DisbursementFields): Record<string, unknown> {
  return { ...fields, amount: formatYuan(fields.amount), effectiveDate: '2024-06-30' };
}

export function clerkContext(): CommandContext {
  return { actor: { id: 'bench-clerk', role: 'clerk' }, correlationId: randomUUID(), effectiveDate: '2024-06-30' };
}

export function officerContext(): CommandContext {
  return { actor: { id: 'bench-officer', role: 'budget-officer' }, correlationId: randomUUID(), effectiveDate: '2024-03-01' };
}
