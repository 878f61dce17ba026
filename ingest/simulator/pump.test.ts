import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DAY, MONDAY, NO_RANDOM_FAULTS, localHour, mean, readAll, smallCommunity } from './fixtures.ts'
import { createSimulation } from './simulation.ts'

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a)
  const mb = mean(b)
  let num = 0
  let da = 0
  let db = 0
  a.forEach((x, i) => {
    const y = b[i] as number
    num += (x - ma) * (y - mb)
    da += (x - ma) ** 2
    db += (y - mb) ** 2
  })
  return num / Math.sqrt(da * db)
}

describe('pumps', () => {
  const community = smallCommunity()
  const room = community.buildings.find(
    (b) => b.kind === 'pump_room' && (b.servedBuildingIds?.length ?? 0) > 0,
  )!
  const pumps = community.devices.filter((d) => d.kind === 'water_pump' && d.buildingId === room.id)
  const supply = community.devices.find((d) => d.kind === 'water_meter' && d.buildingId === room.id)!
  const other = community.devices.filter((d) => d.kind === 'water_pump' && d.buildingId !== room.id)
  const [bearing] = pumps as [(typeof pumps)[number]]
  const days = 6
  const simulation = createSimulation({
    community,
    seed: 17,
    start: MONDAY,
    end: MONDAY + days * DAY,
    kinds: ['water_pump', 'water_meter'],
    faults: {
      rates: NO_RANDOM_FAULTS,
      inject: [
        { deviceId: bearing.id, fault: 'bearing_wear', onset: MONDAY + DAY, failure: MONDAY + 5.8 * DAY },
      ],
    },
  })
  const messages = readAll(simulation).filter((p) => p.message.channel === 'telemetry')

  it('deliver what the households draw: hourly pumped volume follows the supply meter and the daily rhythm', () => {
    const pumped = new Array<number>(24).fill(0)
    const metered = new Array<number>(24).fill(0)
    for (const p of messages) {
      const h = localHour(p.body.ts)
      const flow = p.body.m?.flow_m3h
      if (
        pumps.some((d) => d.id === p.deviceId) &&
        flow !== undefined &&
        p.body.m?.frequency_hz !== undefined
      ) {
        pumped[h]! += (flow * 5) / 3600
      }
      if (p.deviceId === supply.id) metered[h]! += ((p.body.m?.flow_m3h ?? 0) * 60) / 3600
    }
    assert.ok(correlation(pumped, metered) > 0.9, `pumped ${pumped.map((v) => v.toFixed(1)).join(' ')}`)
    assert.ok(Math.abs(pumped.reduce((a, b) => a + b) / metered.reduce((a, b) => a + b) - 1) < 0.25)
    assert.ok(
      Math.max(...pumped.slice(6, 9)) > 4 * Math.max(...pumped.slice(1, 5)),
      'morning peak over the night',
    )
    assert.ok(
      Math.max(...pumped.slice(18, 23)) > 4 * Math.max(...pumped.slice(1, 5)),
      'evening peak over the night',
    )
  })

  it('sleep at night and restart on pressure: a pump starts many times a day', () => {
    const starts = pumps.map((d) => {
      const values = messages
        .filter((p) => p.deviceId === d.id && p.body.m?.starts !== undefined)
        .map((p) => p.body.m!.starts!)
      return Math.max(...values) - Math.min(...values)
    })
    assert.ok(starts.reduce((a, b) => a + b) / days > 10, `starts ${starts.join(', ')}`)
  })

  it('bearing wear raises vibration over days, while a healthy pump stays put', () => {
    const vibration = (id: string, day: number) =>
      mean(
        messages
          .filter((p) => p.deviceId === id && p.body.m?.vibration_rms_mms !== undefined)
          .filter((p) => Math.floor((p.body.ts - MONDAY) / DAY) === day)
          .map((p) => p.body.m!.vibration_rms_mms!),
      )
    const healthy = other[0] ?? pumps[1]!
    assert.ok(vibration(bearing.id, 4) > 1.4 * vibration(bearing.id, 0), 'wearing pump')
    assert.ok(vibration(healthy.id, 4) < 1.15 * vibration(healthy.id, 0), 'healthy pump')
  })
})
