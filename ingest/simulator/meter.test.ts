import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DAY, MONDAY, NO_RANDOM_FAULTS, localHour, mean, readAll, smallCommunity } from './fixtures.ts'
import { createSimulation } from './simulation.ts'

/** Household meters end in the flat number (e.g. "-1502"); public ones in a purpose ("-light", "-supply"). */
const HOUSEHOLD = /-\d{3,4}$/

describe('electricity meters', () => {
  const simulation = createSimulation({
    community: smallCommunity(),
    seed: 4,
    start: MONDAY,
    end: MONDAY + 2 * DAY,
    kinds: ['electricity_meter'],
    faults: { rates: NO_RANDOM_FAULTS },
  })
  const messages = readAll(simulation).filter((p) => p.message.channel === 'telemetry')

  it('show households a morning and an evening peak and a night minimum', () => {
    const byHour = Array.from({ length: 24 }, () => [] as number[])
    for (const p of messages)
      if (HOUSEHOLD.test(p.deviceId)) byHour[localHour(p.body.ts)]?.push(p.body.m?.power_kw ?? 0)
    const load = byHour.map(mean)
    const night = Math.min(...load.slice(1, 5))
    const morning = Math.max(...load.slice(6, 9))
    const midday = mean(load.slice(10, 16))
    const evening = Math.max(...load.slice(18, 22))
    assert.ok(morning > 1.5 * night, `morning ${morning} vs night ${night}`)
    assert.ok(evening > morning, `evening ${evening} vs morning ${morning}`)
    assert.ok(evening > 1.3 * midday, `evening ${evening} vs midday ${midday}`)
    assert.ok(load.indexOf(Math.min(...load)) <= 5, 'the daily minimum is at night')
  })

  it('never run their registers backwards, and report power as the register increase', () => {
    const last = new Map<string, { ts: number; energy: number }>()
    for (const p of messages) {
      const m = p.body.m as Record<string, number>
      const before = last.get(p.deviceId)
      if (before) {
        assert.ok(m.energy_kwh! >= before.energy, p.deviceId)
        const hours = (p.body.ts - before.ts) / 3_600_000
        // Readings carry 3 decimals: allow their rounding.
        assert.ok(
          Math.abs((m.energy_kwh! - before.energy) / hours - m.power_kw!) < 0.0011 / hours + 0.001,
          p.deviceId,
        )
      }
      last.set(p.deviceId, { ts: p.body.ts, energy: m.energy_kwh! })
    }
  })
})

describe('water meters', () => {
  const community = smallCommunity()
  const leaking = community.devices
    .filter((d) => d.kind === 'water_meter' && HOUSEHOLD.test(d.id))
    .slice(3, 5)
  const simulation = createSimulation({
    community,
    seed: 4,
    start: MONDAY,
    end: MONDAY + 2 * DAY,
    kinds: ['water_meter'],
    faults: {
      rates: NO_RANDOM_FAULTS,
      inject: leaking.map((d, i) => ({
        deviceId: d.id,
        fault: 'meter_leak' as const,
        onset: MONDAY - DAY,
        end: MONDAY + 5 * DAY,
        detail: { rateM3h: 0.01 + i * 0.02 },
      })),
    },
  })

  it('see no flow at night (1–5 h) except where a leak runs: the leak signature', () => {
    const nightMin = new Map<string, number>()
    for (const p of readAll(simulation)) {
      if (p.message.channel !== 'telemetry' || !HOUSEHOLD.test(p.deviceId)) continue
      const h = localHour(p.body.ts)
      if (h < 1 || h >= 5) continue
      nightMin.set(p.deviceId, Math.min(nightMin.get(p.deviceId) ?? Infinity, p.body.m?.flow_m3h ?? 0))
    }
    assert.ok(nightMin.size > 100)
    const positive = [...nightMin].filter(([, v]) => v > 0).map(([id]) => id)
    assert.deepEqual(positive.sort(), leaking.map((d) => d.id).sort())
    for (const [i, d] of leaking.entries()) {
      assert.ok(
        Math.abs((nightMin.get(d.id) ?? 0) - (0.01 + i * 0.02)) < 0.003,
        `${d.id} reads its leak rate`,
      )
    }
    assert.deepEqual(simulation.truth.map((f) => f.deviceId).sort(), leaking.map((d) => d.id).sort())
  })
})
