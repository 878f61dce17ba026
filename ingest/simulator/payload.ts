/**
 * Payload encoding per the message contract (data/messages/contract.ts), written by hand because it is the
 * simulator's hot path: a telemetry message's metric names are fixed per "shape", so their JSON prefixes are built
 * once and each message is a handful of string concatenations of rounded numbers.
 */
import { EVENT_TYPE_PATTERN, METRIC_PATTERN } from '../../data/messages/index.ts'
import type { StatusPayload } from '../../data/messages/index.ts'

/** Most metrics in one simulated telemetry message: one row per message downstream stays narrow. */
export const MAX_METRICS = 8

/** A fixed set of metric names with their decimals, in payload order. */
export interface TelemetryShape {
  readonly names: readonly string[]
  /** 10^decimals per metric, for rounding. */
  readonly scales: Float64Array
  /** `"name":` per metric, with the separating comma for all but the first. */
  readonly prefixes: readonly string[]
}

/** A shape from `{ metric: decimals }` in payload order. Throws a RangeError for a bad name or count. */
export function telemetryShape(decimals: Readonly<Record<string, number>>): TelemetryShape {
  const names = Object.keys(decimals)
  if (names.length < 1 || names.length > MAX_METRICS) {
    throw new RangeError(`a telemetry shape has 1–${MAX_METRICS} metrics, got ${names.length}`)
  }
  for (const name of names) if (!METRIC_PATTERN.test(name)) throw new RangeError(`bad metric name "${name}"`)
  return {
    names,
    scales: Float64Array.from(names, (n) => 10 ** (decimals[n] as number)),
    prefixes: names.map((n, i) => `${i === 0 ? '' : ','}"${n}":`),
  }
}

/** `{"ts":…,"seq":…,"m":{…}}` with each value rounded to its shape's decimals. Throws on a non-finite value. */
export function encodeTelemetry(
  ts: number,
  seq: number,
  shape: TelemetryShape,
  values: ArrayLike<number>,
): string {
  let s = '{"ts":' + ts + ',"seq":' + seq + ',"m":{'
  const { scales, prefixes } = shape
  for (let i = 0; i < prefixes.length; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v)) throw new RangeError(`simulator bug: ${shape.names[i]} is ${v}`)
    const scale = scales[i] as number
    s += (prefixes[i] as string) + Math.round(v * scale) / scale
  }
  return s + '}}'
}

/** Fields of an event besides ts, seq and type. */
export type EventFields = Readonly<Record<string, string | number | boolean>>

/** `{"ts":…,"seq":…,"type":"…",…fields}`. */
export function encodeEvent(ts: number, seq: number, type: string, fields?: EventFields): string {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new RangeError(`bad event type "${type}"`)
  const head = '{"ts":' + ts + ',"seq":' + seq + ',"type":"' + type + '"'
  if (!fields) return head + '}'
  const body = JSON.stringify(fields)
  return body.length > 2 ? head + ',' + body.slice(1) : head + '}'
}

export type DeviceStatus = StatusPayload['status']

/** `{"ts":…,"seq":…,"status":"…"}`, with an optional detail. */
export function encodeStatus(ts: number, seq: number, status: DeviceStatus, detail?: string): string {
  const head = '{"ts":' + ts + ',"seq":' + seq + ',"status":"' + status + '"'
  return detail === undefined ? head + '}' : head + ',"detail":' + JSON.stringify(detail) + '}'
}

/** The last-will payload: no ts or seq (the broker sends it, whenever), which the status schema allows. */
export function willPayload(detail = 'connection lost'): string {
  return JSON.stringify({ status: 'offline', detail })
}
