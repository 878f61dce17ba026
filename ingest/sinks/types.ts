/**
 * What a sink is: a store that takes a whole write — one or more sealed batches, stored together — or fails. The
 * pipeline retries a failed write with the same batches until it succeeds, so `write` must be idempotent for a
 * given list of batches.
 */
import type { Batch } from '../pipeline/batch.ts'

export type SinkName = 'clickhouse' | 'influx'

export interface Sink {
  readonly name: SinkName
  /** Stores every row of `batches` meant for this sink. */
  write(batches: readonly Batch[]): Promise<void>
  /** Rows this sink stores for a batch (for the stored-rows counters). */
  rows(batch: Batch): number
}
