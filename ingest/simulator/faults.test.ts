import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { HOUR, MINUTE } from './calendar.ts'
import { BLOCK, planFaults } from './faults.ts'
import { DAY, MONDAY, NO_RANDOM_FAULTS, readAll, smallCommunity } from './fixtures.ts'
import { createSimulation } from './simulation.ts'
import { parseGroundTruth, writeGroundTruth } from './truth.ts'

describe('planFaults', () => {
  const devices = smallCommunity().devices

  it('is a function of the calendar: overlapping ranges agree on the faults they share', () => {
    const a = planFaults(devices, 9, MONDAY, MONDAY + 30 * DAY)
    const b = planFaults(devices, 9, MONDAY + 10 * DAY, MONDAY + 60 * DAY)
    const key = (f: { deviceId: string; fault: string; onset: number }) =>
      `${f.deviceId}/${f.fault}/${f.onset}`
    const inB = new Set(b.map(key))
    const shared = a.filter((f) => f.end > MONDAY + 10 * DAY)
    assert.ok(shared.length > 5)
    for (const f of shared) assert.ok(inB.has(key(f)), key(f))
  })

  it('draws every category, degradations only for lifts and pumps, never two at once on a device', () => {
    const plan = planFaults(devices, 9, MONDAY, MONDAY + 6 * BLOCK)
    const categories = new Set(plan.map((f) => f.category))
    assert.deepEqual([...categories].sort(), [
      'confounder',
      'degradation',
      'meter_leak',
      'offline',
      'stuck_sensor',
    ])
    const byDevice = new Map<string, typeof plan>()
    for (const f of plan) {
      if (f.category === 'degradation') {
        assert.ok(f.kind === 'elevator' || f.kind === 'water_pump')
        assert.ok(f.failure !== null && f.failure - f.onset >= 3 * DAY, 'at least three days of visible wear')
        assert.ok(
          f.onset < f.failure &&
            f.failure <= Number(f.detail.repairStart) &&
            Number(f.detail.repairStart) < f.end,
        )
        const list = byDevice.get(f.deviceId) ?? []
        for (const g of list) assert.ok(g.end <= f.onset || f.end <= g.onset, `${f.deviceId} overlaps`)
        byDevice.set(f.deviceId, [...list, f])
      }
      if (f.category === 'meter_leak') assert.equal(f.kind, 'water_meter')
    }
  })

  it('takes injections as given and refuses unknown devices or faults a kind cannot have', () => {
    const lift = devices.find((d) => d.kind === 'elevator')!
    const onset = MONDAY + DAY
    const plan = planFaults(devices, 9, MONDAY, MONDAY + 10 * DAY, {
      rates: NO_RANDOM_FAULTS,
      inject: [{ deviceId: lift.id, fault: 'brake_wear', onset, failure: onset + 4 * DAY }],
    })
    assert.equal(plan.length, 1)
    assert.equal(plan[0]?.failure, onset + 4 * DAY)
    assert.equal(plan[0]?.category, 'degradation')
    assert.throws(() =>
      planFaults(devices, 9, MONDAY, MONDAY + DAY, {
        inject: [{ deviceId: 'nope', fault: 'offline', onset }],
      }),
    )
    assert.throws(() =>
      planFaults(devices, 9, MONDAY, MONDAY + DAY, {
        inject: [{ deviceId: lift.id, fault: 'cavitation', onset }],
      }),
    )
  })
})

describe('injected faults in the stream', () => {
  const community = smallCommunity()
  const lift = community.devices.find((d) => d.kind === 'elevator')!
  const pump = community.devices.find((d) => d.kind === 'water_pump')!
  const meter = community.devices.find((d) => d.kind === 'electricity_meter')!
  const sensor = community.devices.find((d) => d.kind === 'env_sensor')!
  const start = MONDAY
  const failure = start + 10 * HOUR
  const simulation = createSimulation({
    community,
    seed: 6,
    start,
    end: start + DAY,
    faults: {
      rates: NO_RANDOM_FAULTS,
      inject: [
        {
          deviceId: lift.id,
          fault: 'door_bearing_wear',
          onset: start - 5 * DAY,
          failure,
          end: failure + 6 * HOUR,
          detail: { repairStart: failure + 2 * HOUR },
        },
        { deviceId: pump.id, fault: 'seal_leak', onset: start - 4 * DAY, failure, end: failure + 5 * HOUR },
        { deviceId: meter.id, fault: 'offline', onset: start + 3 * HOUR, end: start + 5 * HOUR },
        { deviceId: sensor.id, fault: 'stuck_sensor', onset: start + 2 * HOUR, end: start + 8 * HOUR },
      ],
    },
  })
  const all = readAll(simulation)
  const of = (id: string) => all.filter((p) => p.deviceId === id)

  it('reports the ground truth it injected', () => {
    assert.deepEqual(
      simulation.truth.map((f) => f.deviceId).sort(),
      [lift.id, pump.id, meter.id, sensor.id].sort(),
    )
  })

  it('fails lifts and pumps at the failure time, repairs them, and brings them back', () => {
    for (const device of [lift, pump]) {
      const truth = simulation.truth.find((f) => f.deviceId === device.id)!
      const statuses = of(device.id).filter((p) => p.message.channel === 'status')
      const at = (status: string) =>
        statuses.find((p) => p.body.status === status && p.body.ts >= (truth.failure as number))?.body.ts
      assert.equal(at('fault'), truth.failure, device.id)
      assert.equal(at('maintenance'), Number(truth.detail.repairStart))
      assert.equal(at('online'), truth.end)
      const raised = of(device.id).find((p) => p.body.type === 'fault.raised')
      assert.equal(raised?.body.ts, truth.failure)
    }
    // Out of service while failed: the lift makes no trips between failure and repair.
    const trips = of(lift.id).filter((p) => p.body.type === 'trip.end' && p.body.ts > failure + 5 * MINUTE)
    assert.ok(trips.every((p) => p.body.ts >= failure + 6 * HOUR))
  })

  it('loses an offline device’s data in its window and reports it offline, then online', () => {
    const window = of(meter.id).filter((p) => p.body.ts >= start + 3 * HOUR && p.body.ts < start + 5 * HOUR)
    assert.deepEqual(
      window.map((p) => p.body.status),
      ['offline'],
    )
    assert.ok(of(meter.id).some((p) => p.body.status === 'online' && p.body.ts === start + 5 * HOUR))
    assert.ok(of(meter.id).some((p) => p.message.channel === 'telemetry' && p.body.ts > start + 5 * HOUR))
  })

  it('repeats a stuck sensor’s first values through its window, and not after it', () => {
    const values = (from: number, to: number) =>
      of(sensor.id)
        .filter((p) => p.message.channel === 'telemetry' && p.body.ts >= from && p.body.ts < to)
        .map((p) => JSON.stringify(p.body.m))
    const stuck = values(start + 2 * HOUR, start + 8 * HOUR)
    assert.ok(stuck.length > 50)
    assert.equal(new Set(stuck).size, 1)
    assert.ok(new Set(values(start + 8 * HOUR, start + 12 * HOUR)).size > 10)
  })

  it('writes the truth as JSON lines that read back the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-truth-'))
    try {
      const file = join(dir, 'nested', 'truth.jsonl')
      await writeGroundTruth(file, simulation.truth)
      const text = await readFile(file, 'utf8')
      assert.equal(text.trim().split('\n').length, simulation.truth.length)
      assert.deepEqual(parseGroundTruth(text), simulation.truth)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
