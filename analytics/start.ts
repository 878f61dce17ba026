/**
 * Starts the analytics side of the command center from the stores and the configuration: rollup retention, the
 * device dimension, the rollup refresh job, the stream alarm engine with its timers, the live device-state tracker,
 * the live bus and the KPI pushes. The server entry passes `observers` to `startIngest({ observers })` and mounts
 * the routes with the services returned here; `close()` stops every timer.
 */
import type { AnalyticsConfig, ClickHouse, Logger, Postgres } from '../data/index.ts'
import { applyRollupRetention } from '../data/index.ts'
import { AlarmEngine } from './alarms/engine.ts'
import { RuleStore } from './alarms/rule-store.ts'
import { AlarmScheduler } from './alarms/scheduler.ts'
import { AlarmService, AlarmWriter, type AuditHook } from './alarms/service.ts'
import { RecordingWorkOrderOpener, type WorkOrderOpener } from './alarms/work-orders.ts'
import { syncDeviceDim } from './dim/device-dim.ts'
import { KpiService } from './kpi/service.ts'
import { LiveBus } from './live/bus.ts'
import { DeviceStateTracker } from './live/device-state.ts'
import { KpiRefresher } from './live/kpi-refresher.ts'
import { RollupRefresher } from './rollup/refresh.ts'
import { TimeMachine } from './time-machine/time-machine.ts'

const DEVICES = `SELECT id, community_id AS "communityId", kind FROM devices WHERE archived_at IS NULL ORDER BY id`
const COMMUNITIES = `SELECT id FROM communities WHERE archived_at IS NULL ORDER BY id`

export interface AnalyticsOptions {
  readonly postgres: Postgres
  readonly clickhouse: ClickHouse
  readonly config: AnalyticsConfig
  readonly log: Logger
  /** Opens work orders for rules that ask for them (default: records the request, opens nothing). */
  readonly workOrders?: WorkOrderOpener
  /** Runs inside every alarm lifecycle transaction (the audit module). */
  readonly audit?: AuditHook
  /** Whether this process runs the rollup refresh job and KPI pushes (one instance should). Default true. */
  readonly jobs?: boolean
  /** How often the rollup refresh job runs, ms. */
  readonly refreshMs?: number
}

/** The running analytics: services for the routes, observers for the ingest. */
export interface Analytics {
  readonly bus: LiveBus
  readonly engine: AlarmEngine
  readonly tracker: DeviceStateTracker
  /** Pass to `startIngest({ observers })`: the alarm engine and the live device-state tracker. */
  readonly observers: readonly [AlarmEngine, DeviceStateTracker]
  readonly alarms: AlarmService
  readonly alarmWriter: AlarmWriter
  readonly rules: RuleStore
  readonly scheduler: AlarmScheduler
  readonly refresher: RollupRefresher
  readonly kpis: KpiService
  readonly timeMachine: TimeMachine
  close(): Promise<void>
}

/** Starts analytics; call before the ingest so that its observers see the first message. */
export async function startAnalytics(options: AnalyticsOptions): Promise<Analytics> {
  const { postgres, clickhouse, config, log } = options
  await applyRollupRetention(clickhouse, config.retention)
  const devices = await syncDeviceDim(postgres, clickhouse).then(() =>
    postgres.query<{ id: string; communityId: string; kind: string }>(DEVICES),
  )
  const bus = new LiveBus(config.liveBufferEvents, Date.now, (error) =>
    log.warn({ err: String(error) }, 'live listener failed'),
  )
  const alarms = new AlarmService({
    db: postgres,
    bus,
    workOrders: options.workOrders ?? new RecordingWorkOrderOpener(),
    ...(options.audit ? { audit: options.audit } : {}),
  })
  const alarmWriter = new AlarmWriter(alarms, (error) =>
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'alarm write failed'),
  )
  const engine = new AlarmEngine({
    sink: alarmWriter,
    devices,
    onError: (error) => log.error({ err: String(error) }, 'alarm sink failed'),
  })
  const tracker = new DeviceStateTracker(bus)
  const rules = new RuleStore(postgres)
  const scheduler = new AlarmScheduler(engine, rules, alarms, {
    rulesPollMs: config.rulesPollMs,
    staleCheckMs: config.staleCheckMs,
    escalationCheckMs: config.escalationCheckMs,
    onError: (job, error) =>
      log.warn({ job, err: error instanceof Error ? error.message : String(error) }, 'alarm job failed'),
    onInvalidRule: (id, problem) => log.warn({ rule: id, problem }, 'alarm rule skipped: invalid'),
  })
  await scheduler.start()

  const refresher = new RollupRefresher(clickhouse, { timezone: config.timezone })
  const kpis = new KpiService({ clickhouse, postgres, refresher, timezone: config.timezone })
  const timeMachine = new TimeMachine({ clickhouse, postgres, kpis, lookbackMs: config.stateLookbackMs })
  const kpiRefresher = new KpiRefresher(kpis, bus, {
    communities: async () => (await postgres.query<{ id: string }>(COMMUNITIES)).map((c) => c.id),
    onError: (error) =>
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'KPI push failed'),
  })
  let refreshTimer: NodeJS.Timeout | null = null
  let dimTimer: NodeJS.Timeout | null = null
  if (options.jobs ?? true) {
    const refresh = () =>
      refresher
        .refresh()
        .catch((error: unknown) =>
          log.warn({ err: error instanceof Error ? error.message : String(error) }, 'rollup refresh failed'),
        )
    void refresh()
    refreshTimer = setInterval(() => void refresh(), options.refreshMs ?? 60_000)
    refreshTimer.unref()
    // Devices are added and archived while running: the dimension follows within an hour.
    dimTimer = setInterval(() => {
      syncDeviceDim(postgres, clickhouse).catch((error: unknown) =>
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'device_dim sync failed'),
      )
    }, 3_600_000)
    dimTimer.unref()
    kpiRefresher.start(config.kpiRefreshMs)
  }

  return {
    bus,
    engine,
    tracker,
    observers: [engine, tracker],
    alarms,
    alarmWriter,
    rules,
    scheduler,
    refresher,
    kpis,
    timeMachine,
    async close() {
      scheduler.stop()
      kpiRefresher.stop()
      if (refreshTimer) clearInterval(refreshTimer)
      if (dimTimer) clearInterval(dimTimer)
      await alarmWriter.idle()
    },
  }
}
