/**
 * The InfluxDB sink: the write's line-protocol lines in one `/write`. Idempotent by InfluxDB's own rule — a
 * point with the same series and timestamp overwrites — so a retry stores nothing twice.
 */
import type { Influx } from '../../data/index.ts'
import type { Sink } from './types.ts'

export function createInfluxSink(influx: Influx): Sink {
  return {
    name: 'influx',
    rows: (b) => b.influxPoints,
    async write(batches) {
      let lines = ''
      for (const batch of batches) lines += batch.influx.text()
      if (lines.length > 0) await influx.write(lines)
    },
  }
}
