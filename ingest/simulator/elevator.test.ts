import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DAY, MONDAY, NO_RANDOM_FAULTS, localHour, mean, readAll, smallCommunity, stdev } from './fixtures.ts'
import type { Parsed } from './fixtures.ts'
import { createSimulation } from './simulation.ts'

/** Per day, the values of one metric of one device's messages that have it. */
function daily(messages: readonly Parsed[], deviceId: string, metric: string, days: number): number[][] {
  const out = Array.from({ length: days }, () => [] as number[])
  for (const p of messages) {
    const value = p.body.m?.[metric]
    if (p.deviceId !== deviceId || value === undefined) continue
    out[Math.floor((p.body.ts - MONDAY) / DAY)]?.push(value)
  }
  return out
}

describe('lifts', () => {
  const community = smallCommunity()
  const lifts = community.devices.filter((d) => d.kind === 'elevator').map((d) => d.id)
  const [healthy, door, motor, brake] = lifts as [string, string, string, string]
  const days = 8
  const onset = MONDAY + DAY
  const failure = MONDAY + 7.5 * DAY
  const simulation = createSimulation({
    community,
    seed: 21,
    start: MONDAY,
    end: MONDAY + days * DAY,
    kinds: ['elevator'],
    faults: {
      rates: NO_RANDOM_FAULTS,
      inject: [
        { deviceId: door, fault: 'door_bearing_wear', onset, failure },
        { deviceId: motor, fault: 'motor_overheat', onset, failure },
        { deviceId: brake, fault: 'brake_wear', onset, failure },
      ],
    },
  })
  const messages = readAll(simulation)
  // Compare the first day (healthy) with the sixth, which ends more than 48 h before the failure.
  const early = 0
  const late = 5

  it('make trips when residents leave and come back: morning and evening rush, quiet nights', () => {
    const byHour = new Array<number>(24).fill(0)
    for (const p of messages) if (p.body.type === 'trip.end') byHour[localHour(p.body.ts)]!++
    const night = byHour.slice(1, 5).reduce((a, b) => a + b, 0)
    const morning = Math.max(...byHour.slice(6, 9))
    const evening = Math.max(...byHour.slice(17, 21))
    const midday = mean(byHour.slice(10, 16))
    assert.ok(morning > 3 * midday && evening > 2 * midday, `${byHour.join(' ')}`)
    assert.ok(night < midday, `${byHour.join(' ')}`)
  })

  it('door-bearing wear lengthens the door close time and scatters it, more than on a healthy lift', () => {
    const wearing = daily(messages, door, 'door_close_s', days)
    const normal = daily(messages, healthy, 'door_close_s', days)
    const drift = (d: number[][]) => mean(d[late]!) / mean(d[early]!) - 1
    assert.ok(drift(wearing) > 0.08, `wearing drift ${drift(wearing)}`)
    assert.ok(Math.abs(drift(normal)) < 0.05, `healthy drift ${drift(normal)}`)
    assert.ok(stdev(wearing[late]!) > 1.3 * stdev(wearing[early]!))
  })

  it('brake wear drifts the levelling error and its spread', () => {
    const wearing = daily(messages, brake, 'level_error_mm', days)
    const normal = daily(messages, healthy, 'level_error_mm', days)
    assert.ok(mean(wearing[late]!) - mean(wearing[early]!) > 1.5)
    assert.ok(stdev(wearing[late]!) > 1.3 * stdev(wearing[early]!))
    assert.ok(Math.abs(mean(normal[late]!) - mean(normal[early]!)) < 0.6)
  })

  it('motor overheating raises the temperature rise over the machine room for the same traffic', () => {
    const rise = (id: string, day: number) => {
      const values = messages
        .filter((p) => p.deviceId === id && p.body.m?.machine_room_c !== undefined)
        .filter((p) => Math.floor((p.body.ts - MONDAY) / DAY) === day)
        .map((p) => p.body.m!.motor_temp_c! - p.body.m!.machine_room_c!)
      return mean(values)
    }
    // Weekday against weekday (traffic heats every motor): Friday, 3.5 days before the failure, against Monday.
    const ratio = (id: string) => rise(id, 4) / rise(id, early)
    assert.ok(ratio(motor) > 1.15, `overheating ${ratio(motor)}`)
    assert.ok(ratio(motor) > ratio(healthy) + 0.1, `healthy ${ratio(healthy)}`)
  })

  it('fail at the failure time with a fault code', () => {
    for (const id of [door, motor, brake]) {
      const raised = messages.find((p) => p.deviceId === id && p.body.type === 'fault.raised')
      assert.equal(raised?.body.ts, failure)
      assert.match(String(raised?.body.code), /^E-/)
    }
  })
})
