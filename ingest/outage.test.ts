import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mqtt from 'mqtt'
import { createInflux, type Stores } from '../data/index.ts'
import { defaultLimits } from '../data/messages/index.ts'
import { testInfluxPid, testServer } from '../data/testing/servers.ts'
import { startIngest, type IngestService } from './service.ts'
import { startMosquitto, type TestMosquitto } from './testing-mosquitto.ts'
import { chRows, ingestStores, silentLog, telemetry, testRegistry, topics } from './testing.ts'

const influxServer = testServer('TEST_INFLUX_URL')
const pid = testInfluxPid()
const skip =
  influxServer.skip || (pid === undefined ? 'TEST_INFLUX_PID not set: cannot pause influxd' : false)

describe('ingest while InfluxDB is unreachable for 30 s (SIGSTOP, then SIGCONT)', { skip }, () => {
  const database = `outage_${process.pid}_${Date.now()}`
  let broker: TestMosquitto
  let stores: Stores
  let remove: () => Promise<void>
  let ingest: IngestService
  const ackTimes: number[] = []

  before(async () => {
    broker = await startMosquitto()
    const influx = createInflux({ url: influxServer.url, database, timeoutMs: 2000 })
    await influx.ensureDatabase()
    ;({ stores, remove } = await ingestStores(influx))
    ingest = await startIngest(stores, silentLog, {
      mqttUrl: broker.url,
      protocolVersion: 5,
      clientId: 'ingest-outage-test',
      qos: 1,
      limits: defaultLimits,
      registry: testRegistry(),
      pipeline: { batchAgeMs: 100, batchSize: 1000, retryMaxMs: 1000 },
    })
    // Record when acknowledgements go out, by wrapping the subscriber's ack.
    const ack = ingest.subscriber.ack.bind(ingest.subscriber)
    ingest.subscriber.ack = (generation, ids, count) => {
      ackTimes.push(Date.now())
      return ack(generation, ids, count)
    }
  })
  after(async () => {
    if (pid) process.kill(pid, 'SIGCONT')
    await ingest.close()
    await broker.stop()
    await createInflux({ url: influxServer.url, database: '_internal' }).query(`DROP DATABASE "${database}"`)
    await remove()
  })

  it('acknowledges nothing during the outage, keeps memory bounded, and catches up fully after', async () => {
    const N = 60_000
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: 'outage-publisher',
      protocolVersion: 4,
    })
    const t0 = Date.now()
    let acked = 0
    const published = (async () => {
      for (let i = 0; i < N; i++) {
        publisher.publish(topics.pump, telemetry(i + 1, t0 + i), { qos: 1 }, (error) => {
          if (!error) acked++
        })
        // About 1,500 msg/s for 40 s: the outage sits in the middle of the stream.
        if (i % 150 === 149) await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await new Promise((r) => setTimeout(r, 5000))
    const heapBefore = process.memoryUsage().heapUsed
    const stoppedAt = Date.now()
    process.kill(pid!, 'SIGSTOP')
    let maxHeap = heapBefore
    let maxBacklog = 0
    let sawPaused = false
    try {
      while (Date.now() - stoppedAt < 30_000) {
        await new Promise((r) => setTimeout(r, 250))
        maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed)
        maxBacklog = Math.max(maxBacklog, ingest.pipeline.backlog)
        sawPaused ||= ingest.pipeline.isPaused
      }
    } finally {
      process.kill(pid!, 'SIGCONT')
    }
    const resumedAt = Date.now()
    await published
    while (acked < N) await new Promise((r) => setTimeout(r, 50))
    await publisher.endAsync()

    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const [row] = await chRows<{ n: number }>(
        stores,
        "SELECT count() AS n FROM telemetry WHERE device_id = 'c01-pump-1'",
      )
      if (Number(row?.n) >= N) break
      await new Promise((r) => setTimeout(r, 250))
    }
    await ingest.pipeline.flush()
    const [series] = await stores.influx!.query('SELECT count(flow) FROM water_pump')
    const [row] = await chRows<{ n: number; u: number }>(
      stores,
      "SELECT count() AS n, uniqExact(seq) AS u FROM telemetry WHERE device_id = 'c01-pump-1'",
    )

    // One batch may have been stored just as influxd stopped; after that, nothing until it returns.
    const acksDuringOutage = ackTimes.filter((t) => t > stoppedAt + 1000 && t < resumedAt)
    assert.deepEqual(acksDuringOutage, [], 'no acknowledgements while a sink is down')
    assert.ok(sawPaused, 'intake paused')
    assert.ok(maxBacklog <= 2, `backlog stayed bounded (max ${maxBacklog} batches)`)
    assert.ok(
      maxHeap - heapBefore < 64 * 1024 * 1024,
      `heap grew by ${((maxHeap - heapBefore) / 1e6).toFixed(1)} MB`,
    )
    assert.equal(Number(row?.u), N, 'ClickHouse caught up')
    assert.equal(Number(row?.n), N, 'ClickHouse stored nothing twice')
    assert.equal(Number(series?.values[0]?.[1]), N, 'InfluxDB caught up')
  })
})
