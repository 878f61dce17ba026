/**
 * The message contract between devices and the ingest (see ARCHITECTURE.md): topics, payload schemas and the
 * limits that are configured rather than hard-coded. The zod schemas are the reference definition (used for
 * documentation, the HTTP intake's OpenAPI and for testing the ingest's hand-written fast validator, which must
 * accept exactly what they accept).
 */
import { z } from 'zod'
import type { DeviceKind } from '../community/types.ts'

export const channels = ['telemetry', 'event', 'status'] as const
export type Channel = (typeof channels)[number]

export const deviceKinds: readonly DeviceKind[] = [
  'electricity_meter',
  'water_meter',
  'elevator',
  'water_pump',
  'access_gate',
  'people_counter',
  'parking_barrier',
  'fire_panel',
  'smoke_detector',
  'env_sensor',
  'street_light',
]

/** `community/{communityId}/{kind}/{deviceId}/{channel}` */
export function topicFor(communityId: string, kind: DeviceKind, deviceId: string, channel: Channel): string {
  return `community/${communityId}/${kind}/${deviceId}/${channel}`
}

/** The MQTT subscription that covers every device message of every community. */
export const ALL_DEVICE_TOPICS = 'community/+/+/+/+'

/** Ids and names allowed in topics and as metric names: safe as MQTT topic levels, TSV fields and line-protocol keys. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
export const METRIC_PATTERN = /^[a-z][a-z0-9_]{0,63}$/
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,7}$/

/** Limits on device input; every one is configurable (see data/config). */
export interface IngestLimits {
  /** Largest accepted payload, bytes. */
  readonly maxPayloadBytes: number
  /** Most metrics in one telemetry object. */
  readonly maxMetrics: number
  /** Most objects in one gateway array. */
  readonly maxBatchItems: number
  /** How far in the past a timestamp may lie, ms (history replays need weeks). */
  readonly maxPastMs: number
  /** How far in the future a timestamp may lie, ms (clock skew). */
  readonly maxFutureMs: number
  /** Largest event payload kept in `fields`, bytes of JSON. */
  readonly maxEventFieldsBytes: number
}

export const defaultLimits: IngestLimits = {
  maxPayloadBytes: 16 * 1024,
  maxMetrics: 64,
  maxBatchItems: 500,
  maxPastMs: 60 * 24 * 3600 * 1000,
  maxFutureMs: 5 * 60 * 1000,
  maxEventFieldsBytes: 4 * 1024,
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Keys that must never be accepted anywhere in a payload (prototype pollution). */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key)
}

/** Deepest nesting accepted in event fields. */
export const MAX_EVENT_DEPTH = 8

/**
 * Checks a parsed JSON value for forbidden keys at any depth: 'forbidden_key', 'too_deep' beyond
 * MAX_EVENT_DEPTH levels, or null when clean.
 */
export function findForbiddenKey(value: unknown, depth = 0): 'forbidden_key' | 'too_deep' | null {
  if (typeof value !== 'object' || value === null) return null
  if (depth > MAX_EVENT_DEPTH) return 'too_deep'
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findForbiddenKey(item, depth + 1)
      if (found) return found
    }
    return null
  }
  for (const key in value) {
    if (isForbiddenKey(key)) return 'forbidden_key'
    const found = findForbiddenKey((value as Record<string, unknown>)[key], depth + 1)
    if (found) return found
  }
  return null
}

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

/** The zod schemas of the payloads, for a given clock and limits. */
export function payloadSchemas(limits: IngestLimits, now: () => number) {
  const ts = z
    .number()
    .int()
    .refine(
      (value) => value >= now() - limits.maxPastMs && value <= now() + limits.maxFutureMs,
      'timestamp out of range',
    )
  const metrics = z.record(z.string().regex(METRIC_PATTERN), z.number().finite()).refine((m) => {
    const n = Object.keys(m).length
    return n >= 1 && n <= limits.maxMetrics
  }, 'metric count out of range')
  const telemetry = z.strictObject({ ts, seq, m: metrics })
  const event = z
    .looseObject({ ts, seq, type: z.string().regex(EVENT_TYPE_PATTERN).max(128) })
    .refine((e) => findForbiddenKey(e) === null, 'forbidden key or too deep')
    .refine((e) => JSON.stringify(e).length <= limits.maxEventFieldsBytes, 'event too large')
  const status = z.strictObject({
    ts: ts.optional(),
    seq: seq.optional(),
    status: z.enum(['online', 'offline', 'fault', 'maintenance']),
    detail: z.string().max(256).optional(),
  })
  return {
    telemetry,
    telemetryBatch: z.union([telemetry, z.array(telemetry).min(1).max(limits.maxBatchItems)]),
    event,
    eventBatch: z.union([event, z.array(event).min(1).max(limits.maxBatchItems)]),
    status,
  }
}

export type TelemetryPayload = { ts: number; seq: number; m: Record<string, number> }
export type EventPayload = { ts: number; seq: number; type: string } & Record<string, unknown>
export type StatusPayload = {
  ts?: number
  seq?: number
  status: 'online' | 'offline' | 'fault' | 'maintenance'
  detail?: string
}
