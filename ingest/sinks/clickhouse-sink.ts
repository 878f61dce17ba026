/**
 * The ClickHouse sink: telemetry, events, status and dead letters as TabSeparated inserts through
 * `@clickhouse/client` (chDB in-process or a server). Each insert carries a deduplication token unique to this
 * process run, batch and table, so a retry after an ambiguous failure stores nothing twice.
 */
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { ClickHouse } from '../../data/index.ts'
import type { Batch } from '../pipeline/batch.ts'
import type { Sink } from './types.ts'

const TABLES = [
  {
    table: 'telemetry',
    columns: ['community_id', 'kind', 'device_id', 'ts', 'seq', 'm', 'received_at'],
    body: (b: Batch) => b.telemetry,
  },
  {
    table: 'device_events',
    columns: ['community_id', 'kind', 'device_id', 'type', 'ts', 'seq', 'fields', 'received_at'],
    body: (b: Batch) => b.events,
  },
  {
    table: 'device_status',
    columns: ['community_id', 'kind', 'device_id', 'status', 'ts', 'seq', 'detail', 'received_at'],
    body: (b: Batch) => b.status,
  },
  {
    table: 'dead_letters',
    columns: [
      'received_at',
      'source',
      'topic',
      'device_id',
      'reason',
      'detail',
      'payload_base64',
      'payload_bytes',
    ],
    body: (b: Batch) => b.deadLetters,
  },
] as const

/** Column lists of the rows the pipeline encodes, by table (the encoders and this list must agree). */
export const clickhouseColumns = Object.fromEntries(TABLES.map((t) => [t.table, t.columns]))

export function createClickHouseSink(store: ClickHouse): Sink {
  // Distinguishes this run's tokens from a previous run's, whose batch ids started from 1 as well.
  const run = randomUUID()
  return {
    name: 'clickhouse',
    rows: (b) => b.telemetryRows + b.eventRows + b.statusRows + b.deadLetterRows,
    async write(batch) {
      for (const spec of TABLES) {
        const body = spec.body(batch)
        if (body.length === 0) continue
        await store.client.insert({
          table: spec.table,
          columns: [...spec.columns],
          format: 'TabSeparated',
          values: Readable.from([body], { objectMode: false }),
          clickhouse_settings: { insert_deduplication_token: `${run}-${batch.id}-${spec.table}` },
        })
      }
    },
  }
}
