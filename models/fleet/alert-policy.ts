/**
 * When a risk score becomes a predictive alert: the same pure state machine runs in the benchmark (over a
 * simulated month, hour by hour) and in the scoring job (one step per device per run, its state kept in
 * PostgreSQL), so the measured false-alert rate is the one maintenance will live with.
 *
 * - raise: the risk has been at or above the threshold for `consecutive` runs in a row, no alert of this device
 *   is active (deduplication), and the last one was raised at least `cooldownHours` ago (cooldown);
 * - repeat: an active alert sees the risk still high (the stored alert is updated, nobody is paged again);
 * - clear: an active alert's risk stayed below `clearBelow` for `clearRuns` runs (hysteresis): it stops being
 *   active, and after the cooldown a new rise may alert again.
 */

/** The policy's parameters; saved with each model version (the threshold is calibrated per version). */
export interface AlertPolicy {
  readonly threshold: number
  /** Runs in a row at or above the threshold before an alert (hourly runs: hours). */
  readonly consecutive: number
  readonly cooldownHours: number
  /** An active alert clears below this risk… */
  readonly clearBelow: number
  /** …after this many runs in a row. */
  readonly clearRuns: number
}

/** One device's policy state. */
export interface AlertState {
  /** Runs in a row at or above the threshold. */
  readonly above: number
  /** Runs in a row below `clearBelow`. */
  readonly below: number
  /** An alert of this device is active. */
  readonly open: boolean
  /** When the last alert was raised (epoch ms), null if never. */
  readonly lastRaisedAt: number | null
}

export type AlertAction = 'raise' | 'repeat' | 'clear' | 'none'

export const INITIAL_ALERT_STATE: AlertState = { above: 0, below: 0, open: false, lastRaisedAt: null }

const HOUR = 3_600_000

/** Applies one score of `risk` at time `at`; returns the new state and what to do. */
export function stepAlert(
  state: AlertState,
  risk: number,
  at: number,
  policy: AlertPolicy,
): { state: AlertState; action: AlertAction } {
  const above = risk >= policy.threshold ? state.above + 1 : 0
  const below = risk < policy.clearBelow ? state.below + 1 : 0
  if (state.open) {
    if (above > 0) return { state: { ...state, above, below }, action: 'repeat' }
    if (below >= policy.clearRuns) return { state: { ...state, above, below, open: false }, action: 'clear' }
    return { state: { ...state, above, below }, action: 'none' }
  }
  const cooled = state.lastRaisedAt === null || at - state.lastRaisedAt >= policy.cooldownHours * HOUR
  if (above >= policy.consecutive && cooled) {
    return { state: { above, below, open: true, lastRaisedAt: at }, action: 'raise' }
  }
  return { state: { ...state, above, below }, action: 'none' }
}
