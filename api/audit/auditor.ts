/**
 * The API's audit writer: every service that changes something calls `record` inside the transaction of the
 * change, so the change and its audit entry commit together or not at all.
 */
import { appendAudit, type AuditInput, type Sql } from '../../data/index.ts'
import type { AuthContext } from '../auth/context.ts'

/** Who did something, as the audit log records it. */
export interface Actor {
  readonly id: string
  readonly role: string
  readonly companyId: string | null
}

/** The actor of a signed-in caller. */
export function actorOf(auth: AuthContext): Actor {
  return { id: auth.userId, role: auth.role, companyId: auth.companyId }
}

/** Appends audit entries with the entry MAC key. */
export class Auditor {
  constructor(private readonly macKey: Buffer) {}

  /** Appends one entry inside `tx`. */
  async record(tx: Sql, input: AuditInput): Promise<void> {
    await appendAudit(tx, this.macKey, input)
  }
}
