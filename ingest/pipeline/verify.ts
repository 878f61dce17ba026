/**
 * Settling suspects: messages whose identity the in-memory state could not vouch for (after a restart, or far
 * out of order). One query per table asks ClickHouse which of them it already holds; those are skipped there,
 * the rest are appended like any new message. InfluxDB gets all of them: it overwrites identical points, and a
 * crash between the two sinks' writes may have left one of them without the row.
 */
import type { ClickHouse } from '../../data/index.ts'
import type { Batch, Suspect } from './batch.ts'
import type { StreamObserver } from './pipeline.ts'
import { appendEvent } from './accept.ts'
import { encoded, encodeMetrics, tsvTime } from './encode.ts'

const FIND_STORED = (table: string) =>
  `SELECT device_id, seq FROM ${table} WHERE device_id IN {devices:Array(String)} AND seq IN {seqs:Array(UInt64)}`

async function storedKeys(
  store: ClickHouse,
  table: string,
  suspects: readonly Suspect[],
): Promise<Set<string>> {
  if (suspects.length === 0) return new Set()
  const result = await store.client.query({
    query: FIND_STORED(table),
    query_params: {
      devices: [...new Set(suspects.map((s) => s.route.device.id))],
      seqs: [...new Set(suspects.map((s) => s.item.seq as number))],
    },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ device_id: string; seq: number | string }>()
  return new Set(rows.map((r) => `${r.device_id}/${String(r.seq)}`))
}

/** Appends the suspects of `batch` that ClickHouse does not hold yet; empties the suspect list. */
export async function verifySuspects(
  store: ClickHouse,
  batch: Batch,
  receivedTsv: string,
  observers: readonly StreamObserver[] = [],
): Promise<void> {
  const telemetry = batch.suspects.filter((s) => s.route.channel === 'telemetry')
  const events = batch.suspects.filter((s) => s.route.channel === 'event')
  const [storedTelemetry, storedEvents] = await Promise.all([
    storedKeys(store, 'telemetry', telemetry),
    storedKeys(store, 'device_events', events),
  ])
  for (const s of telemetry) {
    const ts = s.item.ts as number
    const seq = s.item.seq as number
    encodeMetrics(s.item.m as Record<string, number>)
    if (storedTelemetry.has(`${s.route.device.id}/${seq}`)) batch.duplicates++
    else {
      batch.telemetry.latin1(
        s.route.tsvPrefix + tsvTime(ts) + '\t' + seq + '\t' + encoded.map + '\t' + receivedTsv + '\n',
      )
      batch.telemetryRows++
      batch.addMessageTs(ts)
      // Not seen before: the stream observers (alarms, live state) get it now, later than its neighbours.
      const m = s.item.m as Record<string, number>
      for (const observer of observers) observer.telemetry(s.route.device, s.route.index, ts, m)
    }
    batch.influx.latin1(s.route.linePrefix + encoded.fields + ' ' + ts + '\n')
    batch.influxPoints++
  }
  for (const s of events) {
    if (storedEvents.has(`${s.route.device.id}/${String(s.item.seq)}`)) {
      batch.duplicates++
      continue
    }
    appendEvent(batch, s.route, s.item, JSON.stringify(s.item), receivedTsv)
    for (const observer of observers) {
      observer.event?.(s.route.device, s.route.index, s.item.ts as number, s.item.type as string, s.item)
    }
  }
  batch.suspects = []
}
