/**
 * Every change of a work order writes two things in the transaction of the change: a row of its history
 * (`work_order_events`: who, what, when, from which state to which) and an audit entry (hashes of the order
 * before and after). Both go through `recordChange`, so neither can be forgotten.
 */
import type { Sql } from '../../data/index.ts'
import type { Actor, Auditor } from '../audit/auditor.ts'
import { EVENT, type WorkOrderRow } from './repository.ts'

/** The system acting on its own (SLA job, automatic sources): no user id in the history. */
export const SYSTEM_ID = 'system'

export interface Change {
  readonly actor: Actor
  readonly action: string
  readonly before: WorkOrderRow | null
  readonly after: WorkOrderRow
  readonly at: Date
  readonly note?: string | null
  readonly data?: unknown
  readonly requestId?: string | null
}

/** Writes the history row and the audit entry of one change, inside `tx`. */
export async function recordChange(tx: Sql, auditor: Auditor, change: Change): Promise<void> {
  const { actor, after } = change
  await tx.query(EVENT, [
    after.id,
    change.at,
    actor.id === SYSTEM_ID ? null : actor.id,
    actor.role,
    change.action,
    change.before?.state ?? null,
    after.state,
    change.note ?? null,
    change.data === undefined ? null : JSON.stringify(change.data),
  ])
  await auditor.record(tx, {
    actor,
    action: `work_order.${change.action}`,
    object: { type: 'work_order', id: after.id, communityId: after.communityId },
    before: change.before,
    after,
    requestId: change.requestId ?? null,
  })
}

export interface HistoryEntry {
  readonly id: number
  readonly at: string
  readonly actorId: string | null
  readonly actorRole: string
  readonly action: string
  readonly fromState: string | null
  readonly toState: string
  readonly note: string | null
  readonly data: unknown
}

export type HistoryRow = Omit<HistoryEntry, 'at'> & { at: Date }

export const historyView = (r: HistoryRow): HistoryEntry => ({
  ...r,
  at: r.at.toISOString(),
  data: r.data ?? null,
})
