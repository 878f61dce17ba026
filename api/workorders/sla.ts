/**
 * SLA policy of work orders, as data: how soon an order of each priority must be accepted and resolved, and the
 * escalation ladder when it is not. Pure functions of times in epoch ms, so the SLA job and its tests run on any
 * clock.
 *
 *   level 1 — not accepted by its response deadline     → the dispatcher (customer service)
 *   level 2 — not resolved by its resolution deadline   → the community manager
 *   level 3 — still unresolved a whole window later     → the company (administrator)
 */
import type { Role } from '../auth/permissions.ts'
import { awaitingStates, settledStates, type WorkOrderState } from './transitions.ts'

export const priorities = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof priorities)[number]

const MINUTE = 60_000

/** Minutes to accept and to resolve, per priority. */
export const slaPolicy: Readonly<
  Record<Priority, { readonly respondMinutes: number; readonly resolveMinutes: number }>
> = {
  urgent: { respondMinutes: 15, resolveMinutes: 4 * 60 },
  high: { respondMinutes: 30, resolveMinutes: 24 * 60 },
  normal: { respondMinutes: 2 * 60, resolveMinutes: 72 * 60 },
  low: { respondMinutes: 24 * 60, resolveMinutes: 7 * 24 * 60 },
}

/** Who an escalation level is raised to. */
export const escalationTargets: Readonly<Record<1 | 2 | 3, Role>> = {
  1: 'customer_service',
  2: 'community_manager',
  3: 'administrator',
}

/** The deadlines of an order of `priority` opened (or reopened) at `at`. */
export function deadlines(priority: Priority, at: number): { respondDueAt: number; dueAt: number } {
  const p = slaPolicy[priority]
  return { respondDueAt: at + p.respondMinutes * MINUTE, dueAt: at + p.resolveMinutes * MINUTE }
}

export interface SlaClockState {
  readonly state: WorkOrderState
  /** When the current SLA window started (creation or reopening), epoch ms. */
  readonly startedAt: number
  readonly respondDueAt: number
  readonly dueAt: number
}

/** The escalation level an order has reached at `now` (0 = within its SLA). */
export function escalationLevel(order: SlaClockState, now: number): 0 | 1 | 2 | 3 {
  if (settledStates.includes(order.state)) return 0
  if (now > order.dueAt + (order.dueAt - order.startedAt)) return 3
  if (now > order.dueAt) return 2
  if (awaitingStates.includes(order.state) && now > order.respondDueAt) return 1
  return 0
}
