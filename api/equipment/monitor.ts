/**
 * The missed-plan check: every active maintenance plan past its due date (grace included) raises one alert, a row
 * of `maintenance_alerts` (at most one open per plan, so the check may run as often as it likes), audited as a
 * system action, and is announced through `onAlert` (the server: live push). Recording the maintenance resolves
 * the alert (service.ts).
 *
 * Why a table of its own rather than analytics' `alarms`: an alarm belongs to a stream rule (`alarms.rule_id`
 * references `alarm_rules`, whose types — threshold, rate, stale, composite — the ingest engine evaluates on
 * telemetry), and its lifecycle is acknowledged by people on the wall screen. A missed plan is a calendar fact
 * about paperwork, found by a query over plans, and it clears itself when the visit is recorded; forcing it into a
 * fake stream rule would make every engine load a rule it cannot evaluate. `onAlert` lets the server put it on the
 * same live channel as alarms.
 */
import type { Logger, Postgres, Sql } from '../../data/index.ts'
import type { Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { scopeCondition } from '../auth/scope.ts'

const MISSED = `SELECT p.id, p.company_id AS "companyId", p.community_id AS "communityId", p.building_id AS "buildingId",
    p.device_id AS "deviceId", p.device_kind AS "deviceKind", p.next_due_at AS "dueAt"
  FROM maintenance_plans p
  WHERE p.active AND p.next_due_at + make_interval(days => p.grace_days) < $1
    AND NOT EXISTS (SELECT 1 FROM maintenance_alerts a WHERE a.plan_id = p.id AND a.state = 'open')
  ORDER BY p.next_due_at, p.id
  LIMIT $2`
/** Plans handled per transaction. */
const CHUNK = 100
const RAISE = `INSERT INTO maintenance_alerts (plan_id, company_id, community_id, building_id, device_id, device_kind,
  kind, due_at, raised_at, state) VALUES ($1, $2, $3, $4, $5, $6, 'overdue', $7, $8, 'open')
  ON CONFLICT (plan_id) WHERE state = 'open' DO NOTHING RETURNING id`
const ALERT_COLUMNS = `id, plan_id AS "planId", community_id AS "communityId", building_id AS "buildingId",
  device_id AS "deviceId", device_kind AS "deviceKind", kind, due_at AS "dueAt", raised_at AS "raisedAt", state,
  resolved_at AS "resolvedAt", resolved_by AS "resolvedBy", record_id AS "recordId"`

interface MissedPlan {
  id: string
  companyId: string
  communityId: string
  buildingId: string | null
  deviceId: string
  deviceKind: string
  dueAt: Date
}

/** A missed-plan alert. */
export interface MaintenanceAlert {
  readonly id: number
  readonly planId: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly deviceId: string
  readonly deviceKind: string
  readonly kind: 'overdue'
  readonly dueAt: string
  readonly raisedAt: string
  readonly state: 'open' | 'resolved'
  readonly resolvedAt: string | null
  readonly resolvedBy: string | null
  readonly recordId: string | null
}

type AlertRow = Omit<MaintenanceAlert, 'dueAt' | 'raisedAt' | 'resolvedAt'> & {
  dueAt: Date
  raisedAt: Date
  resolvedAt: Date | null
}

const alertView = (r: AlertRow): MaintenanceAlert => ({
  ...r,
  dueAt: r.dueAt.toISOString(),
  raisedAt: r.raisedAt.toISOString(),
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
})

export interface MaintenanceMonitorOptions {
  readonly db: Postgres
  readonly auditor: Auditor
  /** Epoch ms (default Date.now). */
  readonly now?: () => number
  /** Told of every alert raised, after it committed. */
  readonly onAlert?: (alert: MaintenanceAlert) => void
  readonly batch?: number
  readonly log?: Logger
}

export class MaintenanceMonitor {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> = Promise.resolve()
  private readonly now: () => number

  constructor(private readonly options: MaintenanceMonitorOptions) {
    this.now = options.now ?? Date.now
  }

  /** Raises an alert for every plan missed at the clock's time; returns the alerts raised now. */
  async check(): Promise<MaintenanceAlert[]> {
    const at = new Date(this.now())
    const missed = await this.options.db.query<MissedPlan>(MISSED, [at, this.options.batch ?? 1000])
    const raised: MaintenanceAlert[] = []
    // Alerts are raised in transactions of CHUNK plans: a commit per plan made a backlog slow.
    for (let i = 0; i < missed.length; i += CHUNK) {
      const chunk = missed.slice(i, i + CHUNK)
      const alerts = await this.options.db.transaction(async (tx) => {
        const out: MaintenanceAlert[] = []
        for (const plan of chunk) {
          const alert = await this.raise(tx, plan, at)
          if (alert) out.push(alert)
        }
        return out
      })
      for (const alert of alerts) {
        raised.push(alert)
        this.options.onAlert?.(alert)
      }
    }
    return raised
  }

  private async raise(tx: Sql, plan: MissedPlan, at: Date): Promise<MaintenanceAlert | null> {
    const [row] = await tx.query<{ id: number }>(RAISE, [
      plan.id,
      plan.companyId,
      plan.communityId,
      plan.buildingId,
      plan.deviceId,
      plan.deviceKind,
      plan.dueAt,
      at,
    ])
    if (!row) return null
    const [stored] = await tx.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM maintenance_alerts WHERE id = $1`,
      [row.id],
    )
    await this.options.auditor.record(tx, {
      actor: { id: 'system', role: 'system', companyId: plan.companyId },
      action: 'maintenance_alert.raise',
      object: { type: 'maintenance_plan', id: plan.id, communityId: plan.communityId },
      after: stored,
    })
    return stored ? alertView(stored) : null
  }

  /** Checks every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      this.running = this.check().catch((error: unknown) =>
        this.options.log?.error({ err: error }, 'maintenance-plan check failed'),
      )
    }, intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}

/** Alerts in the caller's scope, newest first. */
export async function listAlerts(
  db: Postgres,
  auth: AuthContext,
  q: { state?: 'open' | 'resolved' | undefined; limit: number },
): Promise<MaintenanceAlert[]> {
  const params: unknown[] = []
  const where = [scopeCondition(auth.scope, { community: 'community_id', building: 'building_id' }, params)]
  where.push(`company_id = $${params.push(auth.companyId)}`)
  if (q.state) where.push(`state = $${params.push(q.state)}`)
  params.push(q.limit)
  const rows = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM maintenance_alerts WHERE ${where.join(' AND ')}
     ORDER BY raised_at DESC, id DESC LIMIT $${params.length}`,
    params,
  )
  return rows.map(alertView)
}
