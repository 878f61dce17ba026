/**
 * The ingest's Prometheus metrics. The hot path only bumps plain numbers; prom-client reads them when scraped,
 * and per-batch figures (rows stored, batch size, latencies) are recorded once per stored batch.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Batch } from './batch.ts'
import { FastHistogram } from './fast-histogram.ts'
import type { Sink } from '../sinks/types.ts'

export class IngestMetrics {
  readonly registry = new Registry()
  /** Messages received, by source; bumped on the hot path. */
  readonly received = { mqtt: 0, http: 0 }
  pauses = 0
  /** QoS 0 messages dropped because the backlog was full; bumped on the hot path. */
  shed = 0
  backlog: () => number = () => 0
  backlogBytes: () => number = () => 0
  /** Called after every stored batch (benchmarks, live views); must not throw. */
  onBatchStored: ((batch: Batch, now: number) => void) | null = null
  /** Totals kept here too, for tests and the benchmark, without parsing the exposition. */
  readonly totals = { stored: new Map<string, number>(), deadLetters: 0, duplicates: 0, batches: 0 }

  private readonly storedRows: Counter<'sink'>
  private readonly deadLetters: Counter<'reason'>
  private readonly duplicates: Counter
  private readonly batchMessages: Histogram
  private readonly flushSeconds: Histogram
  private readonly ageSeconds: FastHistogram
  private readonly up: Gauge<'sink'>
  private readonly errors: Counter<'sink'>

  constructor() {
    const registers = [this.registry]
    // prom-client calls `collect` with `this` bound to the metric, so the pipeline's numbers are reached by name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this
    new Counter({
      name: 'ingest_messages_received_total',
      help: 'Device messages received (MQTT publishes, HTTP items), including bad ones.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset()
        this.inc({ source: 'mqtt' }, self.received.mqtt)
        this.inc({ source: 'http' }, self.received.http)
      },
    })
    this.storedRows = new Counter({
      name: 'ingest_rows_stored_total',
      help: 'Rows stored, by sink.',
      labelNames: ['sink'],
      registers,
    })
    this.deadLetters = new Counter({
      name: 'ingest_dead_letters_total',
      help: 'Bad messages kept in the dead-letter store, by reason.',
      labelNames: ['reason'],
      registers,
    })
    this.duplicates = new Counter({
      name: 'ingest_duplicates_total',
      help: 'Redelivered or resent messages not stored again.',
      registers,
    })
    this.batchMessages = new Histogram({
      name: 'ingest_batch_messages',
      help: 'Messages per stored batch.',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000],
      registers,
    })
    this.flushSeconds = new Histogram({
      name: 'ingest_batch_store_seconds',
      help: 'Time to store a batch in every sink, retries included.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    })
    // Observed once per message: a typed-array histogram, rendered after the registry's metrics.
    this.ageSeconds = new FastHistogram(
      'ingest_message_age_at_store_seconds',
      'From the message timestamp to the moment every sink has stored it (publish-to-stored latency for live devices).',
      [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5, 10, 30, 60, 300],
    )
    new Gauge({
      name: 'ingest_backlog_batches',
      help: 'Sealed batches waiting to be stored.',
      registers,
      collect() {
        this.set(self.backlog())
      },
    })
    new Gauge({
      name: 'ingest_backlog_bytes',
      help: 'Bytes of sealed batches waiting to be stored (QoS 0 messages are shed past the configured bound).',
      registers,
      collect() {
        this.set(self.backlogBytes())
      },
    })
    new Counter({
      name: 'ingest_messages_shed_total',
      help: 'QoS 0 messages dropped because the backlog was full (each run is also one overflow dead letter).',
      registers,
      collect() {
        this.reset()
        this.inc(self.shed)
      },
    })
    new Counter({
      name: 'ingest_pauses_total',
      help: 'Times intake paused because the sinks fell behind.',
      registers,
      collect() {
        this.reset()
        this.inc(self.pauses)
      },
    })
    this.up = new Gauge({
      name: 'ingest_sink_up',
      help: '1 when the last write to the sink succeeded.',
      labelNames: ['sink'],
      registers,
    })
    this.errors = new Counter({
      name: 'ingest_sink_errors_total',
      help: 'Failed sink writes (retried).',
      labelNames: ['sink'],
      registers,
    })
  }

  /** Records a stored batch. */
  batchStored(batch: Batch, sinks: readonly Sink[], seconds: number, now: number): void {
    for (const sink of sinks) {
      const rows = sink.rows(batch)
      this.storedRows.inc({ sink: sink.name }, rows)
      this.totals.stored.set(sink.name, (this.totals.stored.get(sink.name) ?? 0) + rows)
    }
    for (const [reason, count] of batch.deadByReason) this.deadLetters.inc({ reason }, count)
    this.totals.deadLetters += batch.deadLetterRows
    this.duplicates.inc(batch.duplicates)
    this.totals.duplicates += batch.duplicates
    this.totals.batches++
    this.batchMessages.observe(batch.messages)
    this.flushSeconds.observe(seconds)
    for (let i = 0; i < batch.messageTsCount; i++)
      this.ageSeconds.observe((now - (batch.messageTs[i] as number)) / 1000)
    this.onBatchStored?.(batch, now)
  }

  sinkUp(sink: string, up: boolean): void {
    this.up.set({ sink }, up ? 1 : 0)
  }

  sinkErrors(sink: string): void {
    this.errors.inc({ sink })
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<string> {
    return (await this.registry.metrics()) + '\n' + this.ageSeconds.exposition()
  }
}
