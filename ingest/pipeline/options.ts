/** The pipeline's batching, backpressure and retry settings, and their defaults. */
import type { IngestLimits } from '../../data/messages/index.ts'

export interface PipelineOptions {
  readonly limits: IngestLimits
  /** Messages per batch. */
  readonly batchSize: number
  /** A non-empty batch is sealed after this long, ms. */
  readonly batchAgeMs: number
  /** Sealed batches (waiting or being stored) allowed before pausable sources pause. */
  readonly maxSealed: number
  /** Most messages stored in one write (sealed batches that waited are written together). */
  readonly maxWriteMessages: number
  /** Bytes of pending batches past which QoS 0 messages are shed (they are never paused for). */
  readonly maxBacklogBytes: number
  /** Raw bytes of a bad payload kept in its dead letter. */
  readonly deadLetterBytes: number
  readonly retryMinMs: number
  readonly retryMaxMs: number
}

/**
 * Defaults. The age bound keeps latency low when traffic is light; under load, writes grow by joining the
 * batches that waited. At QoS 1 up to `batchSize × (maxSealed + 2)` messages await acknowledgement, which must
 * stay well inside the 65,535 the subscriber lets the broker send unacknowledged: past that the broker queues
 * for us, and Mosquitto's default queue (1,000 messages) drops the rest. A larger `maxSealed` lets QoS 1 writes
 * join batches too, but acknowledges each later: on a loaded machine (load 10–13) the broker then dropped
 * 18,000–63,000 of 400,000 benchmark messages with 3. 64 MiB of backlog holds about 300,000 typical messages
 * (both sinks' encodings).
 */
export const defaultPipelineOptions: Omit<PipelineOptions, 'limits'> = {
  batchSize: 10_000,
  batchAgeMs: 500,
  maxSealed: 1,
  maxWriteMessages: 100_000,
  maxBacklogBytes: 64 * 1024 * 1024,
  deadLetterBytes: 4096,
  retryMinMs: 100,
  retryMaxMs: 5000,
}
