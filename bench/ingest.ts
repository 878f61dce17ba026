/**
 * `npm run bench:ingest -- --messages N --qos 0|1 --json`
 *
 * Measures, in one run against the broker at MQTT_URL (default mqtt://127.0.0.1:1883):
 *  (a) the broker's bare ceiling: the publisher below to an MQTT.js subscriber that only counts;
 *  (b) the full pipeline: the same publisher to the ingest (own process) writing to ClickHouse (CLICKHOUSE_URL or
 *      chDB) and InfluxDB (INFLUX_URL, when set); stored, lost and duplicate counts come from the stores;
 *  (c) publish-to-stored latency at an offered 20k msg/s.
 * Each role runs in its own process so that CPU time is the ingest's alone (chDB's threads included).
 * Prints one JSON line.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../data/index.ts'

const self = fileURLToPath(import.meta.url)

export interface Ask {
  role: 'publisher' | 'bare' | 'ingest'
  mqttUrl: string
  qos: 0 | 1
  messages: number
  run: string
  /** Publisher: messages per second, 0 = as fast as the broker takes them. */
  rate?: number
  /** Publisher: first seq. */
  seqBase?: number
  /** Publisher: most publishes outstanding at once (1 = each awaited before the next). */
  window?: number
}

type Reply = Record<string, number | string | null>

function child(ask: Ask, profileDir?: string): { proc: ChildProcess; next: () => Promise<Reply> } {
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]
  const proc = fork(self, ['--role', ask.role], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const queue: Reply[] = []
  const waiting: ((r: Reply) => void)[] = []
  proc.on('message', (m: Reply) => {
    const w = waiting.shift()
    if (w) w(m)
    else queue.push(m)
  })
  proc.send(ask)
  return {
    proc,
    next: () =>
      new Promise((resolve, reject) => {
        const queued = queue.shift()
        if (queued) return resolve(queued)
        waiting.push(resolve)
        proc.once('exit', (code) => code !== 0 && reject(new Error(`${ask.role} exited with ${code}`)))
      }),
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '200000' },
      qos: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      role: { type: 'string' },
      'latency-rate': { type: 'string', default: '20000' },
      /** Publishes outstanding at once (1 = a publisher that awaits each publish). */
      window: { type: 'string', default: '2000' },
      /** Writes a V8 CPU profile of the ingest process into this directory. */
      profile: { type: 'string' },
    },
  })
  if (values.role) return runRole()
  const messages = Number(values.messages)
  const qos = values.qos === '1' ? 1 : 0
  if (!Number.isInteger(messages) || messages <= 0 || !['0', '1'].includes(values.qos)) {
    process.stderr.write('bench:ingest: --messages must be a positive integer and --qos 0 or 1\n')
    process.exit(2)
  }
  const config = loadConfig()
  const mqttUrl = config.mqtt.kind === 'external' ? config.mqtt.url : 'mqtt://127.0.0.1:1883'
  const run = `b${Date.now().toString(36)}`
  const window = Number(values.window)
  const base: Omit<Ask, 'role'> = { mqttUrl, qos, messages, run, window }
  // CPU figures hold on a busy machine, wall-clock rates do not: the load says how busy it was.
  const loadBefore = loadavg()[0]!

  // (a) ceiling
  const bare = child({ ...base, role: 'bare' })
  await bare.next() // subscribed
  const pub1 = child({ ...base, role: 'publisher', seqBase: 1 })
  const ceilingDone = bare.next()
  await pub1.next()
  bare.proc.send({ published: true })
  const ceiling = await ceilingDone
  bare.proc.kill()

  // (b) pipeline at full speed
  const ingest = child({ ...base, role: 'ingest' }, values.profile)
  await ingest.next() // subscribed
  const pub2 = child({ ...base, role: 'publisher', seqBase: 1 })
  const pipelineDone = ingest.next()
  await pub2.next()
  ingest.proc.send({ published: true })
  const pipeline = await pipelineDone

  // (c) latency at the offered rate
  const rate = Number(values['latency-rate'])
  const latencyMessages = Math.min(messages, rate * 10)
  ingest.proc.send({ latency: latencyMessages })
  const pub3 = child({ ...base, role: 'publisher', messages: latencyMessages, rate, seqBase: messages + 1 })
  const latencyDone = ingest.next()
  await pub3.next()
  ingest.proc.send({ published: true })
  const latency = await latencyDone
  const ingestExited = new Promise((resolve) => ingest.proc.once('exit', resolve))
  ingest.proc.send({ stop: true })
  const stored = await ingest.next()
  await ingestExited

  const pipelineRate = Number(pipeline.msgPerSec)
  const ceilingRate = Number(ceiling.msgPerSec)
  const total = messages + latencyMessages
  const result = {
    qos,
    messages,
    broker: mqttUrl,
    publisher_window: window,
    broker_ceiling_msg_s: Math.round(ceilingRate),
    pipeline_msg_s: Math.round(pipelineRate),
    ratio: Number((pipelineRate / ceilingRate).toFixed(3)),
    ingest_cpu_us_per_msg: Number(Number(pipeline.cpuUsPerMsg).toFixed(2)),
    ingest_main_thread_cpu_us_per_msg: Number(Number(pipeline.mainThreadCpuUsPerMsg).toFixed(2)),
    bare_subscriber_cpu_us_per_msg: Number(Number(ceiling.cpuUsPerMsg).toFixed(2)),
    stored_clickhouse: Number(stored.clickhouseUnique),
    stored_influx: stored.influx === null ? null : Number(stored.influx),
    lost: total - Number(stored.clickhouseUnique),
    duplicates: Number(stored.clickhouseRows) - Number(stored.clickhouseUnique),
    /** QoS 0 messages the ingest itself dropped (backlog full); the rest of `lost` was dropped before it. */
    ingest_shed: Number(stored.shed),
    p99_latency_ms: Number(latency.p99Ms),
    p50_latency_ms: Number(latency.p50Ms),
    latency_offered_msg_s: rate,
    latency_messages: latencyMessages,
    clickhouse: stored.clickhouseKind,
    load_avg_1m: [Number(loadBefore.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
  }
  process.stdout.write((values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2)) + '\n')
  process.exit(0)
}

function runRole(): void {
  process.once('message', (ask: Ask) => {
    const roles = {
      publisher: () => import('./ingest-roles/publisher.ts'),
      bare: () => import('./ingest-roles/bare.ts'),
      ingest: () => import('./ingest-roles/ingest.ts'),
    }
    roles[ask.role]()
      .then((m) => m.default(ask, (reply: Reply) => process.send?.(reply)))
      .catch((error: unknown) => {
        process.stderr.write(
          `${ask.role}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        )
        process.exit(1)
      })
  })
}

void main()
