/**
 * Benchmark ingest process: the real ingest (`startIngest`) on ClickHouse (chDB in a temporary directory, or
 * CLICKHOUSE_URL) and InfluxDB (INFLUX_URL, when set), with the default community's devices registered. Reports
 * its own CPU time per stored message (chDB's threads are in this process), throughput from the first message
 * received to the last one stored, exact per-message publish-to-stored latencies, and the stores' own counts.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import {
  createInflux,
  createLogger,
  loadConfig,
  migrateClickHouse,
  openClickHouse,
  PiiCipher,
  type ClickHouse,
  type Influx,
  type Stores,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { DeviceRegistry, startIngest } from '../../ingest/index.ts'
import type { Ask } from '../ingest.ts'
import { benchDevices } from './devices.ts'

type Reply = (r: Record<string, number | string | null>) => void

/** CPU time of this process's main (JavaScript) thread, µs, from Linux's per-thread accounting. */
function mainThreadCpuUs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100
  } catch {
    return Number.NaN
  }
}

export default async function ingestRole(ask: Ask, reply: Reply): Promise<void> {
  const config = loadConfig()
  const dir = tempDir('bench-ingest-')
  const database = `bench_${ask.run}`
  const clickhouse: ClickHouse = await openClickHouse(
    config.clickhouse.kind === 'server'
      ? { ...config.clickhouse, database }
      : { kind: 'chdb', path: dir.path, database },
  )
  await migrateClickHouse(clickhouse)
  let influx: Influx | null = null
  if (config.influx) {
    influx = createInflux({ ...config.influx, database })
    await influx.ensureDatabase()
  }
  const stores: Stores = {
    postgres: undefined as never,
    clickhouse,
    influx,
    pii: new PiiCipher(randomBytes(32)),
    close: () => clickhouse.close(),
  }
  const registry = new DeviceRegistry(
    benchDevices(ask.run).map((d) => ({ id: d.id, communityId: d.communityId, kind: d.kind })),
  )
  const service = await startIngest(stores, createLogger({ level: 'warn' }), {
    mqttUrl: ask.mqttUrl,
    protocolVersion: 5,
    shareGroup: `bench${ask.run}`,
    clientId: `bench-ingest-${ask.run}`,
    topicFilter: `community/${ask.run}/+/+/+`,
    qos: ask.qos,
    limits: config.ingest.limits,
    registry,
    pipeline: { batchSize: config.ingest.batchSize, batchAgeMs: config.ingest.batchAgeMs },
  })

  // Measurement: from the first message received to the last one stored; exact latencies in the latency phase.
  const metrics = service.metrics
  let target = ask.messages
  let storedCount = 0
  let firstAt = 0
  let lastStoredAt = 0
  let cpuStart = process.cpuUsage()
  let mainStart = mainThreadCpuUs()
  let latencies: Float64Array | null = null
  let latencyCount = 0
  let finish: () => void = () => undefined
  let idleTimer: NodeJS.Timeout | null = null
  metrics.onBatchStored = (batch, now) => {
    lastStoredAt = performance.now()
    if (latencies) {
      for (let i = 0; i < batch.messageTsCount && latencyCount < latencies.length; i++) {
        latencies[latencyCount++] = now - (batch.messageTs[i] as number)
      }
    }
    storedCount += batch.telemetryRows
    if (storedCount >= target) finish()
  }
  /** Starts a phase: watches for its first message; `done` reports it. */
  let phaseOpen = false
  const phase = (messages: number, done: () => Record<string, number>) => {
    if (idleTimer) clearInterval(idleTimer)
    phaseOpen = true
    target = messages
    storedCount = 0
    firstAt = 0
    const base = metrics.received.mqtt
    const poll = setInterval(() => {
      if (firstAt === 0 && metrics.received.mqtt > base) {
        firstAt = performance.now()
        cpuStart = process.cpuUsage()
        mainStart = mainThreadCpuUs()
      }
    }, 1)
    finish = () => {
      clearInterval(poll)
      if (idleTimer) clearInterval(idleTimer)
      phaseOpen = false
      finish = () => undefined
      reply(done())
    }
  }
  // After the publisher is done, a phase also ends when nothing more is stored for 3 s (messages were lost).
  const watchIdle = () => {
    if (!phaseOpen) return
    let seen = storedCount
    idleTimer = setInterval(() => {
      if (storedCount === seen) finish()
      seen = storedCount
    }, 3000)
  }

  phase(ask.messages, () => {
    const used = process.cpuUsage(cpuStart)
    const seconds = (lastStoredAt - firstAt) / 1000
    return {
      msgPerSec: storedCount / seconds,
      cpuUsPerMsg: (used.user + used.system) / storedCount,
      mainThreadCpuUsPerMsg: (mainThreadCpuUs() - mainStart) / storedCount,
      stored: storedCount,
    }
  })
  reply({ ready: 1 })

  process.on('message', (message: { latency?: number; stop?: boolean; published?: boolean }) => {
    if (message.published) watchIdle()
    if (message.latency) {
      const samples = new Float64Array(message.latency)
      latencies = samples
      latencyCount = 0
      phase(message.latency, () => {
        const sorted = samples.subarray(0, latencyCount).sort()
        const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
        return { p50Ms: Math.round(at(0.5)), p99Ms: Math.round(at(0.99)), samples: latencyCount }
      })
    }
    if (message.stop) void stop()
  })

  async function stop(): Promise<void> {
    await service.close()
    const result = await clickhouse.client.query({
      query: 'SELECT count() AS rows, uniqExact(device_id, seq) AS uniq FROM telemetry',
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ rows: number; uniq: number }>()
    let influxCount: number | null = null
    if (influx) {
      const series = await influx.query('SELECT count(*) FROM /.*/')
      influxCount = 0
      // One point per message, every field in every point of a measurement: its largest field count is its
      // point count (columns are the union over measurements, null where a measurement lacks the field).
      for (const s of series)
        influxCount += Math.max(0, ...(s.values[0] ?? []).slice(1).map((v) => Number(v ?? 0)))
      await createInflux({ ...config.influx!, database: '_internal' }).query(`DROP DATABASE "${database}"`)
    }
    if (config.clickhouse.kind === 'server')
      await clickhouse.client.command({ query: `DROP DATABASE ${database}` })
    reply({
      shed: metrics.shed,
      clickhouseRows: Number(row?.rows),
      clickhouseUnique: Number(row?.uniq),
      influx: influxCount,
      clickhouseKind: clickhouse.kind,
    })
    await clickhouse.close()
    dir.remove()
    process.exit(0)
  }
}
