import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReplayResponse, SnapshotResponse } from '../api/endpoints.ts'
import type { SceneDevice } from '../api/scene-types.ts'
import { DeviceState, LiveStore } from '../live/live-store.ts'
import { ReplayPlayer } from './replay-player.ts'

const MINUTE = 60_000
const pump: SceneDevice = { id: 'p1', kind: 'water_pump', x: 0, y: 0, z: 0, buildingId: null, public: true }
const from = 1_000 * MINUTE
const snapshot: SnapshotResponse = {
  at: from,
  devices: [
    {
      deviceId: 'p1',
      kind: 'water_pump',
      ts: from - MINUTE,
      metrics: { flow_m3h: 1 },
      status: 'online',
      statusTs: from - MINUTE,
      event: null,
    },
  ],
  alarms: [],
}
const stream: ReplayResponse = {
  from,
  to: from + 10 * MINUTE,
  devices: ['p1'],
  metrics: ['flow_m3h', 'running'],
  telemetry: {
    t: [from + MINUTE, from + MINUTE, from + 5 * MINUTE],
    d: [0, 0, 0],
    m: [0, 1, 0],
    v: [2, 1, 3],
  },
  status: [{ t: from + 3 * MINUTE, d: 'p1', status: 'fault' }],
  events: [{ t: from + 6 * MINUTE, d: 'p1', type: 'fault.cleared' }],
  alarms: [
    { t: from + 2 * MINUTE, alarmId: 5, d: 'p1', action: 'opened', state: 'open' },
    { t: from + 7 * MINUTE, alarmId: 5, d: 'p1', action: 'resolved', state: 'resolved' },
  ],
  truncated: false,
}

describe('ReplayPlayer', () => {
  it('starts from the snapshot and applies what happened up to each position, forwards and back', () => {
    const store = new LiveStore([pump], [])
    const player = new ReplayPlayer(store, snapshot, stream, () => ({
      id: '5',
      deviceId: 'p1',
      severity: 'critical',
      state: 'open',
      ts: 0,
      title: 'pressure low',
    }))
    assert.equal(player.eventCount, 7)
    assert.deepEqual(store.latest[0], { flow_m3h: 1 })
    player.seek(from + MINUTE)
    assert.deepEqual(store.latest[0], { flow_m3h: 2, running: 1 })
    assert.equal(store.state[0], DeviceState.active)
    player.seek(from + 2 * MINUTE)
    assert.deepEqual(
      store.getAlarms().map((a) => [a.id, a.title, a.state]),
      [['5', 'pressure low', 'open']],
    )
    player.seek(from + 4 * MINUTE)
    assert.equal(store.state[0], DeviceState.fault)
    player.seek(from + 8 * MINUTE)
    assert.equal(store.latest[0]?.flow_m3h, 3)
    assert.equal(store.state[0], DeviceState.ok)
    assert.deepEqual(store.getAlarms(), [])
    // Back to the start: the snapshot again, nothing of later.
    player.seek(from - MINUTE)
    assert.equal(player.position, from)
    assert.deepEqual(store.latest[0], { flow_m3h: 1 })
    assert.deepEqual(store.getAlarms(), [])
  })
})
