import assert from 'node:assert/strict'
import { PerformanceObserver } from 'node:perf_hooks'
import { describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { AlarmEngine, type AlarmTrigger } from './engine.ts'
import { parseRule, type AlarmRule } from './rules.ts'

function rule(fields: Record<string, unknown>, revision = 1): AlarmRule {
  const parsed = parseRule({ name: String(fields.id), ...fields }, revision)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

const pump = { id: 'p1', communityId: 'c1', kind: 'water_pump' }
const pump2 = { id: 'p2', communityId: 'c2', kind: 'water_pump' }
const lift = { id: 'e1', communityId: 'c1', kind: 'elevator' }

function harness(now = { t: 0 }) {
  const log: string[] = []
  const triggers: AlarmTrigger[] = []
  const engine = new AlarmEngine({
    now: () => now.t,
    devices: [pump, pump2, lift],
    sink: {
      raise: (t) => {
        triggers.push(t)
        log.push(`raise ${t.rule.id} ${t.device.id}`)
      },
      clear: (t) => log.push(`clear ${t.rule.id} ${t.device.id}`),
    },
  })
  return { engine, log, triggers, now }
}

describe('AlarmEngine', () => {
  it('raises a threshold only after it held for its duration, and clears past the hysteresis value', () => {
    const { engine, log, triggers } = harness()
    engine.setRules([
      rule({
        id: 'hot',
        type: 'threshold',
        deviceKind: 'water_pump',
        metric: 'motor_temp_c',
        params: { op: '>', value: 80, durationS: 60, clearValue: 75 },
      }),
    ])
    engine.telemetry(pump, 0, 0, { motor_temp_c: 85 })
    engine.telemetry(pump, 0, 30_000, { motor_temp_c: 86 })
    assert.deepEqual(log, [])
    engine.telemetry(pump, 0, 60_000, { motor_temp_c: 87 })
    assert.deepEqual(log, ['raise hot p1'])
    assert.equal(triggers[0]?.value, 87)
    assert.equal(triggers[0]?.ts, 60_000)
    assert.match(triggers[0]?.message ?? '', /motor_temp_c = 87 > 80 for 60 s/)
    engine.telemetry(pump, 0, 70_000, { motor_temp_c: 78 })
    assert.deepEqual(log, ['raise hot p1'], 'still above the clear value')
    engine.telemetry(pump, 0, 80_000, { motor_temp_c: 74 })
    assert.deepEqual(log, ['raise hot p1', 'clear hot p1'])
  })

  it('restarts the duration when the condition breaks', () => {
    const { engine, log } = harness()
    engine.setRules([
      rule({
        id: 'r',
        type: 'threshold',
        deviceId: 'p1',
        metric: 'x',
        params: { op: '>=', value: 1, durationS: 10 },
      }),
    ])
    engine.telemetry(pump, 0, 0, { x: 1 })
    engine.telemetry(pump, 0, 5_000, { x: 0 })
    engine.telemetry(pump, 0, 9_000, { x: 2 })
    engine.telemetry(pump, 0, 15_000, { x: 2 })
    assert.deepEqual(log, [])
    engine.telemetry(pump, 0, 19_000, { x: 2 })
    assert.deepEqual(log, ['raise r p1'])
  })

  it('respects the rule community and ignores other kinds and metrics', () => {
    const { engine, log } = harness()
    engine.setRules([
      rule({
        id: 'r',
        type: 'threshold',
        communityId: 'c1',
        deviceKind: 'water_pump',
        metric: 'x',
        params: { op: '>', value: 0 },
      }),
    ])
    engine.telemetry(pump2, 1, 0, { x: 5 })
    engine.telemetry(lift, 2, 0, { x: 5 })
    engine.telemetry(pump, 0, 0, { y: 5 })
    assert.deepEqual(log, [])
    engine.telemetry(pump, 0, 0, { x: 5 })
    assert.deepEqual(log, ['raise r p1'])
  })

  it('raises on a rate of change between consecutive samples', () => {
    const { engine, log } = harness()
    engine.setRules([
      rule({
        id: 'drop',
        type: 'rate',
        deviceKind: 'water_pump',
        metric: 'outlet_pressure_bar',
        params: { maxPerMinute: 1, direction: 'down' },
      }),
    ])
    engine.telemetry(pump, 0, 0, { outlet_pressure_bar: 5 })
    engine.telemetry(pump, 0, 60_000, { outlet_pressure_bar: 4.5 })
    engine.telemetry(pump, 0, 90_000, { outlet_pressure_bar: 5.5 })
    assert.deepEqual(log, [], 'a slow drop and a fast rise do not count')
    engine.telemetry(pump, 0, 120_000, { outlet_pressure_bar: 4 })
    assert.deepEqual(log, ['raise drop p1'])
    engine.telemetry(pump, 0, 180_000, { outlet_pressure_bar: 4 })
    assert.deepEqual(log, ['raise drop p1', 'clear drop p1'])
  })

  it('raises a composite when all of its (silent) parts hold on the same device', () => {
    const { engine, log } = harness()
    engine.setRules([
      rule({
        id: 'vib',
        type: 'threshold',
        deviceKind: 'water_pump',
        metric: 'vibration',
        params: { op: '>', value: 5, silent: true },
      }),
      rule({
        id: 'hot',
        type: 'threshold',
        deviceKind: 'water_pump',
        metric: 'temp',
        params: { op: '>', value: 80, silent: true },
      }),
      rule({ id: 'bearing', type: 'composite', params: { op: 'all', rules: ['vib', 'hot'] } }),
    ])
    engine.telemetry(pump, 0, 0, { vibration: 6, temp: 70 })
    engine.telemetry(pump2, 1, 0, { vibration: 6, temp: 90 })
    assert.deepEqual(log, ['raise bearing p2'])
    engine.telemetry(pump, 0, 1000, { vibration: 7, temp: 81 })
    assert.deepEqual(log, ['raise bearing p2', 'raise bearing p1'])
    engine.telemetry(pump, 0, 2000, { vibration: 4 })
    assert.deepEqual(log, ['raise bearing p2', 'raise bearing p1', 'clear bearing p1'])
  })

  it('raises a stale alarm on the timer for a device that stopped reporting, and on an offline status', () => {
    const clock = { t: 1_000_000 }
    const { engine, log } = harness(clock)
    engine.setRules([rule({ id: 'stale', type: 'stale', deviceKind: 'water_pump', params: { afterS: 300 } })])
    engine.telemetry(pump, 0, clock.t, { x: 1 })
    clock.t += 299_000
    engine.checkStale()
    assert.equal(log.length, 0)
    clock.t += 2_000
    engine.checkStale()
    assert.deepEqual([...log].sort(), ['raise stale p1', 'raise stale p2'], 'p2 never reported at all')
    engine.telemetry(pump, 0, clock.t, { x: 1 })
    engine.checkStale()
    assert.ok(log.includes('clear stale p1'))
    engine.status(pump, 0, clock.t, 'offline')
    assert.equal(log.filter((l) => l === 'raise stale p1').length, 2)
  })

  it('keeps the state of unchanged rules across a reload and drops removed ones', () => {
    const { engine, log } = harness()
    const slow = rule({
      id: 'slow',
      type: 'threshold',
      deviceKind: 'water_pump',
      metric: 'x',
      params: { op: '>', value: 1, durationS: 60 },
    })
    engine.setRules([slow])
    engine.telemetry(pump, 0, 0, { x: 2 })
    engine.setRules([
      slow,
      rule({
        id: 'other',
        type: 'threshold',
        deviceKind: 'elevator',
        metric: 'y',
        params: { op: '>', value: 1 },
      }),
    ])
    engine.telemetry(pump, 0, 60_000, { x: 2 })
    assert.deepEqual(log, ['raise slow p1'])
    engine.setRules([])
    engine.telemetry(pump, 0, 120_000, { x: 0 })
    assert.deepEqual(log, ['raise slow p1'])
    assert.equal(engine.rules.size, 0)
  })

  it('grows its per-device state past the initial capacity', () => {
    const { engine, log } = harness()
    engine.setRules([
      rule({
        id: 'r',
        type: 'threshold',
        deviceKind: 'env_sensor',
        metric: 'x',
        params: { op: '>', value: 0 },
      }),
    ])
    for (let i = 0; i < 3000; i++)
      engine.telemetry({ id: `s${i}`, communityId: 'c1', kind: 'env_sensor' }, i, 0, { x: 1 })
    assert.equal(log.length, 3000)
  })

  it('allocates nothing per message when no rule fires (at most one scavenge over 2.6 million messages)', async () => {
    const { engine } = harness()
    engine.setRules([
      rule({
        id: 'r',
        type: 'threshold',
        deviceKind: 'elevator',
        metric: 'x',
        params: { op: '>', value: 100 },
      }),
    ])
    const m = { flow_m3h: 1, power_kw: 2 }
    const liftM = { x: 1 }
    const gcs: string[] = []
    const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.name)))
    // Warm up (slots, inline caches), then observe.
    for (let i = 0; i < 300_000; i++) {
      engine.telemetry(pump, 0, i, m)
      engine.telemetry(lift, 2, i, liftM)
    }
    // Start from an empty young generation, so earlier tests' garbage does not count.
    setFlagsFromString('--expose-gc')
    ;(runInNewContext('gc') as () => void)()
    observer.observe({ entryTypes: ['gc'] })
    for (let i = 0; i < 1_000_000; i++) {
      engine.telemetry(pump, 0, i, m)
      engine.telemetry(lift, 2, i, liftM)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    observer.disconnect()
    // A 16-byte allocation per message would be ~40 MB here: several young-generation collections, not one.
    assert.ok(gcs.length <= 1, `${gcs.length} collections`)
  })
})
