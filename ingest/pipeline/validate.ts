/**
 * The hot-path validator of device payloads: the same rules as the zod schemas in data/messages (a property
 * test holds them to it), written as straight-line checks that allocate nothing, because zod costs several
 * microseconds per message and the whole ingest has 15.
 */
import {
  EVENT_TYPE_PATTERN,
  findForbiddenKey,
  isForbiddenKey,
  METRIC_PATTERN,
  type IngestLimits,
} from '../../data/messages/index.ts'
import type { DeadLetterReason } from './reasons.ts'

/** Metric names seen valid; checking a Set is cheaper than a regex, and devices repeat their names. */
const knownMetrics = new Set<string>()
const KNOWN_METRICS_LIMIT = 10_000

function validMetricName(name: string): boolean {
  if (knownMetrics.has(name)) return true
  if (!METRIC_PATTERN.test(name)) return false
  if (knownMetrics.size < KNOWN_METRICS_LIMIT) knownMetrics.add(name)
  return true
}

const STATUS_VALUES: ReadonlySet<string> = new Set(['online', 'offline', 'fault', 'maintenance'])

/** Validates parsed payloads against the contract and the configured limits. */
export class PayloadValidator {
  constructor(
    private readonly limits: IngestLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private checkTsSeq(value: Record<string, unknown>, now: number): DeadLetterReason | null {
    const ts = value.ts
    const seq = value.seq
    if (ts === undefined || seq === undefined) return 'missing_field'
    if (typeof ts !== 'number' || typeof seq !== 'number') return 'wrong_type'
    if (!Number.isFinite(ts) || !Number.isFinite(seq)) return 'non_finite'
    if (!Number.isSafeInteger(seq) || seq < 0) return 'bad_seq'
    if (!Number.isInteger(ts) || ts < now - this.limits.maxPastMs || ts > now + this.limits.maxFutureMs) {
      return 'ts_out_of_range'
    }
    return null
  }

  /** One telemetry object `{ts, seq, m}`. */
  telemetryItem(value: unknown, now: number): DeadLetterReason | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_object'
    const item = value as Record<string, unknown>
    for (const key in item) {
      if (key !== 'ts' && key !== 'seq' && key !== 'm')
        return isForbiddenKey(key) ? 'forbidden_key' : 'unknown_field'
    }
    const bad = this.checkTsSeq(item, now)
    if (bad) return bad
    const m = item.m
    if (m === undefined) return 'missing_field'
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'wrong_type'
    let count = 0
    for (const name in m) {
      if (isForbiddenKey(name)) return 'forbidden_key'
      if (!validMetricName(name)) return 'bad_metric_name'
      const v = (m as Record<string, unknown>)[name]
      if (typeof v !== 'number') return 'wrong_type'
      if (!Number.isFinite(v)) return 'non_finite'
      count++
    }
    if (count === 0) return 'no_metrics'
    if (count > this.limits.maxMetrics) return 'too_many_metrics'
    return null
  }

  /** A telemetry payload: one object, or a gateway's array of them. */
  telemetry(value: unknown): DeadLetterReason | null {
    const now = this.now()
    if (Array.isArray(value)) {
      if (value.length === 0) return 'not_object'
      if (value.length > this.limits.maxBatchItems) return 'too_many_items'
      for (const item of value) {
        const bad = this.telemetryItem(item, now)
        if (bad) return bad
      }
      return null
    }
    return this.telemetryItem(value, now)
  }

  /** One event `{ts, seq, type, ...fields}` (its JSON size is checked when it is encoded). */
  eventItem(value: unknown, now: number): DeadLetterReason | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_object'
    const item = value as Record<string, unknown>
    for (const key in item) if (isForbiddenKey(key)) return 'forbidden_key'
    const bad = this.checkTsSeq(item, now)
    if (bad) return bad
    if (item.type === undefined) return 'missing_field'
    if (typeof item.type !== 'string') return 'wrong_type'
    if (item.type.length > 128 || !EVENT_TYPE_PATTERN.test(item.type)) return 'bad_event_type'
    const hidden = findForbiddenKey(item)
    if (hidden) return hidden === 'forbidden_key' ? 'forbidden_key' : 'event_too_large'
    return null
  }

  event(value: unknown): DeadLetterReason | null {
    const now = this.now()
    if (Array.isArray(value)) {
      if (value.length === 0) return 'not_object'
      if (value.length > this.limits.maxBatchItems) return 'too_many_items'
      for (const item of value) {
        const bad = this.eventItem(item, now)
        if (bad) return bad
      }
      return null
    }
    return this.eventItem(value, now)
  }

  /** A status object `{ts?, seq?, status, detail?}`. (A bare `offline`/`online` text is handled by the caller.) */
  status(value: unknown): DeadLetterReason | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_object'
    const item = value as Record<string, unknown>
    for (const key in item) {
      if (key !== 'ts' && key !== 'seq' && key !== 'status' && key !== 'detail') {
        return isForbiddenKey(key) ? 'forbidden_key' : 'unknown_field'
      }
    }
    if (item.status === undefined) return 'missing_field'
    if (typeof item.status !== 'string') return 'wrong_type'
    if (!STATUS_VALUES.has(item.status)) return 'bad_status'
    if (item.detail !== undefined && (typeof item.detail !== 'string' || item.detail.length > 256))
      return 'wrong_type'
    const now = this.now()
    if (item.ts !== undefined) {
      if (typeof item.ts !== 'number') return 'wrong_type'
      if (!Number.isFinite(item.ts)) return 'non_finite'
      if (
        !Number.isInteger(item.ts) ||
        item.ts < now - this.limits.maxPastMs ||
        item.ts > now + this.limits.maxFutureMs
      ) {
        return 'ts_out_of_range'
      }
    }
    if (item.seq !== undefined) {
      if (typeof item.seq !== 'number') return 'wrong_type'
      if (!Number.isSafeInteger(item.seq) || item.seq < 0) return 'bad_seq'
    }
    return null
  }
}
