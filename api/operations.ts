/**
 * The property-operations background work, composed once by the server entry: the work-order service with the
 * openers that alarms and predictive alerts use, the SLA escalation job, the missed-maintenance check (TSG T5002),
 * the missed-inspection sweep, and the gate-event feed that turns access and barrier events from the ingest into
 * records. Escalations and maintenance alerts are pushed on the live bus. `close()` stops everything.
 */
import type { LiveBus } from '../analytics/index.ts'
import type { Logger } from '../data/index.ts'
import { gateEventFeed } from './access/feed.ts'
import type { GateEventFeed } from './access/gate-events.ts'
import { MaintenanceMonitor } from './equipment/monitor.ts'
import { InspectionRoutes } from './inspections/route-plans.ts'
import { InspectionTasks } from './inspections/tasks.ts'
import type { Platform } from './platform.ts'
import { AlarmWorkOrderOpener, PredictionWorkOrderOpener } from './workorders/openers.ts'
import { WorkOrderService } from './workorders/service.ts'
import { SlaMonitor } from './workorders/sla-monitor.ts'

export interface OperationsOptions {
  readonly platform: Platform
  readonly log: Logger
  /**
   * Where escalations and maintenance alerts are pushed: the analytics live bus, which starts after operations
   * (the alarm service needs the work-order opener), hence a getter.
   */
  readonly bus?: () => LiveBus | undefined
  /** How often each job runs, ms. */
  readonly slaCheckMs?: number
  readonly maintenanceCheckMs?: number
  readonly inspectionSweepMs?: number
}

export interface Operations {
  readonly workOrders: WorkOrderService
  /** For `startAnalytics({ workOrders })`: alarms whose rule asks for a work order. */
  readonly alarmOpener: AlarmWorkOrderOpener
  /** For the scoring job: predictive alerts open a work order carrying their evidence. */
  readonly predictionOpener: PredictionWorkOrderOpener
  /** A stream observer for the ingest; started by `startOperations`. */
  readonly gateFeed: GateEventFeed
  close(): Promise<void>
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Starts the operations jobs. */
export function startOperations(options: OperationsOptions): Operations {
  const { platform, log, bus } = options
  const db = platform.db
  const auditor = platform.auditor
  const workOrders = new WorkOrderService({ db, auditor })
  const sla = new SlaMonitor({
    db,
    auditor,
    log,
    onEscalate: (escalation) => bus?.()?.publish('workorder', escalation.communityId, { escalation }),
  })
  const maintenance = new MaintenanceMonitor({
    db,
    auditor,
    log,
    onAlert: (alert) => bus?.()?.publish('maintenance', alert.communityId, { alert }),
  })
  const inspections = new InspectionTasks(db, auditor, new InspectionRoutes(db, auditor), workOrders)
  const gateFeed = gateEventFeed(platform, {
    onError: (error) => log.warn({ err: message(error) }, 'gate events not written yet'),
  })

  sla.start(options.slaCheckMs ?? 60_000)
  maintenance.start(options.maintenanceCheckMs ?? 3_600_000)
  let sweeping: Promise<unknown> = Promise.resolve()
  const sweepTimer = setInterval(() => {
    sweeping = inspections
      .sweep()
      .catch((error: unknown) => log.warn({ err: message(error) }, 'inspection sweep failed'))
  }, options.inspectionSweepMs ?? 600_000)
  sweepTimer.unref()
  gateFeed.start()

  return {
    workOrders,
    alarmOpener: new AlarmWorkOrderOpener(workOrders),
    predictionOpener: new PredictionWorkOrderOpener(workOrders),
    gateFeed,
    async close() {
      clearInterval(sweepTimer)
      await Promise.all([sla.stop(), maintenance.stop(), sweeping, gateFeed.stop()])
    },
  }
}
