import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { INITIAL_ALERT_STATE, stepAlert } from './alert-policy.ts'
import type { AlertAction, AlertPolicy, AlertState } from './alert-policy.ts'
import { evaluateAlerts } from './evaluate.ts'
import { labelSamples } from './labels.ts'

const HOUR = 3_600_000
const policy: AlertPolicy = {
  threshold: 0.8,
  consecutive: 3,
  cooldownHours: 72,
  clearBelow: 0.5,
  clearRuns: 4,
}

/** Replays hourly risks from t = 0; returns the action per hour. */
function replay(risks: readonly number[], start: AlertState = INITIAL_ALERT_STATE): AlertAction[] {
  let state = start
  return risks.map((r, i) => {
    const step = stepAlert(state, r, i * HOUR, policy)
    state = step.state
    return step.action
  })
}

describe('stepAlert', () => {
  it('raises after `consecutive` runs at or above the threshold, once (deduplicated), then repeats', () => {
    assert.deepEqual(replay([0.9, 0.9, 0.7, 0.8, 0.85, 0.9, 0.95]), [
      'none',
      'none',
      'none',
      'none',
      'none',
      'raise',
      'repeat',
    ])
  })

  it('clears only after `clearRuns` runs below the clear level (hysteresis)', () => {
    const actions = replay([0.9, 0.9, 0.9, 0.6, 0.4, 0.4, 0.4, 0.3, 0.4])
    assert.equal(actions[2], 'raise')
    // 0.6 is below the threshold but not below the clear level: the alert stays.
    assert.deepEqual(actions.slice(3), ['none', 'none', 'none', 'none', 'clear', 'none'])
  })

  it('does not raise again within the cooldown, and does after it', () => {
    const high = Array.from({ length: 3 }, () => 0.9)
    const low = Array.from({ length: 4 }, () => 0.1)
    const within = replay([...high, ...low, ...high])
    assert.deepEqual(
      within.map((a, i) => [a, i]).filter(([a]) => a === 'raise' || a === 'clear'),
      [
        ['raise', 2],
        ['clear', 6],
      ],
    )
    const quiet = Array.from({ length: 72 }, () => 0.1)
    const later = replay([...high, ...quiet, ...high])
    assert.deepEqual(
      later.map((a, i) => [a, i]).filter(([a]) => a === 'raise'),
      [
        ['raise', 2],
        ['raise', 77],
      ],
    )
  })
})

describe('labelSamples', () => {
  const failures = [{ deviceId: 'a', onset: 10 * HOUR, failure: 100 * HOUR, end: 110 * HOUR }]
  const options = { horizonHours: 48, rulCapHours: 200, afterRepairHours: 24 }

  it('labels failure within the horizon, capped RUL, and leaves out failed and just-repaired samples', () => {
    const ids = ['a', 'a', 'a', 'a', 'b', 'b']
    const times = Float64Array.from([40, 60, 105, 130, 40, 900].map((h) => h * HOUR))
    const { y, rul, keep } = labelSamples(ids, times, failures, 1000 * HOUR, options)
    assert.deepEqual([...y], [0, 1, 0, 0, 0, 0])
    assert.deepEqual([...keep], [1, 1, 0, 0, 1, 1])
    assert.equal(rul[0], 60)
    assert.equal(rul[1], 40)
    // No failure ahead: the cap when the history runs that long past T, else unknown (censored).
    assert.equal(rul[4], 200)
    assert.ok(Number.isNaN(rul[5]))
  })

  it('with fromOnset, leaves out the horizon hours before the onset and keeps the degrading ones positive', () => {
    // Onset at 70 h, failure at 100 h: T = 60 h is within the 48 h horizon but shows nothing yet.
    const late = [{ deviceId: 'a', onset: 70 * HOUR, failure: 100 * HOUR, end: 110 * HOUR }]
    const times = Float64Array.from([40, 60, 80, 105].map((h) => h * HOUR))
    const ids = ['a', 'a', 'a', 'a']
    const plain = labelSamples(ids, times, late, 1000 * HOUR, options)
    const onset = labelSamples(ids, times, late, 1000 * HOUR, { ...options, fromOnset: true })
    assert.deepEqual([...plain.keep], [1, 1, 1, 0])
    assert.deepEqual([...onset.keep], [1, 0, 1, 0])
    assert.deepEqual([...onset.y], [0, 1, 1, 0])
    assert.equal(onset.rul[2], 20)
  })
})

describe('evaluateAlerts', () => {
  it('counts failures warned ≥ lead hours ahead, false alerts per 100 device-days and the median lead', () => {
    const hours = 30 * 24
    const time = Float64Array.from({ length: hours }, (_, i) => i * HOUR)
    const risk = (f: (h: number) => number) => Float32Array.from({ length: hours }, (_, h) => f(h))
    const failures = [
      // Warned 100 h ahead.
      { deviceId: 'a', onset: 300 * HOUR, failure: 500 * HOUR, end: 510 * HOUR, fault: 'door_bearing_wear' },
      // Warned only 10 h ahead: not in time.
      { deviceId: 'b', onset: 300 * HOUR, failure: 500 * HOUR, end: 510 * HOUR, fault: 'brake_wear' },
    ]
    const devices = [
      { deviceId: 'a', time, risk: risk((h) => (h >= 398 && h < 500 ? 0.95 : 0.1)) },
      { deviceId: 'b', time, risk: risk((h) => (h >= 488 && h < 500 ? 0.95 : 0.1)) },
      // A healthy device with one false alert.
      { deviceId: 'c', time, risk: risk((h) => (h >= 100 && h < 110 ? 0.95 : 0.1)) },
    ]
    const m = evaluateAlerts(devices, failures, policy, { leadHours: 48, minObservedHours: 72 })
    assert.equal(m.failures, 2)
    assert.equal(m.warned, 1)
    assert.equal(m.warnedAtAll, 2)
    assert.equal(m.recall, 0.5)
    assert.equal(m.alerts, 3)
    assert.equal(m.falseAlerts, 1)
    assert.equal(m.deviceDays, 90)
    assert.ok(Math.abs(m.falsePer100DeviceDays - 100 / 90) < 1e-9)
    assert.equal(m.medianLeadHours, 100)
  })
})
