/**
 * Text encodings of stored rows, built by string concatenation on the hot path: ClickHouse TabSeparated rows
 * and InfluxDB line-protocol lines. Values reaching here are validated: ids and metric names are topic-safe
 * ASCII, numbers finite; only free text (event fields, dead-letter topics and details) needs escaping.
 */

/** Epoch ms as a TabSeparated DateTime64(3) value: `1764059415.123`. */
export function tsvTime(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  const rest = ms - seconds * 1000
  return seconds + (rest < 10 ? '.00' : rest < 100 ? '.0' : '.') + rest
}

const TSV_SPECIAL = /[\\\t\n\r\0]/g
const TSV_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
}

/** Escapes free text for a TabSeparated field. */
export function tsvEscape(text: string): string {
  return text.replace(TSV_SPECIAL, (c) => TSV_REPLACEMENTS[c] ?? c)
}

/** Output of `encodeMetrics`, in module-level scratch so the hot path allocates no result object. */
export const encoded = { map: '', fields: '' }

/**
 * Encodes the metrics of a validated telemetry item as a TSV Map literal `{'a':1,'b':2.5}` and line-protocol
 * fields `a=1,b=2.5`, in one pass, into `encoded`.
 */
export function encodeMetrics(m: Record<string, number>): void {
  let map = '{'
  let fields = ''
  let first = true
  for (const name in m) {
    const value = String(m[name])
    if (first) first = false
    else {
      map += ','
      fields += ','
    }
    map += "'" + name + "':" + value
    fields += name + '=' + value
  }
  encoded.map = map + '}'
  encoded.fields = fields
}
