/**
 * Publishes a simulation over MQTT 3.1.1 (for broad broker compatibility: aedes, Mosquitto, EMQX) through the
 * connection pool of `planConnections`.
 *
 * - `realtime` paces messages by their timestamps against the wall clock (a number is an acceleration factor:
 *   60 = an hour per minute).
 * - `max` publishes as fast as the broker takes them: at most `maxInFlight` publishes are awaiting their PUBACK
 *   (QoS 1) or their socket write (QoS 0) at any time, across all connections.
 *
 * Status messages are always QoS 1 and retained. On stop (end of the stream or abort) every device's retained
 * status is set to `offline`, since a clean disconnect fires no last will; then the connections close.
 */
import { randomBytes } from 'node:crypto'
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import mqtt from 'mqtt'
import type { MqttClient } from 'mqtt'
import { planConnections } from './connections.ts'
import type { PoolMode } from './connections.ts'
import type { SimMessage } from './emitter.ts'
import type { Simulation } from './simulation.ts'

/** `realtime`, `max`, or a speed-up factor over real time. */
export type Speed = 'realtime' | 'max' | number

export interface PublishOptions {
  readonly simulation: Simulation
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  readonly url: string
  readonly speed?: Speed
  /** QoS of telemetry and events (status is always 1). */
  readonly qos?: 0 | 1
  /** Most publishes awaiting acknowledgement at once. */
  readonly maxInFlight?: number
  readonly pool?: PoolMode
  /** Client ids are `<prefix>-<connection name>`; default `sim-<random>`. */
  readonly clientIdPrefix?: string
  readonly username?: string
  readonly password?: string
  /** Stops publishing (then marks devices offline and disconnects). */
  readonly signal?: AbortSignal
  /** Wall clock for pacing, ms. */
  readonly clock?: () => number
  /** Publish retained `offline` for every device when stopping (default true). */
  readonly markOffline?: boolean
  readonly connectTimeoutMs?: number
  /** Called about every `progressEveryMs` of wall time. */
  readonly onProgress?: (progress: PublishProgress) => void
  readonly progressEveryMs?: number
  /** Connection errors (MQTT.js reconnects by itself and resends unacknowledged QoS 1 publishes). */
  readonly onError?: (error: Error, connection: string) => void
}

export interface PublishProgress {
  readonly published: number
  readonly failed: number
  /** Simulated time of the last message handed to MQTT. */
  readonly simTime: number
  readonly elapsedMs: number
}

export interface PublishResult {
  readonly published: number
  /** Publishes the client reported as failed. */
  readonly failed: number
  readonly byChannel: Readonly<Record<string, number>>
  readonly connections: number
  readonly elapsedMs: number
  readonly messagesPerSecond: number
  /** True when stopped by the signal before the stream ended. */
  readonly aborted: boolean
  readonly lastTs: number
}

const DEFAULT_IN_FLIGHT = 1000

function factorOf(speed: Speed): number {
  if (speed === 'max') return Infinity
  if (speed === 'realtime') return 1
  if (!(speed > 0)) throw new RangeError(`speed must be realtime, max or a positive factor, got ${speed}`)
  return speed
}

async function connectPool(
  options: PublishOptions,
  plan: ReturnType<typeof planConnections>,
): Promise<MqttClient[]> {
  const prefix = options.clientIdPrefix ?? `sim-${randomBytes(3).toString('hex')}`
  const clients = await Promise.allSettled(
    plan.connections.map((c) =>
      mqtt.connectAsync(options.url, {
        protocolVersion: 4,
        clientId: `${prefix}-${c.name}`.slice(0, 128),
        clean: true,
        keepalive: 30,
        reconnectPeriod: 1000,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        username: options.username,
        password: options.password,
        will: c.will
          ? { topic: c.will.topic, payload: Buffer.from(c.will.payload), qos: 1, retain: true }
          : undefined,
      }),
    ),
  )
  const failed = clients.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  const connected = clients.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  if (failed) {
    await Promise.all(connected.map((c) => c.endAsync(true)))
    const reason = failed.reason instanceof Error ? failed.reason.message : String(failed.reason)
    throw new Error(`cannot connect to ${options.url}: ${reason}`)
  }
  return connected
}

/** Publishes the simulation's stream; resolves when it ended (or was aborted) and every publish was settled. */
export async function publishSimulation(options: PublishOptions): Promise<PublishResult> {
  const sim = options.simulation
  const factor = factorOf(options.speed ?? 'realtime')
  const qos = options.qos ?? 1
  const maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_IN_FLIGHT)
  const clock = options.clock ?? Date.now
  const signal = options.signal
  const plan = planConnections(sim.devices, options.pool ?? 'gateways')
  const clients = await connectPool(options, plan)
  // A broker hiccup makes MQTT.js reconnect and resend; the stream keeps going and reports what happened.
  clients.forEach((c, i) =>
    c.on('error', (error) => options.onError?.(error, plan.connections[i]?.name ?? '')),
  )

  const byChannel: Record<string, number> = { telemetry: 0, event: 0, status: 0 }
  let published = 0
  let failed = 0
  let inFlight = 0
  let waiter: (() => void) | null = null
  let lastTs = sim.start
  const settle = (error?: Error) => {
    inFlight--
    if (error) failed++
    else published++
    if (waiter && inFlight < maxInFlight) {
      const wake = waiter
      waiter = null
      wake()
    }
  }
  const publish = async (m: SimMessage) => {
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (waiter = resolve))
    const client = clients[plan.route[m.device] as number]
    if (!client) return
    inFlight++
    byChannel[m.channel] = (byChannel[m.channel] ?? 0) + 1
    client.publish(m.topic, m.payload, { qos: m.retain ? 1 : qos, retain: m.retain }, settle)
    lastTs = m.ts
  }
  const drain = async () => {
    while (inFlight > 0) {
      await new Promise<void>((resolve) => (waiter = resolve))
      if (inFlight > 0) await yieldToLoop()
    }
  }

  const wallStart = clock()
  const began = performance.now()
  let nextProgress = began + (options.progressEveryMs ?? 5000)
  let aborted = false
  const run = sim.messages()
  let sinceYield = 0
  try {
    for (const m of run) {
      if (signal?.aborted) {
        aborted = true
        break
      }
      if (Number.isFinite(factor)) {
        const wait = wallStart + (m.ts - sim.start) / factor - clock()
        if (wait > 1) await sleep(wait, undefined, { signal }).catch(() => (aborted = true))
        if (aborted) break
      }
      await publish(m)
      if (++sinceYield >= 2000) {
        // Let socket writes and acknowledgements through even when every callback comes back at once.
        sinceYield = 0
        await yieldToLoop()
      }
      if (options.onProgress && performance.now() >= nextProgress) {
        nextProgress = performance.now() + (options.progressEveryMs ?? 5000)
        options.onProgress({
          published,
          failed,
          simTime: lastTs,
          elapsedMs: Math.round(performance.now() - began),
        })
      }
    }
    if (options.markOffline ?? true) {
      const now = Number.isFinite(factor) ? sim.start + (clock() - wallStart) * factor : lastTs
      for (const m of run.shutdown(Math.max(lastTs, Math.round(now)))) await publish(m)
    }
    await drain()
  } finally {
    await Promise.all(clients.map((c) => c.endAsync()))
  }
  const elapsedMs = performance.now() - began
  return {
    published,
    failed,
    byChannel,
    connections: clients.length,
    elapsedMs: Math.round(elapsedMs),
    messagesPerSecond: Math.round(published / Math.max(0.001, elapsedMs / 1000)),
    aborted,
    lastTs,
  }
}
