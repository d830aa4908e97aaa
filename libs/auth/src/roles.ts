/** Who may act. `admin` may do what every other role may. */
export const ROLES = ['clerk', 'budget-officer', 'auditor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller; recorded on every event as metadata.actor. */
export interface Actor {
  id: string;
  role: Role;
}

export function mayAct(actor: Actor, allowed: readonly Role[]): boolean {
  return actor.role === 'admin' || allowed.includes(actor.role);
}
