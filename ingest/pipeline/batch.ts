/**
 * A batch: everything accepted since the last flush, already encoded for each sink, plus what must happen once
 * every sink has stored it — MQTT acknowledgements (by connection generation), HTTP waiters, counters.
 * Batches are recycled; their typed arrays and row buffers are allocated once (and grow to fit).
 */
import type { Route } from './registry.ts'
import { TextBuffer } from './text-buffer.ts'

/** A message whose identity could not be settled in memory; verified against ClickHouse before storing. */
export interface Suspect {
  readonly route: Route
  readonly item: Record<string, unknown>
  readonly receivedAt: number
}

export type Waiter = { resolve: () => void; reject: (error: Error) => void }

let nextBatchId = 1

export class Batch {
  id = 0
  /** When the first message arrived (ms), for age-based flushing. */
  openedAt = 0
  /** Device messages (MQTT publishes or HTTP items) in the batch, including dead letters and duplicates. */
  messages = 0
  /** ClickHouse TabSeparated rows, by table. */
  readonly telemetry = new TextBuffer()
  telemetryRows = 0
  readonly events = new TextBuffer(4096)
  eventRows = 0
  readonly status = new TextBuffer(4096)
  statusRows = 0
  readonly deadLetters = new TextBuffer(4096)
  deadLetterRows = 0
  /** InfluxDB line protocol. */
  readonly influx = new TextBuffer()
  influxPoints = 0
  duplicates = 0
  suspects: Suspect[] = []
  waiters: Waiter[] = []
  /** Message timestamps of stored rows, for the age-at-store histogram. */
  readonly messageTs: Float64Array
  messageTsCount = 0
  readonly ackIds: Uint16Array
  readonly ackGenerations: Int32Array
  ackCount = 0
  /** Bytes of its encoded rows (both sinks), set when it is sealed: what it holds in memory until stored. */
  bytes = 0
  /** Per-reason dead-letter counts of this batch, applied to the metrics when it is stored. */
  readonly deadByReason = new Map<string, number>()

  constructor(readonly capacity: number) {
    this.messageTs = new Float64Array(capacity)
    this.ackIds = new Uint16Array(capacity)
    this.ackGenerations = new Int32Array(capacity)
  }

  /** Empties the batch for reuse under a new id. */
  reset(now: number): void {
    this.id = nextBatchId++
    this.openedAt = now
    this.messages = 0
    this.telemetry.clear()
    this.telemetryRows = 0
    this.events.clear()
    this.eventRows = 0
    this.status.clear()
    this.statusRows = 0
    this.deadLetters.clear()
    this.deadLetterRows = 0
    this.influx.clear()
    this.influxPoints = 0
    this.duplicates = 0
    this.suspects = []
    this.waiters = []
    this.messageTsCount = 0
    this.ackCount = 0
    this.bytes = 0
    this.deadByReason.clear()
  }

  get full(): boolean {
    return this.messages >= this.capacity
  }

  get empty(): boolean {
    // Dead letters without messages: the pipeline's own `overflow` records.
    return this.messages === 0 && this.waiters.length === 0 && this.deadLetterRows === 0
  }

  addAck(generation: number, packetId: number): void {
    this.ackIds[this.ackCount] = packetId
    this.ackGenerations[this.ackCount] = generation
    this.ackCount++
  }

  addMessageTs(ts: number): void {
    if (this.messageTsCount < this.capacity) this.messageTs[this.messageTsCount++] = ts
  }
}
