import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { defaultLimits } from '../../data/messages/index.ts'
import type { Stores } from '../../data/index.ts'
import { chRows, ingestStores, telemetry, testRegistry, topics } from '../testing.ts'
import { createClickHouseSink } from '../sinks/clickhouse-sink.ts'
import type { Sink } from '../sinks/types.ts'
import { IngestMetrics } from './metrics.ts'
import { defaultPipelineOptions, Pipeline, type StreamObserver } from './pipeline.ts'
import { preloadFromStore } from './preload.ts'

function newPipeline(
  stores: Stores,
  sinks: Sink[] = [createClickHouseSink(stores.clickhouse)],
  overrides = {},
  observers: StreamObserver[] = [],
) {
  const metrics = new IngestMetrics()
  const pipeline = new Pipeline(
    {
      ...defaultPipelineOptions,
      batchAgeMs: 20,
      retryMinMs: 5,
      retryMaxMs: 20,
      limits: defaultLimits,
      ...overrides,
    },
    { registry: testRegistry(), sinks, clickhouse: stores.clickhouse, metrics, observers },
  )
  return { pipeline, metrics }
}

const publish = (pipeline: Pipeline, topic: string, payload: string | Buffer, packetId = 1) =>
  pipeline.acceptPublish(topic, Buffer.isBuffer(payload) ? payload : Buffer.from(payload), 1, packetId, 1)

describe('Pipeline', () => {
  let stores: Stores
  let remove: () => Promise<void>
  before(async () => {
    ;({ stores, remove } = await ingestStores())
  })
  after(() => remove())

  it('after a crash between storing and acknowledging, stores the redelivered messages only once', async () => {
    const t0 = Date.now()
    const first = newPipeline(stores)
    for (let seq = 1; seq <= 100; seq++) publish(first.pipeline, topics.lift, telemetry(seq, t0 + seq))
    await first.pipeline.close()
    // The process dies before its acknowledgements reach the broker; a new one starts with empty memory
    // and receives 90…100 again (redelivered) followed by new messages.
    const second = newPipeline(stores)
    await preloadFromStore(second.pipeline, stores.clickhouse)
    for (let seq = 90; seq <= 150; seq++) publish(second.pipeline, topics.lift, telemetry(seq, t0 + seq))
    await second.pipeline.close()
    const [row] = await chRows<{ n: number; u: number }>(
      stores,
      "SELECT count() AS n, uniqExact(seq) AS u FROM telemetry WHERE device_id = 'c01-lift-1'",
    )
    assert.equal(Number(row?.n), 150)
    assert.equal(Number(row?.u), 150)
    assert.equal(second.metrics.totals.duplicates, 11)
  })

  it('verifies against the store what its memory cannot vouch for, stores what is missing and shows it to the observers', async () => {
    const t0 = Date.now()
    const seen: number[] = []
    const observer: StreamObserver = { telemetry: (_device, _index, ts) => seen.push(ts - t0) }
    // No preload: every first message per device is "unknown" and is looked up.
    const { pipeline, metrics } = newPipeline(stores, undefined, {}, [observer])
    publish(pipeline, topics.lift, telemetry(120, t0 + 120)) // stored earlier
    publish(pipeline, topics.lift, telemetry(151, t0 + 151)) // new
    await pipeline.close()
    assert.equal(metrics.totals.duplicates, 1)
    const [row] = await chRows<{ n: number }>(
      stores,
      "SELECT count() AS n FROM telemetry WHERE device_id = 'c01-lift-1'",
    )
    assert.equal(Number(row?.n), 151)
    assert.deepEqual(seen, [151], 'the observers see the new message once, and not the one stored before')
  })

  it('retries a failing sink until it succeeds, without storing anything twice in the others', async () => {
    let failures = 3
    const flaky: Sink = {
      name: 'influx',
      rows: (b) => b.influxPoints,
      write() {
        return failures-- > 0 ? Promise.reject(new Error('down')) : Promise.resolve()
      },
    }
    const { pipeline, metrics } = newPipeline(stores, [createClickHouseSink(stores.clickhouse), flaky])
    const acks: number[] = []
    pipeline.setAcknowledger({
      ack: (_g, ids, count) => {
        acks.push(...ids.subarray(0, count))
        return true
      },
    })
    const t0 = Date.now()
    for (let seq = 1; seq <= 10; seq++) publish(pipeline, topics.pump, telemetry(10_000 + seq, t0 + seq), seq)
    await pipeline.close()
    assert.deepEqual(acks, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'acknowledged once stored everywhere')
    assert.equal(metrics.totals.stored.get('influx'), 10)
    const [row] = await chRows<{ n: number }>(stores, 'SELECT count() AS n FROM telemetry WHERE seq > 10000')
    assert.equal(Number(row?.n), 10, 'ClickHouse wrote the batch once')
  })

  it('pauses its sources when batches queue up, and resumes them when they drain', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: Sink = { name: 'influx', rows: () => 0, write: () => gate }
    const { pipeline } = newPipeline(stores, [slow], { batchSize: 10, maxSealed: 1 })
    const events: string[] = []
    pipeline.addSource({ pause: () => events.push('pause'), resume: () => events.push('resume') })
    const t0 = Date.now()
    for (let seq = 1; seq <= 30; seq++)
      publish(
        pipeline,
        topics.gateStatus
          .replace('status', 'telemetry')
          .replace('access_gate/c01-gate-1', 'water_pump/c01-pump-1'),
        telemetry(20_000 + seq, t0 + seq),
      )
    assert.deepEqual(events, ['pause'])
    assert.ok(pipeline.backlog <= 3)
    release()
    await pipeline.close()
    assert.deepEqual(events, ['pause', 'resume'])
  })

  it('writes the batches that waited during a write together, acknowledging each once stored', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const writes: number[][] = []
    const clickhouse = createClickHouseSink(stores.clickhouse)
    const gated: Sink = {
      name: 'influx',
      rows: (b) => b.influxPoints,
      async write(batches) {
        writes.push(batches.map((b) => b.messages))
        await gate
      },
    }
    const { pipeline } = newPipeline(stores, [clickhouse, gated], { batchSize: 10, maxSealed: 5 })
    const acks: number[] = []
    pipeline.setAcknowledger({
      ack: (_g, ids, count) => {
        acks.push(...ids.subarray(0, count))
        return true
      },
    })
    const t0 = Date.now()
    for (let seq = 1; seq <= 40; seq++) publish(pipeline, topics.pump, telemetry(30_000 + seq, t0 + seq), seq)
    assert.deepEqual(acks, [], 'nothing acknowledged before it is stored')
    release()
    await pipeline.close()
    assert.deepEqual(writes, [[10], [10, 10, 10]], 'the first batch alone, then the three that waited')
    assert.deepEqual(
      acks,
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
    const [row] = await chRows<{ n: number; u: number }>(
      stores,
      'SELECT count() AS n, uniqExact(seq) AS u FROM telemetry WHERE seq > 30000 AND seq <= 30040',
    )
    assert.deepEqual([Number(row?.n), Number(row?.u)], [40, 40])
  })

  it('at QoS 0, keeps reading past a full backlog by shedding, counted and recorded as one overflow dead letter', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: Sink = { name: 'influx', rows: (b) => b.influxPoints, write: () => gate }
    const clickhouse = createClickHouseSink(stores.clickhouse)
    // The first sealed batch (10 messages) is more than 1,000 bytes: everything after it is shed.
    const { pipeline, metrics } = newPipeline(stores, [clickhouse, slow], {
      batchSize: 10,
      maxBacklogBytes: 1000,
    })
    const events: string[] = []
    pipeline.addSource({ pause: () => events.push('pause'), resume: () => events.push('resume') })
    const t0 = Date.now()
    for (let seq = 1; seq <= 25; seq++)
      pipeline.acceptPublish(topics.lift, Buffer.from(telemetry(40_000 + seq, t0 + seq)), 0, 0, 1)
    assert.ok(pipeline.backlogBytes > 1000)
    assert.equal(metrics.shed, 15)
    assert.deepEqual(events, [], 'one sealed batch does not pause anything')
    release()
    await pipeline.close()
    const [stored] = await chRows<{ n: number }>(
      stores,
      'SELECT count() AS n FROM telemetry WHERE seq > 40000 AND seq <= 40025',
    )
    assert.equal(Number(stored?.n), 10)
    const overflow = await chRows<{ topic: string; detail: string; payload_bytes: number }>(
      stores,
      "SELECT topic, detail, payload_bytes FROM dead_letters WHERE reason = 'overflow'",
    )
    assert.equal(overflow.length, 1)
    assert.equal(overflow[0]?.topic, topics.lift)
    assert.match(
      overflow[0]?.detail ?? '',
      /^15 QoS 0 messages \(\d+ bytes\) shed while the backlog was over 1000 bytes$/,
    )
    assert.equal(metrics.received.mqtt, 25, 'received = stored + shed')
  })

  it('accounts for every message of random input: stored, dead-lettered or duplicate; never throws', async () => {
    const { pipeline, metrics } = newPipeline(stores)
    const now = Date.now()
    const goodItem = fc.record({
      ts: fc.integer({ min: now - 1000, max: now }),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      m: fc.dictionary(
        fc.constantFrom('flow', 'current', 'temp_c'),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        { minKeys: 1 },
      ),
    })
    const payload = fc.oneof(
      goodItem.map((x) => JSON.stringify(x)),
      fc.jsonValue().map((x) => JSON.stringify(x)),
      fc.string(),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        '{"__proto__":{"x":1},"ts":1,"seq":1,"m":{"a":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
        'NaN',
        '1e999',
      ),
    )
    const topic = fc.constantFrom(
      topics.pump,
      topics.lift,
      topics.liftEvent,
      topics.gateStatus,
      'community/c01/x/y/telemetry',
      'community/c01/water_pump/c01-pump-1/bogus',
    )
    let sent = 0
    fc.assert(
      fc.property(topic, payload, (t, p) => {
        publish(pipeline, t, p)
        sent++
      }),
      { numRuns: 2000 },
    )
    await pipeline.close()
    const stored = (metrics.totals.stored.get('clickhouse') ?? 0) - metrics.totals.deadLetters
    assert.equal(stored + metrics.totals.deadLetters + metrics.totals.duplicates, sent)
    assert.equal(({} as Record<string, unknown>).x, undefined, 'no prototype was modified')
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'x'), false)
  })
})
