/**
 * The work-order state machine as one table of data: for every action, the states it may start from, the state
 * it leads to, the permission its route declares and whether only the assignee may take it. Routes, the service
 * and the exhaustive state × action test are all generated from this table, so there is one place to read (and
 * change) the lifecycle:
 *
 *   new → assigned → accepted → in_progress ⇄ on_hold → resolved → verified → closed
 *   assigned → rejected (the assignee declines) → assigned again; resolved/verified → reopened → assigned again
 */
import type { Permission } from '../auth/permissions.ts'

export const workOrderStates = [
  'new',
  'assigned',
  'accepted',
  'in_progress',
  'on_hold',
  'resolved',
  'verified',
  'closed',
  'rejected',
  'reopened',
] as const
export type WorkOrderState = (typeof workOrderStates)[number]

export const workOrderActions = [
  'assign',
  'grab',
  'accept',
  'reject',
  'start',
  'hold',
  'resume',
  'resolve',
  'verify',
  'reopen',
  'close',
] as const
export type WorkOrderAction = (typeof workOrderActions)[number]

export interface Transition {
  readonly from: readonly WorkOrderState[]
  readonly to: WorkOrderState
  /** The permission the action's route declares. */
  readonly permission: Permission
  /** Only the assignee may take it (or a holder of `workorder:manage`). */
  readonly assigneeOnly: boolean
  readonly summary: string
}

/** Orders waiting for someone to take them. */
const unassigned: readonly WorkOrderState[] = ['new', 'rejected', 'reopened']

export const transitions: Readonly<Record<WorkOrderAction, Transition>> = {
  assign: {
    from: [...unassigned, 'assigned'],
    to: 'assigned',
    permission: 'workorder:dispatch',
    assigneeOnly: false,
    summary: 'Dispatch to a repairer (named, or round-robin by skill and community)',
  },
  grab: {
    from: unassigned,
    to: 'accepted',
    permission: 'workorder:work',
    assigneeOnly: false,
    summary: 'Take an unassigned order yourself',
  },
  accept: {
    from: ['assigned'],
    to: 'accepted',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Accept an order assigned to you',
  },
  reject: {
    from: ['assigned'],
    to: 'rejected',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Decline an order assigned to you (it goes back to dispatch)',
  },
  start: {
    from: ['accepted'],
    to: 'in_progress',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Start work on site',
  },
  hold: {
    from: ['in_progress'],
    to: 'on_hold',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Put work on hold (waiting for parts, access, …)',
  },
  resume: {
    from: ['on_hold'],
    to: 'in_progress',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Resume work on hold',
  },
  resolve: {
    from: ['in_progress'],
    to: 'resolved',
    permission: 'workorder:work',
    assigneeOnly: true,
    summary: 'Mark the repair done',
  },
  verify: {
    from: ['resolved'],
    to: 'verified',
    permission: 'workorder:manage',
    assigneeOnly: false,
    summary: 'Confirm the repair (after the return visit)',
  },
  reopen: {
    from: ['resolved', 'verified'],
    to: 'reopened',
    permission: 'workorder:manage',
    assigneeOnly: false,
    summary: 'Reopen: the problem is not fixed',
  },
  close: {
    from: ['verified'],
    to: 'closed',
    permission: 'workorder:manage',
    assigneeOnly: false,
    summary: 'Close a verified order',
  },
}

/** The state `action` leads to from `state`, or null when the table has no such edge. */
export function nextState(state: WorkOrderState, action: WorkOrderAction): WorkOrderState | null {
  const t = transitions[action]
  return t.from.includes(state) ? t.to : null
}

/** States in which nobody needs to act on the order any more (the SLA clock has stopped). */
export const settledStates: readonly WorkOrderState[] = ['resolved', 'verified', 'closed']

/** States in which the order waits for someone to take it (the response SLA is running). */
export const awaitingStates: readonly WorkOrderState[] = ['new', 'assigned', 'rejected', 'reopened']
