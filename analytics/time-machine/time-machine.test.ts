import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { migrateClickHouse, openClickHouse, type ClickHouse } from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { DeviceStateTracker, type DeviceState } from '../live/device-state.ts'
import { replay } from './replay.ts'
import { deviceStatesAt } from './state.ts'

const devices = [
  { id: 'lift-1', communityId: 'c1', kind: 'elevator' },
  { id: 'pump-1', communityId: 'c1', kind: 'water_pump' },
  { id: 'meter-1', communityId: 'c1', kind: 'electricity_meter' },
  { id: 'other-1', communityId: 'c2', kind: 'elevator' },
]

type Message =
  | { channel: 'telemetry'; device: number; ts: number; m: Record<string, number> }
  | { channel: 'status'; device: number; ts: number; status: string }
  | { channel: 'event'; device: number; ts: number; type: string }

const start = Date.UTC(2026, 10, 20, 8, 0, 0)

/** Ten minutes of a mixed stream: metrics in alternating subsets, a status change, events. Deterministic. */
function stream(): Message[] {
  const out: Message[] = []
  for (let i = 0; i < 90; i++) {
    const ts = start + i * 6_700
    const device = i % 4
    const m: Record<string, number> =
      i % 3 === 0
        ? { floor: i % 17, load_kg: i * 3 }
        : i % 3 === 1
          ? { motor_temp_c: 40 + (i % 9) }
          : { floor: i % 5 }
    out.push({ channel: 'telemetry', device, ts, m })
    if (i % 11 === 0)
      out.push({ channel: 'event', device, ts: ts + 1, type: i % 2 ? 'trip.end' : 'door.reopen' })
    if (i === 40) out.push({ channel: 'status', device: 1, ts: ts + 2, status: 'offline' })
    if (i === 70) out.push({ channel: 'status', device: 1, ts: ts + 2, status: 'online' })
  }
  return out
}

describe('time machine (chDB)', () => {
  const dir = tempDir('time-machine-')
  let store: ClickHouse
  const messages = stream()
  // Instants to compare: on minute edges, mid-minute, right at a message, after the status changes.
  const instants = [start + 65_000, start + 120_000, start + 6_700 * 41 + 2, start + 299_999, start + 540_000]
  const live = new Map<number, DeviceState[]>()

  before(async () => {
    store = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'tm' })
    await migrateClickHouse(store)
    const tracker = new DeviceStateTracker()
    const pending = [...instants].sort((a, b) => a - b)
    const rowsOf = { telemetry: [] as object[], status: [] as object[], events: [] as object[] }
    messages.forEach((msg, seq) => {
      while (pending.length > 0 && (pending[0] as number) < msg.ts) {
        const at = pending.shift() as number
        live.set(at, tracker.snapshot('c1'))
      }
      const d = devices[msg.device]!
      const base = {
        community_id: d.communityId,
        kind: d.kind,
        device_id: d.id,
        ts: msg.ts,
        seq,
        received_at: msg.ts,
      }
      if (msg.channel === 'telemetry') {
        tracker.telemetry(d, msg.device, msg.ts, msg.m)
        rowsOf.telemetry.push({ ...base, m: msg.m })
      } else if (msg.channel === 'status') {
        tracker.status(d, msg.device, msg.ts, msg.status)
        rowsOf.status.push({ ...base, status: msg.status, detail: '' })
      } else {
        tracker.event(d, msg.device, msg.ts, msg.type)
        rowsOf.events.push({ ...base, type: msg.type, fields: '{}' })
      }
    })
    for (const at of pending) live.set(at, tracker.snapshot('c1'))
    // Stored as the ingest stores them: in batches.
    for (let i = 0; i < rowsOf.telemetry.length; i += 25) {
      await store.client.insert({
        table: 'telemetry',
        values: rowsOf.telemetry.slice(i, i + 25),
        format: 'JSONEachRow',
      })
    }
    await store.client.insert({ table: 'device_status', values: rowsOf.status, format: 'JSONEachRow' })
    await store.client.insert({ table: 'device_events', values: rowsOf.events, format: 'JSONEachRow' })
  })
  after(async () => {
    await store.close()
    dir.remove()
  })

  it('returns, at every instant of the recorded interval, the device states that were live then', async () => {
    for (const at of instants) {
      const past = await deviceStatesAt({ clickhouse: store, lookbackMs: 3_600_000 }, 'c1', at)
      assert.deepEqual(past, live.get(at), `at +${(at - start) / 1000} s`)
    }
  })

  it('shows the device offline between its status changes', async () => {
    const at = start + 6_700 * 50
    const pump = (await deviceStatesAt({ clickhouse: store, lookbackMs: 3_600_000 }, 'c1', at)).find(
      (s) => s.deviceId === 'pump-1',
    )
    assert.equal(pump?.status, 'offline')
  })

  it('replays the interval as a compact stream', async () => {
    const stream = await replay(store, undefined, { communityId: 'c1', from: start, to: start + 600_000 })
    assert.deepEqual(stream.devices.sort(), ['lift-1', 'meter-1', 'pump-1'])
    assert.deepEqual(stream.metrics.sort(), ['floor', 'load_kg', 'motor_temp_c'])
    assert.equal(stream.telemetry.t.length, stream.telemetry.v.length)
    assert.deepEqual(
      stream.status.map((s) => s.status),
      ['offline', 'online'],
    )
    assert.equal(stream.events.length, messages.filter((m) => m.channel === 'event' && m.device !== 3).length)
    assert.equal(stream.truncated, false)
    const cut = await replay(store, undefined, {
      communityId: 'c1',
      from: start,
      to: start + 600_000,
      maxSamples: 5,
    })
    assert.equal(cut.truncated, true)
  })
})
