/**
 * The ClickHouse sink: telemetry, events, status and dead letters as TabSeparated inserts, one per table and
 * write, through `insertText` (on chDB the bytes go to the engine as they are). Each insert carries a
 * deduplication token unique to this process run, write and table, so a retry after an ambiguous failure stores
 * nothing twice.
 */
import { randomUUID } from 'node:crypto'
import { insertText, type ClickHouse } from '../../data/index.ts'
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
    async write(batches) {
      // A write is named by its first and last batch: a retry repeats the same batches, so the same token.
      const id = `${run}-${batches[0]?.id}-${batches[batches.length - 1]?.id}`
      for (const spec of TABLES) {
        const body =
          batches.length === 1
            ? spec.body(batches[0]!).bytes
            : Buffer.concat(batches.map((batch) => spec.body(batch).bytes))
        if (body.length === 0) continue
        await insertText(store, {
          table: spec.table,
          columns: spec.columns,
          format: 'TabSeparated',
          body,
          settings: { insert_deduplication_token: `${id}-${spec.table}` },
        })
      }
    },
  }
}
