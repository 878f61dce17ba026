import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import mqtt from 'mqtt'
import {
  createInflux,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openClickHouse,
  openPostgres,
  PiiCipher,
  type Influx,
} from '../data/index.ts'
import { createTempDatabase, testServer } from '../data/testing/servers.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { startMosquitto, type TestMosquitto } from './testing-mosquitto.ts'

const pgServer = testServer('TEST_DATABASE_URL')
const influxServer = testServer('TEST_INFLUX_URL')
const skip = pgServer.skip || influxServer.skip

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

describe('ingest worker killed with SIGKILL at random moments during a QoS 1 stream', { skip }, () => {
  const N = 50_000
  const dataDir = tempDir('crash-')
  const influxDb = `crash_${process.pid}_${Date.now()}`
  let broker: TestMosquitto
  let database: { url: string; drop: () => Promise<void> }
  let influx: Influx
  let devices: { id: string; community_id: string; kind: string }[]
  let env: Record<string, string>

  before(async () => {
    broker = await startMosquitto()
    database = await createTempDatabase(pgServer.url)
    const db = await openPostgres({ kind: 'server', url: database.url })
    await migrate(db)
    await loadCommunitySet(
      db,
      new PiiCipher(randomBytes(32)),
      generateCommunity({ seed: 7, profile: 'small' }),
    )
    devices = await db.query(
      "SELECT id, community_id, kind FROM devices WHERE kind = 'electricity_meter' ORDER BY id LIMIT 20",
    )
    await db.close()
    influx = createInflux({ url: influxServer.url, database: influxDb })
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir.path,
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: 'ingest-crash-test',
      INFLUX_URL: influxServer.url,
      INFLUX_DB: influxDb,
      PORT: String(await freePort()),
      INGEST_QOS: '1',
      INGEST_BATCH_AGE_MS: '100',
      INGEST_BATCH_SIZE: '2000',
      LOG_LEVEL: 'info',
    }
  })
  after(async () => {
    await broker.stop()
    await database.drop()
    await createInflux({ url: influxServer.url, database: '_internal' }).query(`DROP DATABASE "${influxDb}"`)
    dataDir.remove()
  })

  /** Starts a worker and resolves once it is subscribed. */
  function startWorker(): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      let err = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('"msg":"ingest running"')) resolve(child)
      })
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before running: ${err}${out}`)))
    })
  }

  it('stores every message the broker accepted exactly once, in both sinks', async () => {
    let worker = await startWorker()
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'crash-publisher', protocolVersion: 4 })
    const t0 = Date.now()
    let acked = 0
    const published = (async () => {
      for (let i = 0; i < N; i++) {
        const device = devices[i % devices.length]!
        const topic = `community/${device.community_id}/${device.kind}/${device.id}/telemetry`
        publisher.publish(
          topic,
          JSON.stringify({ ts: t0 + i, seq: i + 1, m: { kwh: i } }),
          { qos: 1 },
          (error) => {
            if (!error) acked++
          },
        )
        // Pace the stream (about 5k msg/s) so that the kills land in the middle of it.
        if (i % 500 === 499) await new Promise((r) => setTimeout(r, 100))
      }
    })()
    // Three kills at random moments while the stream runs, each followed by a restart.
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => setTimeout(r, 1500 + Math.random() * 2000))
      const exited = new Promise((r) => worker.once('exit', r))
      worker.kill('SIGKILL')
      await exited
      worker = await startWorker()
    }
    await published
    while (acked < N) await new Promise((r) => setTimeout(r, 50))
    await publisher.endAsync()

    // Wait until InfluxDB holds the whole stream (the worker drains the broker's backlog).
    const deadline = Date.now() + 60_000
    let influxCount = 0
    while (Date.now() < deadline) {
      const [series] = await influx.query('SELECT count(kwh) FROM electricity_meter')
      influxCount = Number(series?.values[0]?.[1] ?? 0)
      if (influxCount >= N) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const exited = new Promise((r) => worker.once('exit', r))
    worker.kill('SIGTERM')
    await exited

    assert.equal(acked, N, 'the broker accepted every message')
    assert.equal(influxCount, N, 'InfluxDB holds every message')
    const store = await openClickHouse({ kind: 'chdb', path: `${dataDir.path}/chdb`, database: 'community' })
    try {
      const result = await store.client.query({
        query:
          'SELECT count() AS n, uniqExact(device_id, seq) AS u, min(seq) AS lo, max(seq) AS hi FROM telemetry',
        format: 'JSONEachRow',
      })
      const [row] = await result.json<{ n: number; u: number; lo: number; hi: number }>()
      assert.equal(Number(row?.u), N, 'ClickHouse holds every message')
      assert.equal(Number(row?.n), N, 'ClickHouse holds none twice')
      assert.equal(Number(row?.lo), 1)
      assert.equal(Number(row?.hi), N)
    } finally {
      await store.close()
    }
  })
})
