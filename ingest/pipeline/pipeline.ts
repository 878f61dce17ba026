/**
 * The ingest pipeline: validate → route → deduplicate → batch → store in every sink → acknowledge.
 *
 * One batch fills while sealed batches wait or are being stored, in order (so a message's earlier copy is always
 * stored before a later batch's acknowledgements go out). The sealed batches waiting when a write starts are
 * stored together, up to `maxWriteMessages`: the embedded ClickHouse pays a large fixed cost per insert and per
 * part merged, and its minute rollup aggregates each device once per insert, so a write of many batches costs far
 * less per row than many small writes (measured here, with the rollup view: ~8 µs per row in inserts of 10,000
 * rows, ~4.5 at 40,000, ~3.3 at 80,000). Under light load a write is one batch, so latency stays low.
 *
 * Backpressure depends on what a source can afford to lose:
 * - Pausable sources (the QoS 1 subscriber; HTTP callers, who wait) are paused when more than `maxSealed` sealed
 *   batches are pending — the broker holds the backlog — and resumed as they drain.
 * - QoS 0 messages are never paused for: a broker drops QoS 0 messages for a client that stops reading (Mosquitto
 *   beyond `max_queued_messages`), silently. The pipeline keeps reading into its backlog instead, bounded by
 *   `maxBacklogBytes`; past that it sheds QoS 0 messages itself, counts them, and records each run of shed
 *   messages as one `overflow` dead letter.
 * A failed sink write is retried with backoff, with the same batches, until it succeeds. Only then are the
 * batches' MQTT messages acknowledged and their HTTP callers answered.
 *
 * Bad input never throws here: it becomes a dead letter in the same batch, acknowledged once stored.
 */
import { isUtf8 } from 'node:buffer'
import type { ClickHouse } from '../../data/index.ts'
import type { IngestLimits } from '../../data/messages/index.ts'
import type { Sink } from '../sinks/types.ts'
import {
  appendDeadLetter,
  appendEvent,
  appendOverflow,
  appendStatus,
  appendTelemetry,
  classify,
} from './accept.ts'
import { acknowledge, type Acknowledger } from './ack.ts'
import { Batch, type Waiter } from './batch.ts'
import { SeqTracker } from './dedup.ts'
import { tsvTime } from './encode.ts'
import type { IngestMetrics } from './metrics.ts'
import type { DeadLetterReason } from './reasons.ts'
import type { DeviceRegistry, RegisteredDevice, Route } from './registry.ts'
import { verifySuspects } from './verify.ts'
import { PayloadValidator } from './validate.ts'

export interface PipelineOptions {
  readonly limits: IngestLimits
  /** Messages per batch. */
  readonly batchSize: number
  /** A non-empty batch is sealed after this long, ms. */
  readonly batchAgeMs: number
  /** Sealed batches (waiting or being stored) allowed before pausable sources pause. */
  readonly maxSealed: number
  /** Most messages stored in one write (sealed batches that waited are written together). */
  readonly maxWriteMessages: number
  /** Bytes of pending batches past which QoS 0 messages are shed (they are never paused for). */
  readonly maxBacklogBytes: number
  /** Raw bytes of a bad payload kept in its dead letter. */
  readonly deadLetterBytes: number
  readonly retryMinMs: number
  readonly retryMaxMs: number
}

/**
 * Defaults. The age bound keeps latency low when traffic is light; under load, writes grow by joining the
 * batches that waited. At QoS 1 up to `batchSize × (maxSealed + 2)` messages await acknowledgement, which must
 * stay well inside the 65,535 the subscriber lets the broker send unacknowledged: past that the broker queues
 * for us, and Mosquitto's default queue (1,000 messages) drops the rest. A larger `maxSealed` lets QoS 1 writes
 * join batches too, but acknowledges each later: on a loaded machine (load 10–13) the broker then dropped
 * 18,000–63,000 of 400,000 benchmark messages with 3. 64 MiB of backlog holds about 300,000 typical messages
 * (both sinks' encodings).
 */
export const defaultPipelineOptions: Omit<PipelineOptions, 'limits'> = {
  batchSize: 10_000,
  batchAgeMs: 500,
  maxSealed: 1,
  maxWriteMessages: 100_000,
  maxBacklogBytes: 64 * 1024 * 1024,
  deadLetterBytes: 4096,
  retryMinMs: 100,
  retryMaxMs: 5000,
}

/** Stored batches kept for reuse (their buffers have grown to a batch's size). */
const SPARE_BATCHES = 4

/** Something that delivers messages and can be told to stop and start (the MQTT subscriber). */
export interface Source {
  pause(): void
  resume(): void
}

/**
 * Sees each new telemetry item, event and status as it is accepted — before storage, for low latency (stream
 * alarm rules). Called on the hot path: must be O(1), allocation-light, and must not throw.
 */
export interface StreamObserver {
  telemetry(device: RegisteredDevice, index: number, ts: number, m: Readonly<Record<string, number>>): void
  event?(
    device: RegisteredDevice,
    index: number,
    ts: number,
    type: string,
    item: Readonly<Record<string, unknown>>,
  ): void
  status?(device: RegisteredDevice, index: number, ts: number, status: string): void
}

export interface PipelineDeps {
  readonly registry: DeviceRegistry
  readonly sinks: readonly Sink[]
  /** For verifying suspect redeliveries; the ClickHouse the sink writes to. */
  readonly clickhouse: ClickHouse
  readonly metrics: IngestMetrics
  readonly now?: () => number
  /** Reports sink failures (the pipeline keeps retrying). */
  readonly onSinkError?: (sink: string, error: unknown) => void
  readonly observers?: readonly StreamObserver[]
}

export class Pipeline {
  private current: Batch
  /** Sealed batches waiting to be written. */
  private readonly sealed: Batch[] = []
  /** The batches of the write in progress (empty when none is). */
  private readonly writing: Batch[] = []
  private readonly spare: Batch[] = []
  /** Bytes of the sealed and writing batches. */
  private pendingBytes = 0
  /** QoS 0 messages shed since the last `overflow` dead letter, and the first one's topic and time. */
  private shed = { count: 0, bytes: 0, topic: '', at: '' }
  private paused = false
  private closed = false
  private readonly seqs: SeqTracker
  private lastStatusTs: Float64Array
  private readonly validator: PayloadValidator
  private readonly sources = new Set<Source>()
  private acknowledger: Acknowledger | null = null
  private readonly capacityWaiters: (() => void)[] = []
  private timer: NodeJS.Timeout | null = null
  private idle: (() => void)[] = []
  private readonly now: () => number
  private receivedTsv = ''
  private receivedTsvAt = -1

  constructor(
    private readonly options: PipelineOptions,
    private readonly deps: PipelineDeps,
  ) {
    this.now = deps.now ?? Date.now
    this.validator = new PayloadValidator(options.limits, this.now)
    this.seqs = new SeqTracker(Math.max(16, deps.registry.capacity))
    this.lastStatusTs = new Float64Array(Math.max(16, deps.registry.capacity)).fill(-1)
    this.current = this.newBatch()
    this.timer = setInterval(() => this.sealIfOld(), Math.max(10, options.batchAgeMs / 2))
    this.timer.unref()
  }

  /** A source to pause and resume with the backlog. */
  addSource(source: Source): void {
    this.sources.add(source)
    if (this.paused) source.pause()
  }

  /** The MQTT connection that QoS 1 acknowledgements are sent through. */
  setAcknowledger(acknowledger: Acknowledger): void {
    this.acknowledger = acknowledger
  }

  /** Seeds the exactly-once state from what the store already holds (after a restart). */
  preload(
    highestSeq: Iterable<[deviceId: string, seq: number]>,
    lastStatus: Iterable<[deviceId: string, ts: number]>,
  ): void {
    for (const [id, seq] of highestSeq) {
      const entry = this.deps.registry.get(id)
      if (entry) this.seqs.preload(entry.index, seq)
    }
    for (const [id, ts] of lastStatus) {
      const entry = this.deps.registry.get(id)
      if (entry) this.lastStatusTs[entry.index] = ts
    }
  }

  /** Grows the per-device state after devices were added to the registry. */
  registryChanged(): void {
    const capacity = this.deps.registry.capacity
    this.seqs.ensure(capacity)
    if (capacity > this.lastStatusTs.length) {
      const grown = new Float64Array(Math.max(capacity, this.lastStatusTs.length * 2)).fill(-1)
      grown.set(this.lastStatusTs)
      this.lastStatusTs = grown
    }
  }

  /** True while sources are paused for backpressure. */
  get isPaused(): boolean {
    return this.paused
  }

  /** Sealed batches waiting or being stored. */
  get backlog(): number {
    return this.sealed.length + this.writing.length
  }

  /** Bytes of the sealed batches waiting or being stored. */
  get backlogBytes(): number {
    return this.pendingBytes
  }

  /** One MQTT PUBLISH. Never throws. */
  acceptPublish(topic: string, payload: Buffer, qos: number, packetId: number, generation: number): void {
    this.deps.metrics.received.mqtt++
    if (qos === 0 && this.pendingBytes > this.options.maxBacklogBytes) return this.shedOne(topic, payload)
    const batch = this.current
    batch.messages++
    if (qos > 0) batch.addAck(generation, packetId)
    const route = this.deps.registry.resolve(topic)
    if (typeof route === 'string') this.dead(batch, 'mqtt', topic, route, payload)
    else if (payload.length > this.options.limits.maxPayloadBytes)
      this.dead(batch, 'mqtt', topic, 'oversized', payload)
    else this.acceptPayload(batch, route, topic, payload)
    if (batch.full) this.seal()
  }

  /**
   * Items posted by a gateway over HTTP for one device and channel. Resolves once they (or their dead letters)
   * are stored; returns per-item outcomes.
   */
  async acceptHttp(
    route: Route,
    items: readonly unknown[],
  ): Promise<{
    stored: number
    duplicates: number
    rejected: { index: number; reason: DeadLetterReason }[]
  }> {
    await this.waitForCapacity()
    const batch = this.current
    const rejected: { index: number; reason: DeadLetterReason }[] = []
    let stored = 0
    let duplicates = 0
    const topic = `community/${route.device.communityId}/${route.device.kind}/${route.device.id}/${route.channel}`
    items.forEach((item, index) => {
      batch.messages++
      this.deps.metrics.received.http++
      const json = JSON.stringify(item)
      if (Buffer.byteLength(json) > this.options.limits.maxPayloadBytes) {
        rejected.push({ index, reason: 'oversized' })
        this.dead(batch, 'http', topic, 'oversized', Buffer.from(json))
        return
      }
      const before = batch.duplicates
      const reason = this.acceptValue(batch, route, item, json, true)
      if (reason) {
        rejected.push({ index, reason })
        this.dead(batch, 'http', topic, reason, Buffer.from(json))
      } else if (batch.duplicates > before) duplicates++
      else stored++
    })
    const done = new Promise<void>((resolve, reject) =>
      batch.waiters.push({ resolve, reject } satisfies Waiter),
    )
    if (batch.full) this.seal()
    await done
    return { stored, duplicates, rejected }
  }

  /** Seals the filling batch now (tests, shutdown). */
  flush(): Promise<void> {
    this.seal()
    return this.whenIdle()
  }

  /** Resolves when nothing is waiting to be stored. */
  whenIdle(): Promise<void> {
    if (this.writing.length === 0 && this.sealed.length === 0 && this.current.empty && this.shed.count === 0)
      return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  /** Stores what is pending, then stops. */
  async close(): Promise<void> {
    await this.flush()
    this.closed = true
    if (this.timer) clearInterval(this.timer)
  }

  private receivedAt(): string {
    // The receive time is formatted once per millisecond, not once per row.
    const now = this.now()
    if (now !== this.receivedTsvAt) {
      this.receivedTsvAt = now
      this.receivedTsv = tsvTime(now)
    }
    return this.receivedTsv
  }

  private acceptPayload(batch: Batch, route: Route, topic: string, payload: Buffer): void {
    if (!isUtf8(payload)) return this.dead(batch, 'mqtt', topic, 'not_json', payload)
    const text = payload.toString('utf8')
    if (route.channel === 'status' && (text === 'offline' || text === 'online')) {
      // A bare status word: how last wills are usually written.
      return this.acceptStatus(batch, route, text, this.now(), 0, '')
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return this.dead(batch, 'mqtt', topic, 'not_json', payload)
    }
    const reason = this.acceptValue(batch, route, value, text, false)
    if (reason) this.dead(batch, 'mqtt', topic, reason, payload)
  }

  /** Validates and appends a parsed payload; returns the reason when it is bad. */
  private acceptValue(
    batch: Batch,
    route: Route,
    value: unknown,
    json: string,
    fromHttp: boolean,
  ): DeadLetterReason | null {
    switch (route.channel) {
      case 'telemetry': {
        const bad = this.validator.telemetry(value)
        if (bad) return bad
        const items = Array.isArray(value)
          ? (value as Record<string, unknown>[])
          : [value as Record<string, unknown>]
        for (const item of items) this.acceptTelemetryItem(batch, route, item)
        return null
      }
      case 'event': {
        const bad = this.validator.event(value)
        if (bad) return bad
        const items = Array.isArray(value)
          ? (value as Record<string, unknown>[])
          : [value as Record<string, unknown>]
        for (const item of items) {
          const itemJson = items.length === 1 && !fromHttp ? json : JSON.stringify(item)
          if (Buffer.byteLength(itemJson) > this.options.limits.maxEventFieldsBytes) return 'event_too_large'
        }
        for (const item of items) {
          const itemJson = items.length === 1 && !fromHttp ? json : JSON.stringify(item)
          const verdict = classify(this.seqs, route, item.seq as number)
          if (verdict === 'duplicate') batch.duplicates++
          else if (verdict === 'suspect') batch.suspects.push({ route, item, receivedAt: this.now() })
          else {
            appendEvent(batch, route, item, itemJson, this.receivedAt())
            for (const observer of this.deps.observers ?? []) {
              observer.event?.(route.device, route.index, item.ts as number, item.type as string, item)
            }
          }
        }
        return null
      }
      case 'status': {
        const bad = this.validator.status(value)
        if (bad) return bad
        const item = value as { ts?: number; seq?: number; status: string; detail?: string }
        this.acceptStatus(batch, route, item.status, item.ts ?? this.now(), item.seq ?? 0, item.detail ?? '')
        return null
      }
    }
  }

  private acceptTelemetryItem(batch: Batch, route: Route, item: Record<string, unknown>): void {
    const verdict = classify(this.seqs, route, item.seq as number)
    if (verdict === 'duplicate') batch.duplicates++
    else if (verdict === 'suspect') batch.suspects.push({ route, item, receivedAt: this.now() })
    else {
      const observers = this.deps.observers
      if (observers) {
        for (const observer of observers) {
          observer.telemetry(route.device, route.index, item.ts as number, item.m as Record<string, number>)
        }
      }
    }
    if (verdict === 'stored')
      appendTelemetry(
        batch,
        route,
        item.ts as number,
        item.seq as number,
        item.m as Record<string, number>,
        this.receivedAt(),
      )
  }

  private acceptStatus(
    batch: Batch,
    route: Route,
    status: string,
    ts: number,
    seq: number,
    detail: string,
  ): void {
    // Retained statuses come again on every subscription: only a newer one is stored.
    if (ts <= (this.lastStatusTs[route.index] ?? -1)) {
      batch.duplicates++
      return
    }
    this.lastStatusTs[route.index] = ts
    appendStatus(batch, route, status, ts, seq, detail, this.receivedAt())
    for (const observer of this.deps.observers ?? []) observer.status?.(route.device, route.index, ts, status)
  }

  private dead(
    batch: Batch,
    source: 'mqtt' | 'http',
    topic: string,
    reason: DeadLetterReason,
    payload: Buffer,
  ): void {
    appendDeadLetter(batch, this.receivedAt(), source, topic, reason, payload, this.options.deadLetterBytes)
  }

  /** Drops a QoS 0 message because the backlog is full; counted, and reported by `reportShed`. */
  private shedOne(topic: string, payload: Buffer): void {
    this.deps.metrics.shed++
    if (this.shed.count++ === 0) {
      this.shed.topic = topic
      this.shed.at = this.receivedAt()
    }
    this.shed.bytes += payload.length
  }

  /** Records the messages shed since the last report as one `overflow` dead letter in the filling batch. */
  private reportShed(): void {
    const { count, bytes, topic, at } = this.shed
    appendOverflow(this.current, at, topic, count, bytes, this.options.maxBacklogBytes)
    this.shed = { count: 0, bytes: 0, topic: '', at: '' }
  }

  private newBatch(): Batch {
    const batch = this.spare.pop() ?? new Batch(this.options.batchSize)
    batch.reset(this.now())
    return batch
  }

  private sealIfOld(): void {
    if (this.shed.count > 0) this.reportShed()
    const batch = this.current
    if (!batch.empty && this.now() - batch.openedAt >= this.options.batchAgeMs) this.seal()
  }

  private seal(): void {
    if (this.shed.count > 0) this.reportShed()
    if (this.current.empty) return
    const batch = this.current
    batch.bytes =
      batch.telemetry.length +
      batch.events.length +
      batch.status.length +
      batch.deadLetters.length +
      batch.influx.length
    this.pendingBytes += batch.bytes
    this.sealed.push(batch)
    this.current = this.newBatch()
    if (this.backlog > this.options.maxSealed && !this.paused) {
      this.paused = true
      this.deps.metrics.pauses++
      for (const source of this.sources) source.pause()
    }
    void this.storeNext()
  }

  private waitForCapacity(): Promise<void> {
    if (!this.paused) return Promise.resolve()
    return new Promise((resolve) => this.capacityWaiters.push(resolve))
  }

  private async storeNext(): Promise<void> {
    if (this.writing.length > 0 || this.sealed.length === 0) return
    // Everything that waited goes in this write, up to the cap (always at least one batch). A batch with suspects
    // starts a write of its own: they are verified against the store once every earlier batch is in it.
    const group = this.writing
    let messages = 0
    for (let next = this.sealed[0]; next; next = this.sealed[0]) {
      const full = messages + next.messages > this.options.maxWriteMessages
      if (group.length > 0 && (full || next.suspects.length > 0)) break
      group.push(next)
      this.sealed.shift()
      messages += next.messages
    }
    try {
      const started = performance.now()
      for (const batch of group) {
        if (batch.suspects.length > 0)
          await this.retry('clickhouse', () =>
            verifySuspects(this.deps.clickhouse, batch, this.receivedAt(), this.deps.observers),
          )
      }
      // Each sink retries on its own: one that has stored the write is not asked again.
      await Promise.all(this.deps.sinks.map((sink) => this.retry(sink.name, () => sink.write(group))))
      const seconds = (performance.now() - started) / 1000
      const now = this.now()
      for (const batch of group) {
        this.deps.metrics.batchStored(batch, this.deps.sinks, seconds, now)
        if (this.acknowledger) acknowledge(this.acknowledger, batch)
        for (const waiter of batch.waiters) waiter.resolve()
      }
    } finally {
      for (const batch of group) {
        this.pendingBytes -= batch.bytes
        // A QoS 0 burst may have needed many batches: keep a few for reuse, let the GC have the rest.
        if (this.spare.length < SPARE_BATCHES) this.spare.push(batch)
      }
      group.length = 0
    }
    if (this.paused && this.backlog <= this.options.maxSealed) {
      this.paused = false
      for (const source of this.sources) source.resume()
      for (const resolve of this.capacityWaiters.splice(0)) resolve()
    }
    if (this.sealed.length > 0) void this.storeNext()
    else if (this.current.empty) for (const resolve of this.idle.splice(0)) resolve()
    else if (this.idle.length > 0) this.seal()
  }

  private async retry(name: string, attempt: () => Promise<void>): Promise<void> {
    let delay = this.options.retryMinMs
    for (;;) {
      try {
        await attempt()
        this.deps.metrics.sinkUp(name, true)
        return
      } catch (error) {
        this.deps.metrics.sinkUp(name, false)
        this.deps.metrics.sinkErrors(name)
        this.deps.onSinkError?.(name, error)
        if (this.closed) throw error
        await new Promise((resolve) => setTimeout(resolve, delay))
        delay = Math.min(this.options.retryMaxMs, delay * 2)
      }
    }
  }
}
