/**
 * InfluxDB line protocol encoding: `measurement,tag=v field=1.5 1700000000000`. Escaping follows the protocol's
 * rules: measurements escape commas and spaces; tag keys, tag values and field keys also escape `=`; string field
 * values are double-quoted with `"` and `\` escaped. Built for the hot path: callers append to one string.
 */

const MEASUREMENT = /[, \\]/g
const KEY = /[,= \\]/g
const STRING_VALUE = /["\\]/g
// A newline inside any part would end the line: it cannot be escaped, so it is replaced.
const NEWLINE = /[\r\n]/g

/** Escapes a measurement name. */
export function escapeMeasurement(name: string): string {
  return name.replace(NEWLINE, ' ').replace(MEASUREMENT, '\\$&')
}

/** Escapes a tag key, tag value or field key. */
export function escapeKey(key: string): string {
  return key.replace(NEWLINE, ' ').replace(KEY, '\\$&')
}

/** Quotes a string field value. */
export function quoteString(value: string): string {
  return `"${value.replace(STRING_VALUE, '\\$&').replace(NEWLINE, ' ')}"`
}

/** Formats a number as a float field (`1.5`, `2`); non-finite numbers have no representation and are refused. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`line protocol cannot carry ${value}`)
  return String(value)
}

export interface Point {
  readonly measurement: string
  readonly tags?: Readonly<Record<string, string>>
  readonly fields: Readonly<Record<string, number | string | boolean>>
  /** Milliseconds since the epoch (the writer sends `precision=ms`). */
  readonly ts: number
}

/** Encodes one point as a line (without the trailing newline). Tags are sorted, as InfluxDB recommends. */
export function encodePoint(point: Point): string {
  let line = escapeMeasurement(point.measurement)
  if (point.tags) {
    for (const key of Object.keys(point.tags).sort()) {
      const value = point.tags[key]
      if (value === undefined || value === '') continue
      line += `,${escapeKey(key)}=${escapeKey(value)}`
    }
  }
  let first = true
  for (const [key, value] of Object.entries(point.fields)) {
    line += first ? ' ' : ','
    first = false
    line += escapeKey(key) + '='
    if (typeof value === 'number') line += formatFloat(value)
    else if (typeof value === 'boolean') line += value ? 'true' : 'false'
    else line += quoteString(value)
  }
  if (first) throw new RangeError('a point needs at least one field')
  return `${line} ${Math.trunc(point.ts)}`
}
