/**
 * The equipment registry and its maintenance: devices (the `devices` table: elevators, pumps, …) read in scope
 * with their plans, maintenance plans (elevators: at most 15 days between visits, TSG T5002) and maintenance
 * records. Recording a visit moves its plan's next due date on and resolves the plan's missed-plan alert, in
 * one audited transaction.
 */
import { randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope, scopeCondition } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'

/** TSG T5002: an elevator is maintained at least every 15 days. */
export const ELEVATOR_MAX_DAYS = 15
const DAY = 86_400_000

const DEVICE = `SELECT d.id, c.company_id AS "companyId", d.community_id AS "communityId",
  d.building_id AS "buildingId", d.unit_id AS "unitId", d.kind, d.model, d.install_date::text AS "installDate"
  FROM devices d JOIN communities c ON c.id = d.community_id WHERE d.id = $1 AND d.archived_at IS NULL`
const PLAN_COLUMNS = `id, device_id AS "deviceId", device_kind AS "deviceKind", community_id AS "communityId",
  building_id AS "buildingId", company_id AS "companyId", name, interval_days AS "intervalDays",
  grace_days AS "graceDays", next_due_at AS "nextDueAt", last_done_at AS "lastDoneAt", active,
  created_at AS "createdAt"`
const PLANS_OF = `SELECT ${PLAN_COLUMNS} FROM maintenance_plans WHERE device_id = $1 ORDER BY created_at, id`
const PLAN = `SELECT ${PLAN_COLUMNS} FROM maintenance_plans WHERE id = $1`
const INSERT_PLAN = `INSERT INTO maintenance_plans (id, company_id, community_id, building_id, device_id, device_kind,
  name, interval_days, grace_days, next_due_at, created_by, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`
const RECORD_COLUMNS = `id, device_id AS "deviceId", plan_id AS "planId", kind, performed_at AS "performedAt",
  performed_by AS "performedBy", findings, work_order_id AS "workOrderId", recorded_at AS "recordedAt"`
const RECORDS_OF = `SELECT ${RECORD_COLUMNS} FROM maintenance_records WHERE device_id = $1
  ORDER BY performed_at DESC, id LIMIT 50`
const INSERT_RECORD = `INSERT INTO maintenance_records (id, company_id, community_id, building_id, device_id, plan_id,
  kind, performed_at, performed_by, findings, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  RETURNING ${RECORD_COLUMNS}`
/** A visit moves a plan on from the later of the visit and its last one (a late entry never moves it back). */
const ADVANCE = `UPDATE maintenance_plans SET last_done_at = greatest(coalesce(last_done_at, $2), $2),
  next_due_at = greatest(coalesce(last_done_at, $2), $2) + make_interval(days => interval_days), updated_at = $3
  WHERE device_id = $1 AND active AND ($4::text IS NULL OR id = $4) RETURNING id`
const RESOLVE_ALERTS = `UPDATE maintenance_alerts SET state = 'resolved', resolved_at = $2, resolved_by = $3,
  record_id = $4 WHERE plan_id = ANY($1::text[]) AND state = 'open' RETURNING id`

export interface DeviceRow {
  id: string
  companyId: string
  communityId: string
  buildingId: string | null
  unitId: string | null
  kind: string
  model: string
  installDate: string
}

export interface PlanRow {
  id: string
  deviceId: string
  deviceKind: string
  communityId: string
  buildingId: string | null
  companyId: string
  name: string
  intervalDays: number
  graceDays: number
  nextDueAt: Date
  lastDoneAt: Date | null
  active: boolean
  createdAt: Date
}

export interface RecordRow {
  id: string
  deviceId: string
  planId: string | null
  kind: string
  performedAt: Date
  performedBy: string
  findings: string
  workOrderId: string | null
  recordedAt: Date
}

export const planView = (p: PlanRow) => ({
  id: p.id,
  deviceId: p.deviceId,
  deviceKind: p.deviceKind,
  communityId: p.communityId,
  buildingId: p.buildingId,
  name: p.name,
  intervalDays: p.intervalDays,
  graceDays: p.graceDays,
  nextDueAt: p.nextDueAt.toISOString(),
  lastDoneAt: p.lastDoneAt?.toISOString() ?? null,
  active: p.active,
})
export const recordView = (r: RecordRow) => ({
  ...r,
  performedAt: r.performedAt.toISOString(),
  recordedAt: r.recordedAt.toISOString(),
})

const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString('base64url')}`

export class EquipmentService {
  private readonly now: () => number

  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
    now?: () => number,
  ) {
    this.now = now ?? Date.now
  }

  /** Devices in scope (optionally of one kind), each with its next maintenance due date. */
  async list(auth: AuthContext, q: { kind?: string | undefined; limit: number }) {
    const params: unknown[] = []
    const where = [
      scopeCondition(auth.scope, { community: 'd.community_id', building: 'd.building_id' }, params),
    ]
    if (q.kind) where.push(`d.kind = $${params.push(q.kind)}`)
    params.push(q.limit)
    const rows = await this.db.query<DeviceRow & { nextDueAt: Date | null }>(
      `SELECT d.id, d.community_id AS "communityId", d.building_id AS "buildingId", d.unit_id AS "unitId", d.kind,
         d.model, d.install_date::text AS "installDate",
         (SELECT min(p.next_due_at) FROM maintenance_plans p WHERE p.device_id = d.id AND p.active) AS "nextDueAt"
       FROM devices d WHERE d.archived_at IS NULL AND ${where.join(' AND ')} ORDER BY d.id LIMIT $${params.length}`,
      params,
    )
    return rows.map(({ companyId: _c, ...r }) => ({ ...r, nextDueAt: r.nextDueAt?.toISOString() ?? null }))
  }

  /** One device with its plans and latest records. */
  async get(auth: AuthContext, deviceId: string) {
    const { companyId: _c, ...device } = await this.device(this.db, auth, deviceId)
    const plans = await this.db.query<PlanRow>(PLANS_OF, [deviceId])
    const records = await this.db.query<RecordRow>(RECORDS_OF, [deviceId])
    return { ...device, plans: plans.map(planView), records: records.map(recordView) }
  }

  async createPlan(
    auth: AuthContext,
    input: {
      deviceId: string
      name: string
      intervalDays: number
      graceDays?: number | undefined
      firstDueAt?: string | undefined
    },
    requestId: string | null,
  ) {
    return this.db.transaction(async (tx) => {
      const device = await this.device(tx, auth, input.deviceId)
      const grace = input.graceDays ?? 0
      if (device.kind === 'elevator' && input.intervalDays + grace > ELEVATOR_MAX_DAYS)
        throw badRequest(
          `an elevator is maintained at least every ${ELEVATOR_MAX_DAYS} days (TSG T5002), grace included`,
        )
      const at = new Date(this.now())
      const firstDue = input.firstDueAt
        ? new Date(input.firstDueAt)
        : new Date(at.getTime() + input.intervalDays * DAY)
      const id = newId('mp')
      await tx.query(INSERT_PLAN, [
        id,
        device.companyId,
        device.communityId,
        device.buildingId,
        device.id,
        device.kind,
        input.name,
        input.intervalDays,
        grace,
        firstDue,
        auth.userId,
        at,
      ])
      const [plan] = await tx.query<PlanRow>(PLAN, [id])
      if (!plan) throw new Error('plan not stored')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'maintenance_plan.create',
        object: { type: 'maintenance_plan', id, communityId: device.communityId },
        after: plan,
        requestId,
      })
      return planView(plan)
    })
  }

  /** Plans in scope, soonest due first; `overdue` keeps those past due (grace included) at the clock's time. */
  async plans(auth: AuthContext, q: { overdue?: boolean | undefined; limit: number }) {
    const params: unknown[] = []
    const where = [
      'active',
      scopeCondition(auth.scope, { community: 'community_id', building: 'building_id' }, params),
    ]
    if (q.overdue)
      where.push(`next_due_at + make_interval(days => grace_days) < $${params.push(new Date(this.now()))}`)
    params.push(q.limit)
    const rows = await this.db.query<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM maintenance_plans WHERE ${where.join(' AND ')}
       ORDER BY next_due_at, id LIMIT $${params.length}`,
      params,
    )
    return rows.map(planView)
  }

  /** Records a maintenance visit: moves the plan(s) on and resolves their missed-plan alerts. */
  async record(
    auth: AuthContext,
    input: {
      deviceId: string
      planId?: string | undefined
      kind: 'routine' | 'repair' | 'annual_inspection'
      performedAt: string
      findings?: string | undefined
    },
    requestId: string | null,
  ) {
    return this.db.transaction(async (tx) => {
      const device = await this.device(tx, auth, input.deviceId)
      const at = new Date(this.now())
      const performedAt = new Date(input.performedAt)
      if (performedAt.getTime() > at.getTime() + 5 * 60_000) throw badRequest('performedAt is in the future')
      if (input.planId) {
        const [plan] = await tx.query<PlanRow>(PLAN, [input.planId])
        if (!plan || plan.deviceId !== device.id) throw notFound('maintenance plan')
        if (!plan.active) throw conflict('the plan is no longer active', 'inactive_plan')
      }
      const [record] = await tx.query<RecordRow>(INSERT_RECORD, [
        newId('mr'),
        device.companyId,
        device.communityId,
        device.buildingId,
        device.id,
        input.planId ?? null,
        input.kind,
        performedAt,
        auth.userId,
        input.findings ?? '',
        at,
      ])
      if (!record) throw new Error('record not stored')
      // Routine visits and annual inspections count for the plan; a repair visit does not replace maintenance.
      const advanced =
        input.kind === 'repair'
          ? []
          : (await tx.query<{ id: string }>(ADVANCE, [device.id, performedAt, at, input.planId ?? null])).map(
              (p) => p.id,
            )
      const resolved = advanced.length
        ? await tx.query<{ id: number }>(RESOLVE_ALERTS, [advanced, at, auth.userId, record.id])
        : []
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'maintenance_record.create',
        object: { type: 'maintenance_record', id: record.id, communityId: device.communityId },
        after: { record, advanced, resolvedAlerts: resolved.map((r) => r.id) },
        requestId,
      })
      return {
        record: recordView(record),
        plansAdvanced: advanced,
        alertsResolved: resolved.map((r) => r.id),
      }
    })
  }

  private async device(sql: Sql, auth: AuthContext, id: string): Promise<DeviceRow> {
    const [row] = await sql.query<DeviceRow>(DEVICE, [id])
    if (!row || row.companyId !== auth.companyId || !inScope(auth.scope, row)) throw notFound('device')
    return row
  }
}
