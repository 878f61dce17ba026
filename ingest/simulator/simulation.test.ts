import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { ID_PATTERN, defaultLimits, payloadSchemas } from '../../data/messages/index.ts'
import { HOUR } from './calendar.ts'
import { SEQ_PER_MS } from './emitter.ts'
import { DAY, MONDAY, NO_RANDOM_FAULTS, readAll, smallCommunity } from './fixtures.ts'
import { createSimulation } from './simulation.ts'

const TOPIC = /^community\/([^/]+)\/([^/]+)\/([^/]+)\/(telemetry|event|status)$/

function digest(simulation: ReturnType<typeof createSimulation>): { count: number; hash: string } {
  const hash = createHash('sha256')
  let count = 0
  for (const m of simulation.messages()) {
    hash.update(`${m.topic}\n${m.payload}\n${m.retain}\n`)
    count++
  }
  return { count, hash: hash.digest('hex') }
}

describe('createSimulation', () => {
  // Morning rush of a weekday: every kind of device is busy.
  const start = MONDAY + 6 * HOUR
  const end = start + 3 * HOUR

  it('gives the identical stream for the same seed, community and range, and another for another seed', () => {
    const community = smallCommunity()
    const a = digest(createSimulation({ community, seed: 11, start, end }))
    const b = digest(createSimulation({ community, seed: 11, start, end }))
    const again = createSimulation({ community, seed: 11, start, end })
    assert.deepEqual(a, b)
    assert.deepEqual(digest(again), digest(again), 'messages() replays from the start')
    assert.notEqual(digest(createSimulation({ community, seed: 12, start, end })).hash, a.hash)
    assert.ok(a.count > 10_000)
  })

  it('produces payloads that the contract schemas accept, at their own time, in time order', () => {
    const simulation = createSimulation({ community: smallCommunity(), seed: 3, start, end })
    let now = 0
    const schemas = payloadSchemas(defaultLimits, () => now)
    let previous = -Infinity
    const channels = new Set<string>()
    const kinds = new Set<string>()
    for (const { message, body, kind } of readAll(simulation)) {
      assert.ok(message.ts >= previous, 'stream in time order')
      previous = message.ts
      assert.equal(body.ts, message.ts)
      assert.ok(message.ts >= start && message.ts < end)
      now = message.ts
      const result = schemas[message.channel].safeParse(body)
      assert.ok(result.success, `${message.topic} ${message.payload}: ${result.error?.message ?? ''}`)
      if (message.channel === 'telemetry') {
        const n = Object.keys(body.m ?? {}).length
        assert.ok(n >= 1 && n <= 8, `${n} metrics in ${message.payload}`)
      }
      assert.equal(message.retain, message.channel === 'status')
      channels.add(message.channel)
      kinds.add(kind)
    }
    assert.deepEqual([...channels].sort(), ['event', 'status', 'telemetry'])
    assert.equal(kinds.size, 11, `every device kind reports: ${[...kinds].join(', ')}`)
  })

  it('publishes on contract topics that name the device, its kind and its community', () => {
    const community = smallCommunity()
    const simulation = createSimulation({ community, seed: 3, start, end: start + HOUR })
    const byId = new Map(community.devices.map((d) => [d.id, d]))
    for (const m of simulation.messages()) {
      const match = TOPIC.exec(m.topic)
      assert.ok(match, m.topic)
      const [, communityId, kind, deviceId, channel] = match
      for (const level of [communityId, kind, deviceId]) assert.match(level as string, ID_PATTERN)
      const device = byId.get(deviceId as string)
      assert.ok(device, `unknown device ${deviceId}`)
      assert.equal(kind, device.kind)
      assert.equal(communityId, device.communityId)
      assert.equal(channel, m.channel)
      assert.equal(simulation.devices[m.device]?.id, deviceId)
    }
  })

  it('gives each device strictly increasing seqs across all its channels', () => {
    const simulation = createSimulation({ community: smallCommunity(), seed: 5, start, end })
    const last = new Map<string, number>()
    for (const { deviceId, body } of readAll(simulation)) {
      const previous = last.get(deviceId) ?? -1
      assert.ok(body.seq > previous, `${deviceId}: seq ${body.seq} after ${previous}`)
      assert.ok(Number.isSafeInteger(body.seq))
      assert.equal(Math.floor(body.seq / SEQ_PER_MS), body.ts, 'seq encodes its ts')
      last.set(deviceId, body.seq)
    }
  })

  it('continues with larger seqs when restarted later, without saved state', () => {
    const community = smallCommunity()
    const first = readAll(createSimulation({ community, seed: 5, start, end: start + HOUR }))
    const second = readAll(
      createSimulation({ community, seed: 5, start: start + HOUR, end: start + 2 * HOUR }),
    )
    const lastSeq = new Map<string, number>()
    for (const p of first) lastSeq.set(p.deviceId, p.body.seq)
    let checked = 0
    for (const p of second) {
      const before = lastSeq.get(p.deviceId)
      if (before === undefined) continue
      assert.ok(p.body.seq > before, `${p.deviceId}: ${p.body.seq} ≤ ${before}`)
      lastSeq.delete(p.deviceId)
      checked++
    }
    assert.ok(checked > 600)
  })

  it('keeps meter registers continuous across a restart: same reading at the same time', () => {
    const community = smallCommunity()
    const options = { community, seed: 8, kinds: ['electricity_meter', 'water_meter'] as const }
    const readings = (from: number, to: number) => {
      const map = new Map<string, number>()
      for (const p of readAll(
        createSimulation({ ...options, kinds: [...options.kinds], start: from, end: to }),
      )) {
        const m = p.body.m
        if (m) map.set(`${p.deviceId}@${p.body.ts}`, m.energy_kwh ?? (m.volume_m3 as number))
      }
      return map
    }
    const long = readings(start, start + 2 * HOUR)
    const late = readings(start + HOUR, start + 2 * HOUR)
    assert.ok(late.size > 1000)
    for (const [key, value] of late) assert.equal(value, long.get(key), key)
  })

  it('produces only the kinds asked for, and rejects a range before 2020 or an empty one', () => {
    const simulation = createSimulation({
      community: smallCommunity(),
      seed: 1,
      start,
      end,
      kinds: ['elevator'],
    })
    for (const m of simulation.messages()) assert.equal(simulation.devices[m.device]?.kind, 'elevator')
    assert.throws(
      () => createSimulation({ community: smallCommunity(), seed: 1, start: '2019-12-31' }),
      RangeError,
    )
    assert.throws(
      () => createSimulation({ community: smallCommunity(), seed: 1, start, end: start }),
      RangeError,
    )
  })

  it('marks every device offline on shutdown with seqs after its last message', () => {
    const simulation = createSimulation({
      community: smallCommunity(),
      seed: 2,
      start,
      end: start + HOUR,
      faults: { rates: NO_RANDOM_FAULTS },
    })
    const run = simulation.messages()
    const last = new Map<number, number>()
    for (const m of run) last.set(m.device, (JSON.parse(m.payload) as { seq: number }).seq)
    const offline = run.shutdown(start + HOUR)
    assert.equal(offline.length, simulation.devices.length)
    for (const m of offline) {
      const body = JSON.parse(m.payload) as { seq: number; status: string }
      assert.equal(body.status, 'offline')
      assert.ok(m.retain)
      assert.ok(body.seq > (last.get(m.device) ?? -1))
    }
  })

  it('runs open-ended when no end is given', () => {
    const simulation = createSimulation({ community: smallCommunity(), seed: 1, start: MONDAY })
    assert.equal(simulation.end, Infinity)
    let n = 0
    for (const m of simulation.messages()) {
      if (m.ts >= MONDAY + DAY / 24 / 6 || ++n > 100_000) break
    }
    assert.ok(n > 1000)
  })
})
