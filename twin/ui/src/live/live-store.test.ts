import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ServerAlarm } from '../api/endpoints.ts'
import type { SceneBuilding, SceneDevice } from '../api/scene-types.ts'
import { DeviceState, LiveStore } from './live-store.ts'

const device = (id: string, kind: SceneDevice['kind'], buildingId: string | null = null): SceneDevice => ({
  id,
  kind,
  x: 0,
  y: 0,
  z: 0,
  buildingId,
  public: true,
})
const building = { id: 'b1' } as SceneBuilding
const devices = [
  device('p1', 'water_pump'),
  device('m1', 'electricity_meter', 'b1'),
  device('e1', 'elevator'),
]

const alarm = (over: Partial<ServerAlarm> = {}): ServerAlarm => ({
  id: 7,
  ruleId: 'r',
  communityId: 'c01',
  deviceId: 'p1',
  deviceKind: 'water_pump',
  severity: 'critical',
  state: 'open',
  message: 'vibration high',
  value: 12,
  openedAt: '2026-11-25T10:00:00.000Z',
  triggeredAt: '2026-11-25T10:00:00.000Z',
  clearedAt: null,
  ...over,
})
const event = (data: unknown) => JSON.stringify({ communityId: 'c01', at: 1, data })

describe('LiveStore', () => {
  it('lists an alarm from a live event, marks its device, and drops it when resolved', () => {
    const store = new LiveStore(devices, [building])
    store.handle('alarm', event({ action: 'opened', alarm: alarm() }))
    assert.deepEqual(store.getAlarms(), [
      {
        id: '7',
        deviceId: 'p1',
        severity: 'critical',
        state: 'open',
        ts: Date.parse('2026-11-25T10:00:00.000Z'),
        title: 'vibration high',
      },
    ])
    assert.equal(store.state[0], DeviceState.alarm)
    store.handle('alarm', event({ action: 'acknowledged', alarm: alarm({ state: 'acknowledged' }) }))
    assert.equal(store.getAlarms()[0]?.state, 'acknowledged')
    assert.equal(store.state[0], DeviceState.ok)
    store.handle('alarm', event({ action: 'resolved', alarm: alarm({ state: 'resolved' }) }))
    assert.deepEqual(store.getAlarms(), [])
  })

  it('applies device.status events and counts malformed ones', () => {
    const store = new LiveStore(devices, [building])
    store.handle('device.status', event({ deviceId: 'e1', kind: 'elevator', status: 'offline', ts: 5 }))
    assert.equal(store.state[2], DeviceState.offline)
    store.handle('device.status', event({ status: 'offline' }))
    store.handle('alarm', '{not json')
    assert.equal(store.stats.badMessages, 2)
  })

  it('passes kpi events on and calls onReset on reset', () => {
    const store = new LiveStore(devices, [building])
    const seen: string[] = []
    store.onKpi = (kpi, rows) => seen.push(`${kpi}:${JSON.stringify(rows)}`)
    store.onReset = () => seen.push('reset')
    store.handle('kpi', event({ kpi: 'parking', at: 1, rows: [{ lotId: 'L1' }] }))
    store.handle('reset', JSON.stringify({ reason: 'gap' }))
    assert.deepEqual(seen, ['parking:[{"lotId":"L1"}]', 'reset'])
  })

  it('applies device-state snapshots only when newer, summing building load', () => {
    const store = new LiveStore(devices, [building])
    const state = (ts: number, power: number) => ({
      deviceId: 'm1',
      kind: 'electricity_meter',
      ts,
      metrics: { power_kw: power },
      status: null,
      statusTs: null,
      event: null,
    })
    store.applyDeviceStates([state(100, 2.5)])
    assert.equal(store.buildingLoadKw[0], 2.5)
    assert.deepEqual(store.latest[1], { power_kw: 2.5 })
    store.applyDeviceStates([state(100, 9)])
    assert.equal(store.buildingLoadKw[0], 2.5, 'the same sample again changes nothing')
    store.applyDeviceStates([state(200, 4)])
    assert.equal(store.buildingLoadKw[0], 4)
    assert.equal(store.telemetryAt[1], 200)
  })

  it('keeps an alarm the stream changed while a fetched list was in flight', () => {
    const store = new LiveStore(devices, [building])
    const since = performance.now()
    store.handle('alarm', event({ action: 'opened', alarm: alarm({ id: 8 }) }))
    store.replaceAlarms(
      [{ id: '3', deviceId: 'e1', severity: 'minor', state: 'open', ts: 1, title: '' }],
      since,
    )
    assert.deepEqual(
      store.getAlarms().map((a) => a.id),
      ['8', '3'],
    )
    store.replaceAlarms([], performance.now())
    assert.deepEqual(store.getAlarms(), [])
    assert.equal(store.state[0], DeviceState.ok)
  })

  it('still takes compact telemetry events (test feed, benchmark)', () => {
    const store = new LiveStore(devices, [building])
    store.handle('telemetry', JSON.stringify([{ d: 'e1', ts: 9, m: { floor: 12, speed_ms: 1 } }]))
    assert.equal(store.value[2], 12)
    assert.equal(store.state[2], DeviceState.active)
  })
})
