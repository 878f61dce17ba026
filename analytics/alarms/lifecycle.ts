/**
 * The alarm lifecycle as a pure state machine: open → acknowledged → in_progress → resolved, with the shortcuts
 * people take (start work without acknowledging first; resolve from any active state). Anything else is an
 * `AlarmTransitionError`, which the API turns into 409.
 */

export const alarmStates = ['open', 'acknowledged', 'in_progress', 'resolved'] as const
export type AlarmState = (typeof alarmStates)[number]

/** What a person can do to an alarm. */
export const alarmActions = ['acknowledge', 'start', 'resolve'] as const
export type AlarmAction = (typeof alarmActions)[number]

/** Everything that is recorded in `alarm_events.action`. */
export type AlarmEventAction =
  | 'opened'
  | 'repeated'
  | 'cleared'
  | 'acknowledged'
  | 'in_progress'
  | 'resolved'
  | 'escalated'
  | 'reminded'
  | 'work_order'

export class AlarmTransitionError extends Error {
  override readonly name = 'AlarmTransitionError'
  constructor(
    readonly from: AlarmState,
    readonly action: AlarmAction,
  ) {
    super(`cannot ${action} an alarm that is ${from.replace('_', ' ')}`)
  }
}

const allowed: Readonly<Record<AlarmAction, readonly AlarmState[]>> = {
  acknowledge: ['open'],
  start: ['open', 'acknowledged'],
  resolve: ['open', 'acknowledged', 'in_progress'],
}

const results: Readonly<Record<AlarmAction, { state: AlarmState; event: AlarmEventAction }>> = {
  acknowledge: { state: 'acknowledged', event: 'acknowledged' },
  start: { state: 'in_progress', event: 'in_progress' },
  resolve: { state: 'resolved', event: 'resolved' },
}

/** The state after `action`, and the event to record; throws AlarmTransitionError when not allowed. */
export function transition(
  from: AlarmState,
  action: AlarmAction,
): { state: AlarmState; event: AlarmEventAction } {
  if (!allowed[action].includes(from)) throw new AlarmTransitionError(from, action)
  return results[action]
}

/** Whether an alarm in `state` still counts (not resolved). */
export function isActive(state: AlarmState): boolean {
  return state !== 'resolved'
}

/** Unacknowledged alarms that are due for escalation or a reminder at `now`. Pure. */
export function dueNotifications(
  alarms: readonly {
    readonly id: number
    readonly openedAt: number
    readonly lastNotifiedAt: number
    readonly escalationLevel: number
    readonly escalateAfterS: number | null
    readonly remindEveryS: number | null
  }[],
  now: number,
): { escalate: number[]; remind: number[] } {
  const escalate: number[] = []
  const remind: number[] = []
  for (const a of alarms) {
    if (a.escalateAfterS !== null && a.escalationLevel === 0 && now - a.openedAt >= a.escalateAfterS * 1000) {
      escalate.push(a.id)
    } else if (a.remindEveryS !== null && now - a.lastNotifiedAt >= a.remindEveryS * 1000) {
      remind.push(a.id)
    }
  }
  return { escalate, remind }
}
