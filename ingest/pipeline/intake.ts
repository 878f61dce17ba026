/**
 * Message intake: a payload validated against the contract, deduplicated by `(device, seq)` (statuses by
 * timestamp), shown to the stream observers and appended to the filling batch as rows — or, when bad, appended as
 * a dead letter with its reason. Keeps the per-device exactly-once state, grown with the registry. Never throws.
 */
import { isUtf8 } from 'node:buffer'
import type { IngestLimits } from '../../data/messages/index.ts'
import { appendDeadLetter, appendEvent, appendStatus, appendTelemetry, classify } from './accept.ts'
import type { Batch } from './batch.ts'
import { SeqTracker } from './dedup.ts'
import { tsvTime } from './encode.ts'
import type { DeadLetterReason } from './reasons.ts'
import type { DeviceRegistry, RegisteredDevice, Route } from './registry.ts'
import { PayloadValidator } from './validate.ts'

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

export class MessageIntake {
  readonly seqs: SeqTracker
  private lastStatusTs: Float64Array
  private readonly validator: PayloadValidator
  private receivedTsv = ''
  private receivedTsvAt = -1

  constructor(
    private readonly limits: IngestLimits,
    private readonly deadLetterBytes: number,
    private readonly registry: DeviceRegistry,
    private readonly now: () => number,
    private readonly observers: readonly StreamObserver[] | undefined,
  ) {
    this.validator = new PayloadValidator(limits, now)
    this.seqs = new SeqTracker(Math.max(16, registry.capacity))
    this.lastStatusTs = new Float64Array(Math.max(16, registry.capacity)).fill(-1)
  }

  /** Seeds the exactly-once state from what the store already holds (after a restart). */
  preload(
    highestSeq: Iterable<[deviceId: string, seq: number]>,
    lastStatus: Iterable<[deviceId: string, ts: number]>,
  ): void {
    for (const [id, seq] of highestSeq) {
      const entry = this.registry.get(id)
      if (entry) this.seqs.preload(entry.index, seq)
    }
    for (const [id, ts] of lastStatus) {
      const entry = this.registry.get(id)
      if (entry) this.lastStatusTs[entry.index] = ts
    }
  }

  /** Grows the per-device state after devices were added to the registry. */
  registryChanged(): void {
    const capacity = this.registry.capacity
    this.seqs.ensure(capacity)
    if (capacity > this.lastStatusTs.length) {
      const grown = new Float64Array(Math.max(capacity, this.lastStatusTs.length * 2)).fill(-1)
      grown.set(this.lastStatusTs)
      this.lastStatusTs = grown
    }
  }

  /** The receive time as TSV, formatted once per millisecond, not once per row. */
  receivedAt(): string {
    const now = this.now()
    if (now !== this.receivedTsvAt) {
      this.receivedTsvAt = now
      this.receivedTsv = tsvTime(now)
    }
    return this.receivedTsv
  }

  /** An MQTT payload (UTF-8 JSON, or a bare status word) of a routed topic. */
  payload(batch: Batch, route: Route, topic: string, payload: Buffer): void {
    if (!isUtf8(payload)) return this.dead(batch, 'mqtt', topic, 'not_json', payload)
    const text = payload.toString('utf8')
    if (route.channel === 'status' && (text === 'offline' || text === 'online')) {
      // A bare status word: how last wills are usually written.
      return this.status(batch, route, text, this.now(), 0, '')
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return this.dead(batch, 'mqtt', topic, 'not_json', payload)
    }
    const reason = this.value(batch, route, value, text, false)
    if (reason) this.dead(batch, 'mqtt', topic, reason, payload)
  }

  /** Validates and appends a parsed payload; returns the reason when it is bad. */
  value(
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
        for (const item of items) this.telemetryItem(batch, route, item)
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
          if (Buffer.byteLength(itemJson) > this.limits.maxEventFieldsBytes) return 'event_too_large'
        }
        for (const item of items) {
          const itemJson = items.length === 1 && !fromHttp ? json : JSON.stringify(item)
          const verdict = classify(this.seqs, route, item.seq as number)
          if (verdict === 'duplicate') batch.duplicates++
          else if (verdict === 'suspect') batch.suspects.push({ route, item, receivedAt: this.now() })
          else {
            appendEvent(batch, route, item, itemJson, this.receivedAt())
            for (const observer of this.observers ?? []) {
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
        this.status(batch, route, item.status, item.ts ?? this.now(), item.seq ?? 0, item.detail ?? '')
        return null
      }
    }
  }

  private telemetryItem(batch: Batch, route: Route, item: Record<string, unknown>): void {
    const verdict = classify(this.seqs, route, item.seq as number)
    if (verdict === 'duplicate') batch.duplicates++
    else if (verdict === 'suspect') batch.suspects.push({ route, item, receivedAt: this.now() })
    else {
      const observers = this.observers
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

  private status(batch: Batch, route: Route, status: string, ts: number, seq: number, detail: string): void {
    // Retained statuses come again on every subscription: only a newer one is stored.
    if (ts <= (this.lastStatusTs[route.index] ?? -1)) {
      batch.duplicates++
      return
    }
    this.lastStatusTs[route.index] = ts
    appendStatus(batch, route, status, ts, seq, detail, this.receivedAt())
    for (const observer of this.observers ?? []) observer.status?.(route.device, route.index, ts, status)
  }

  /** Appends a dead letter with up to `deadLetterBytes` of the raw payload. */
  dead(
    batch: Batch,
    source: 'mqtt' | 'http',
    topic: string,
    reason: DeadLetterReason,
    payload: Buffer,
  ): void {
    appendDeadLetter(batch, this.receivedAt(), source, topic, reason, payload, this.deadLetterBytes)
  }
}
