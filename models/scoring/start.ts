/**
 * Starts the scoring job for the server: rates every lift and pump shortly after each whole hour (the feature
 * window ends at the last whole hour, so scoring more often would only repeat it), and on demand through the job
 * it returns (`POST /api/v1/predictions/score`). A run that fails is reported and the schedule keeps going;
 * `close()` stops the timer, waits for a run in progress and frees the models.
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import type { LiveBus } from '../../analytics/index.ts'
import { ScoringJob } from './job.ts'
import type { KindRunReport } from './job.ts'
import { liveAlertSink } from './live-sink.ts'
import type { AlertSink, WorkOrderOpener } from './sinks.ts'

const HOUR = 3_600_000

export interface ScoringOptions {
  readonly clickhouse: ClickHouse
  readonly postgres: Postgres
  /** DATA_DIR: models are read from `<dataDir>/models/pdm-<kind>/vN`. */
  readonly dataDir: string
  /** The live bus: predictive alerts are published as `alarm` events with `source: 'prediction'`. */
  readonly bus?: Pick<LiveBus, 'publish'>
  /** Or any other sink (tests). Ignored when `bus` is given. */
  readonly alerts?: AlertSink
  /** Opens a work order per raised alert (the work-order module); default records and opens none. */
  readonly workOrders?: WorkOrderOpener
  /** Run on the schedule (default true); false: on demand only. */
  readonly schedule?: boolean
  /** Minutes past each hour at which the scheduled run starts (default 5: late data has arrived). */
  readonly minutePastHour?: number
  /** Scheduled run right after start (default true). */
  readonly runAtStart?: boolean
  readonly now?: () => number
  /** Each finished run (log it). */
  readonly onRun?: (reports: readonly KindRunReport[]) => void
  /** A run or a side effect that failed (log it); the job keeps going. */
  readonly onError?: (error: unknown, context: string) => void
}

export interface Scoring {
  readonly job: ScoringJob
  close(): Promise<void>
}

/** Starts the job; see the file header. */
export function startScoring(options: ScoringOptions): Scoring {
  const now = options.now ?? Date.now
  const job = new ScoringJob({
    clickhouse: options.clickhouse,
    postgres: options.postgres,
    dataDir: options.dataDir,
    ...(options.bus
      ? { alerts: liveAlertSink(options.bus) }
      : options.alerts
        ? { alerts: options.alerts }
        : {}),
    ...(options.workOrders ? { workOrders: options.workOrders } : {}),
    now,
    ...(options.onError ? { onError: options.onError } : {}),
  })
  let timer: NodeJS.Timeout | null = null
  let closed = false
  let running: Promise<unknown> = Promise.resolve()

  const runScheduled = (): void => {
    running = job
      .run({ trigger: 'schedule' })
      .then((reports) => options.onRun?.(reports))
      .catch((error: unknown) => options.onError?.(error, 'scheduled scoring run'))
  }
  const offset = (options.minutePastHour ?? 5) * 60_000
  const arm = (): void => {
    if (closed) return
    const t = now()
    let next = Math.floor(t / HOUR) * HOUR + offset
    if (next <= t) next += HOUR
    timer = setTimeout(() => {
      runScheduled()
      arm()
    }, next - t)
    timer.unref()
  }
  if (options.schedule ?? true) {
    if (options.runAtStart ?? true) runScheduled()
    arm()
  }
  return {
    job,
    async close(): Promise<void> {
      closed = true
      if (timer) clearTimeout(timer)
      await running
      await job.run({ kinds: [] }).catch(() => undefined)
      job.close()
    },
  }
}
