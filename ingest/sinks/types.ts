/**
 * What a sink is: a store that takes a whole batch or fails. The pipeline retries a failed write with the same
 * batch until it succeeds, so `write` must be idempotent for a given batch.
 */
import type { Batch } from '../pipeline/batch.ts'

export type SinkName = 'clickhouse' | 'influx'

export interface Sink {
  readonly name: SinkName
  /** Stores every row of `batch` meant for this sink. */
  write(batch: Batch): Promise<void>
  /** Rows this sink stores for a batch (for the stored-rows counters). */
  rows(batch: Batch): number
}
