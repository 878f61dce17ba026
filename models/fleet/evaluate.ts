/**
 * Event-level evaluation of a risk model with its alert policy, the way maintenance experiences it: replay each
 * device's scores in time order through the policy (alert-policy.ts) and compare the alerts with the failures.
 *
 * - an alert is TRUE when it is raised while its device is degrading (between onset and failure), else FALSE;
 * - a failure is WARNED ≥ 48 h when a true alert was raised at least `leadHours` before it; its lead time is
 *   failure − the first alert's time;
 * - only failures at least `minObservedHours` after the start of scoring count (a device must have been watched
 *   for a while to be warned about), and device-days are the scored hours / 24.
 */
import { INITIAL_ALERT_STATE, stepAlert } from './alert-policy.ts'
import type { AlertPolicy, AlertState } from './alert-policy.ts'
import type { FailureRecord } from './labels.ts'

const HOUR = 3_600_000

/** Scores of one device in time order. */
export interface DeviceScores {
  readonly deviceId: string
  readonly time: Float64Array
  readonly risk: Float32Array
}

export interface EventMetrics {
  readonly failures: number
  readonly warned: number
  /** warned / failures (NaN without failures). */
  readonly recall: number
  /** Failures with any true alert before them, however late. */
  readonly warnedAtAll: number
  readonly alerts: number
  readonly falseAlerts: number
  readonly deviceDays: number
  readonly falsePer100DeviceDays: number
  /** Median lead time of the warned failures, hours (NaN if none). */
  readonly medianLeadHours: number
  /** Lead time per counted failure, hours (NaN: not warned in time). */
  readonly leads: readonly { readonly deviceId: string; readonly fault: string; readonly leadHours: number }[]
}

export interface EvaluateOptions {
  readonly leadHours: number
  readonly minObservedHours: number
  /** Repairs that end an alert and restart the policy, per device (epoch ms); default: each failure's end. */
  readonly resetAt?: ReadonlyMap<string, readonly number[]>
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Replays `devices` through `policy` and scores the alerts against `failures`. */
export function evaluateAlerts(
  devices: readonly DeviceScores[],
  failures: readonly FailureRecord[],
  policy: AlertPolicy,
  options: EvaluateOptions,
): EventMetrics {
  const byDevice = new Map<string, FailureRecord[]>()
  for (const f of failures) {
    const list = byDevice.get(f.deviceId)
    if (list) list.push(f)
    else byDevice.set(f.deviceId, [f])
  }
  let alerts = 0
  let falseAlerts = 0
  let scored = 0
  const leads: { deviceId: string; fault: string; leadHours: number }[] = []
  let warnedAtAll = 0
  for (const d of devices) {
    const mine = byDevice.get(d.deviceId) ?? []
    const resets = [...(options.resetAt?.get(d.deviceId) ?? mine.map((f) => f.end))].sort((a, b) => a - b)
    let state: AlertState = INITIAL_ALERT_STATE
    let r = 0
    const raised: number[] = []
    scored += d.time.length
    for (let i = 0; i < d.time.length; i++) {
      const t = d.time[i]!
      while (r < resets.length && resets[r]! <= t) {
        // A repaired device starts afresh: its alert was dealt with by the repair.
        state = { ...INITIAL_ALERT_STATE, lastRaisedAt: state.lastRaisedAt }
        r++
      }
      const step = stepAlert(state, d.risk[i]!, t, policy)
      state = step.state
      if (step.action !== 'raise') continue
      alerts++
      raised.push(t)
      if (!mine.some((f) => t >= f.onset && t < f.failure)) falseAlerts++
    }
    const start = d.time.length > 0 ? d.time[0]! : Number.POSITIVE_INFINITY
    const end = d.time.length > 0 ? d.time[d.time.length - 1]! : Number.NEGATIVE_INFINITY
    for (const f of mine) {
      if (f.failure < start + options.minObservedHours * HOUR || f.failure > end + 2 * HOUR) continue
      const hits = raised.filter((t) => t >= f.onset && t < f.failure)
      if (hits.length > 0) warnedAtAll++
      const first = hits[0]
      const lead = first === undefined ? Number.NaN : (f.failure - first) / HOUR
      leads.push({
        deviceId: d.deviceId,
        fault: f.fault ?? 'failure',
        leadHours: lead >= options.leadHours ? lead : Number.NaN,
      })
    }
  }
  const warned = leads.filter((l) => Number.isFinite(l.leadHours))
  const deviceDays = scored / 24
  return {
    failures: leads.length,
    warned: warned.length,
    recall: leads.length > 0 ? warned.length / leads.length : Number.NaN,
    warnedAtAll,
    alerts,
    falseAlerts,
    deviceDays,
    falsePer100DeviceDays: deviceDays > 0 ? (100 * falseAlerts) / deviceDays : Number.NaN,
    medianLeadHours: median(warned.map((l) => l.leadHours)),
    leads,
  }
}
