/**
 * Inspection tasks and check-ins: a task walks one route in a time window (scheduled → in_progress at the first
 * check-in → completed when every point is checked; past its window unfinished → missed, by `sweep`). A check-in
 * records what was found at a point; a finding (`issue`) can open a work order at the point's place — its device,
 * building or community — keyed by the check-in, in the same transaction.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { roleHas, type Role } from '../auth/permissions.ts'
import { inScope, scopeCondition } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import type { WorkOrderService } from '../workorders/service.ts'
import type { Priority } from '../workorders/sla.ts'
import { newId, type InspectionRoutes, type PointRow } from './route-plans.ts'

const TASK_COLUMNS = `t.id, t.route_id AS "routeId", t.company_id AS "companyId", t.community_id AS "communityId",
  t.building_id AS "buildingId", t.scheduled_for AS "scheduledFor", t.due_at AS "dueAt", t.assignee_id AS "assigneeId",
  t.state, t.started_at AS "startedAt", t.completed_at AS "completedAt"`
const TASK = `SELECT ${TASK_COLUMNS} FROM inspection_tasks t WHERE t.id = $1`
const LOCK_TASK = `SELECT ${TASK_COLUMNS} FROM inspection_tasks t WHERE t.id = $1 FOR UPDATE OF t`
const INSERT_TASK = `INSERT INTO inspection_tasks (id, route_id, company_id, community_id, building_id, scheduled_for,
  due_at, assignee_id, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9, $10)`
const CHECKINS = `SELECT id, point_id AS "pointId", at, by_user AS "by", result, findings, work_order_id AS "workOrderId"
  FROM inspection_checkins WHERE task_id = $1 ORDER BY at, id`
const INSERT_CHECKIN = `INSERT INTO inspection_checkins (id, task_id, point_id, at, by_user, result, findings)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (task_id, point_id) DO NOTHING RETURNING id`
const SET_WORK_ORDER = 'UPDATE inspection_checkins SET work_order_id = $2 WHERE id = $1'
const PROGRESS = `UPDATE inspection_tasks SET state = $2, started_at = coalesce(started_at, $3),
  completed_at = CASE WHEN $2 = 'completed' THEN $3 END WHERE id = $1`
const POINT = `SELECT id, seq, name, building_id AS "buildingId", device_id AS "deviceId", area_id AS "areaId", checklist
  FROM inspection_points WHERE id = $1 AND route_id = $2`
const COUNTS = `SELECT (SELECT count(*) FROM inspection_points WHERE route_id = $1)::int AS points,
  (SELECT count(*) FROM inspection_checkins WHERE task_id = $2)::int AS done`
const ASSIGNEE = 'SELECT role FROM users WHERE id = $1 AND company_id = $2 AND disabled_at IS NULL'
const SWEEP = `UPDATE inspection_tasks SET state = 'missed' WHERE state IN ('scheduled', 'in_progress') AND due_at < $1
  RETURNING id, company_id AS "companyId", community_id AS "communityId"`

export interface TaskRow {
  id: string
  routeId: string
  companyId: string
  communityId: string
  buildingId: string | null
  scheduledFor: Date
  dueAt: Date
  assigneeId: string | null
  state: 'scheduled' | 'in_progress' | 'completed' | 'missed'
  startedAt: Date | null
  completedAt: Date | null
}

interface CheckinRow {
  id: string
  pointId: string
  at: Date
  by: string
  result: 'ok' | 'issue'
  findings: string
  workOrderId: string | null
}

const iso = (d: Date | null) => d?.toISOString() ?? null

export interface CheckinInput {
  readonly pointId: string
  readonly result: 'ok' | 'issue'
  readonly findings?: string | undefined
  readonly workOrder?: { title: string; category: string; priority?: Priority | undefined } | undefined
}

export class InspectionTasks {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
    private readonly routes: InspectionRoutes,
    private readonly workOrders: WorkOrderService,
    private readonly now: () => number = Date.now,
  ) {}

  async schedule(
    auth: AuthContext,
    input: { routeId: string; scheduledFor: string; dueAt: string; assigneeId?: string | undefined },
    requestId: string | null,
  ) {
    return this.db.transaction(async (tx) => {
      const route = await this.routes.get(auth, input.routeId, tx)
      if (!route.active) throw conflict('the route is retired', 'inactive_route')
      if (input.assigneeId) {
        const [user] = await tx.query<{ role: string }>(ASSIGNEE, [input.assigneeId, auth.companyId])
        if (!user || !roleHas(user.role as Role, 'inspection:perform'))
          throw badRequest('assigneeId: not someone who inspects')
      }
      const from = new Date(input.scheduledFor)
      const due = new Date(input.dueAt)
      if (due <= from) throw badRequest('dueAt must be after scheduledFor')
      const id = newId('it')
      await tx.query(INSERT_TASK, [
        id,
        route.id,
        auth.companyId,
        route.communityId,
        route.buildingId,
        from,
        due,
        input.assigneeId ?? null,
        auth.userId,
        new Date(this.now()),
      ])
      const task = await this.view(tx, id)
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'inspection_task.schedule',
        object: { type: 'inspection_task', id, communityId: route.communityId },
        after: task,
        requestId,
      })
      return task
    })
  }

  async get(auth: AuthContext, id: string) {
    await this.visible(this.db, auth, id, TASK)
    return this.view(this.db, id)
  }

  async list(auth: AuthContext, q: { state?: TaskRow['state'] | undefined; limit: number }) {
    const params: unknown[] = []
    const where = [
      scopeCondition(auth.scope, { community: 't.community_id', building: 't.building_id' }, params),
    ]
    where.push(`t.company_id = $${params.push(auth.companyId)}`)
    if (q.state) where.push(`t.state = $${params.push(q.state)}`)
    params.push(q.limit)
    const rows = await this.db.query<{ id: string }>(
      `SELECT t.id FROM inspection_tasks t WHERE ${where.join(' AND ')}
       ORDER BY t.scheduled_for DESC, t.id LIMIT $${params.length}`,
      params,
    )
    const out = []
    for (const row of rows) out.push(await this.view(this.db, row.id))
    return out
  }

  /** Checks in at a point of the task's route; a finding may open a work order there. */
  async checkIn(auth: AuthContext, id: string, input: CheckinInput, requestId: string | null) {
    if (input.workOrder && input.result !== 'issue')
      throw badRequest('workOrder: only a finding opens a work order')
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK_TASK)
      if (before.state === 'completed' || before.state === 'missed')
        throw conflict(`the task is ${before.state}`, 'illegal_state')
      if (
        before.assigneeId &&
        before.assigneeId !== auth.userId &&
        !auth.permissions.has('inspection:manage')
      )
        throw conflict('the task is assigned to someone else', 'not_assignee')
      const [point] = await tx.query<PointRow>(POINT, [input.pointId, before.routeId])
      if (!point) throw notFound('inspection point')
      const at = new Date(this.now())
      const checkinId = newId('ic')
      const [stored] = await tx.query<{ id: string }>(INSERT_CHECKIN, [
        checkinId,
        id,
        point.id,
        at,
        auth.userId,
        input.result,
        input.findings ?? '',
      ])
      if (!stored) throw conflict('this point was already checked in on this task', 'already_checked')
      if (input.workOrder) {
        const opened = await this.workOrders.openAutomatic(
          actorOf(auth),
          {
            source: 'inspection',
            sourceRef: checkinId,
            communityId: before.communityId,
            buildingId: point.buildingId ?? undefined,
            deviceId: point.deviceId ?? undefined,
            title: input.workOrder.title,
            description: input.findings ?? '',
            category: input.workOrder.category,
            priority: input.workOrder.priority ?? 'normal',
            location: point.name,
          },
          tx,
        )
        await tx.query(SET_WORK_ORDER, [checkinId, opened.id])
      }
      const [counts] = await tx.query<{ points: number; done: number }>(COUNTS, [before.routeId, id])
      const state = counts && counts.done >= counts.points ? 'completed' : 'in_progress'
      await tx.query(PROGRESS, [id, state, at])
      const after = await this.view(tx, id)
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'inspection_task.check_in',
        object: { type: 'inspection_task', id, communityId: before.communityId },
        before,
        after,
        requestId,
      })
      return after
    })
  }

  /** Marks tasks past their window unfinished as missed (the server runs it with the other checks). */
  async sweep(): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; companyId: string; communityId: string }>(SWEEP, [
        new Date(this.now()),
      ])
      for (const row of rows) {
        await this.auditor.record(tx, {
          actor: { id: 'system', role: 'system', companyId: row.companyId },
          action: 'inspection_task.missed',
          object: { type: 'inspection_task', id: row.id, communityId: row.communityId },
        })
      }
      return rows.map((r) => r.id)
    })
  }

  private async visible(sql: Sql, auth: AuthContext, id: string, query: string): Promise<TaskRow> {
    const [row] = await sql.query<TaskRow>(query, [id])
    if (!row || row.companyId !== auth.companyId || !inScope(auth.scope, row))
      throw notFound('inspection task')
    return row
  }

  private async view(sql: Sql, id: string) {
    const [t] = await sql.query<TaskRow>(TASK, [id])
    if (!t) throw notFound('inspection task')
    const checkins = await sql.query<CheckinRow>(CHECKINS, [id])
    const [counts] = await sql.query<{ points: number; done: number }>(COUNTS, [t.routeId, id])
    return {
      id: t.id,
      routeId: t.routeId,
      communityId: t.communityId,
      buildingId: t.buildingId,
      scheduledFor: t.scheduledFor.toISOString(),
      dueAt: t.dueAt.toISOString(),
      assigneeId: t.assigneeId,
      state: t.state,
      startedAt: iso(t.startedAt),
      completedAt: iso(t.completedAt),
      points: counts?.points ?? 0,
      checkins: checkins.map((c) => ({ ...c, at: c.at.toISOString() })),
    }
  }
}
