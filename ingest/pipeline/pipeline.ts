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
import type { ClickHouse } from '../../data/index.ts'
import type { Sink } from '../sinks/types.ts'
import { appendOverflow } from './accept.ts'
import { acknowledge, type Acknowledger } from './ack.ts'
import { Batch, type Waiter } from './batch.ts'
import { MessageIntake, type StreamObserver } from './intake.ts'
import type { IngestMetrics } from './metrics.ts'
import type { PipelineOptions } from './options.ts'
import type { DeadLetterReason } from './reasons.ts'
import type { DeviceRegistry, Route } from './registry.ts'
import { verifySuspects } from './verify.ts'

export type { StreamObserver } from './intake.ts'
export { defaultPipelineOptions, type PipelineOptions } from './options.ts'

/** Stored batches kept for reuse (their buffers have grown to a batch's size). */
const SPARE_BATCHES = 4

/** Something that delivers messages and can be told to stop and start (the MQTT subscriber). */
export interface Source {
  pause(): void
  resume(): void
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
  private readonly intake: MessageIntake
  private readonly sources = new Set<Source>()
  private acknowledger: Acknowledger | null = null
  private readonly capacityWaiters: (() => void)[] = []
  private timer: NodeJS.Timeout | null = null
  private idle: (() => void)[] = []
  private readonly now: () => number

  constructor(
    private readonly options: PipelineOptions,
    private readonly deps: PipelineDeps,
  ) {
    this.now = deps.now ?? Date.now
    this.intake = new MessageIntake(
      options.limits,
      options.deadLetterBytes,
      deps.registry,
      this.now,
      deps.observers,
    )
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
    this.intake.preload(highestSeq, lastStatus)
  }

  /** Grows the per-device state after devices were added to the registry. */
  registryChanged(): void {
    this.intake.registryChanged()
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
    if (typeof route === 'string') this.intake.dead(batch, 'mqtt', topic, route, payload)
    else if (payload.length > this.options.limits.maxPayloadBytes)
      this.intake.dead(batch, 'mqtt', topic, 'oversized', payload)
    else this.intake.payload(batch, route, topic, payload)
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
        this.intake.dead(batch, 'http', topic, 'oversized', Buffer.from(json))
        return
      }
      const before = batch.duplicates
      const reason = this.intake.value(batch, route, item, json, true)
      if (reason) {
        rejected.push({ index, reason })
        this.intake.dead(batch, 'http', topic, reason, Buffer.from(json))
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

  /** Drops a QoS 0 message because the backlog is full; counted, and reported by `reportShed`. */
  private shedOne(topic: string, payload: Buffer): void {
    this.deps.metrics.shed++
    if (this.shed.count++ === 0) {
      this.shed.topic = topic
      this.shed.at = this.intake.receivedAt()
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
            verifySuspects(this.deps.clickhouse, batch, this.intake.receivedAt(), this.deps.observers),
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
