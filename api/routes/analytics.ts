/**
 * Command-center KPIs and the time machine, per community (a Hono sub-app; mount under `/api/v1`). Every route
 * declares its permission through the guard it is given; the community in the path is checked against the
 * caller's scope, and one out of scope reads exactly like a missing one (404).
 *
 * `kpi:read`
 * - `GET /analytics/communities/:id/energy?grain=hour|day|month&from&to` — kWh by building and bucket
 * - `GET /analytics/communities/:id/energy/benchmark?from&to` — households against similar units
 * - `GET /analytics/communities/:id/buildings/:buildingId/units/energy?period=day|week` — every unit of a building
 *   (number, floor, entrance) with its electricity use over the last day or week: the wall screen's building
 *   drill-down, so units by number only (no household or resident)
 * - `GET /analytics/communities/:id/water/night-flow?from&to&minNights` — leak suspects
 * - `GET /analytics/communities/:id/crowd?from&to` — 5-minute bins per zone (the crowd heatmap)
 * - `GET /analytics/communities/:id/parking?from&to`, `/elevators`, `/pumps`
 * - `GET /analytics/communities/:id/complaints?period=day|week|month`, `/fees`, `/work-orders`
 * `telemetry:read`
 * - `GET /analytics/communities/:id/devices/state` — live state of every device
 * - `GET /analytics/communities/:id/time-machine?at&kpis=1&kinds=a,b` — devices, alarms, KPIs at an instant
 * - `GET /analytics/communities/:id/time-machine/replay?from&to&kinds` — compact replay stream
 *
 * `from`/`to` are ISO 8601 or epoch ms; `to` defaults to now, `from` to a span that suits the KPI.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { CommunityScope, DeviceStateTracker, KpiService, TimeMachine } from '../../analytics/index.ts'
import type { Sql } from '../../data/index.ts'
import { ApiError, notFound } from '../http/errors.ts'

/** The permissions these route modules declare. */
export type AnalyticsPermission =
  'telemetry:read' | 'kpi:read' | 'alarm:read' | 'alarm:manage' | 'alarm_rule:manage' | 'live:read'

/** Makes the middleware that requires a permission (the API's `guard`). */
export type Guard = (permission: AnalyticsPermission) => MiddlewareHandler

/** Who calls: their user id, the communities they may see, and their permissions. */
export interface Caller {
  readonly userId: string
  readonly communities: CommunityScope
  readonly permissions: ReadonlySet<string>
}

/** Resolves the caller of a guarded request. */
export type CallerOf = (c: Context) => Caller

export interface AnalyticsRouteDeps {
  readonly kpis: KpiService
  readonly timeMachine: TimeMachine
  readonly tracker?: DeviceStateTracker
  readonly caller: CallerOf
  readonly now?: () => number
  /** The records database (a building's units, for per-unit energy); without it that route answers 501. */
  readonly records?: Sql
}

const BUILDING = `SELECT id FROM buildings WHERE id = $1 AND community_id = $2 AND archived_at IS NULL`
/** A building's units by number: nothing about who lives there. */
const BUILDING_UNITS = `SELECT id AS "unitId", number, floor, entrance, usage FROM units
  WHERE building_id = $1 AND community_id = $2 AND archived_at IS NULL ORDER BY floor, entrance, number`

interface UnitRow {
  readonly unitId: string
  readonly number: string
  readonly floor: number
  readonly entrance: number
  readonly usage: string
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Longest window any KPI accepts. */
const MAX_SPAN = 400 * DAY

const instant = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
])
const windowQuery = z.object({ from: instant.optional(), to: instant.optional() })
const kinds = z
  .string()
  .regex(/^[a-z_]+(,[a-z_]+)*$/)
  .transform((s) => s.split(','))
  .optional()

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new ApiError(
      400,
      'bad_request',
      `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`,
    )
  }
  return result.data
}

/** `id` if it names a community the caller may see; otherwise 404 (the same for missing and not yours). */
export function visibleCommunity(id: string, caller: Caller): string {
  const { communities } = caller
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || (communities !== 'all' && !communities.has(id))) {
    throw notFound('community')
  }
  return id
}

/** The community of the path (`:id`), if the caller may see it; otherwise 404. */
function communityOf(c: Context, caller: CallerOf): string {
  return visibleCommunity(c.req.param('id') ?? '', caller(c))
}

/** The KPI routes and the time machine. */
export function analyticsRoutes(deps: AnalyticsRouteDeps, guard: Guard): Hono {
  const now = deps.now ?? Date.now
  const window = (c: Context, defaultSpan: number) => {
    const q = parse(windowQuery, c.req.query())
    const to = q.to ?? now()
    const from = q.from ?? to - defaultSpan
    if (!(from < to)) throw new ApiError(400, 'bad_request', 'from must be before to')
    if (to - from > MAX_SPAN) throw new ApiError(400, 'bad_request', 'the window is longer than 400 days')
    return { communityId: communityOf(c, deps.caller), from, to }
  }
  const base = '/analytics/communities/:id'
  const kpi = guard('kpi:read')
  const telemetry = guard('telemetry:read')

  return new Hono()
    .get(`${base}/energy`, kpi, async (c) => {
      const { grain } = parse(
        z.object({ grain: z.enum(['hour', 'day', 'month']).default('hour') }),
        c.req.query(),
      )
      const span = grain === 'hour' ? DAY : grain === 'day' ? 30 * DAY : 365 * DAY
      return c.json({ grain, rows: await deps.kpis.energy({ ...window(c, span), grain }) })
    })
    .get(`${base}/energy/benchmark`, kpi, async (c) =>
      c.json({ rows: await deps.kpis.benchmark(window(c, 30 * DAY)) }),
    )
    .get(`${base}/buildings/:buildingId/units/energy`, kpi, async (c) => {
      const communityId = communityOf(c, deps.caller)
      const { period } = parse(
        z.object({ period: z.enum(['day', 'week']).default('day') }).strict(),
        c.req.query(),
      )
      if (!deps.records)
        throw new ApiError(501, 'not_implemented', 'per-unit energy needs the records database')
      const buildingId = c.req.param('buildingId')
      const [building] = await deps.records.query(BUILDING, [buildingId, communityId])
      if (!building) throw notFound('building')
      const to = now()
      const from = to - (period === 'day' ? DAY : 7 * DAY)
      const [units, meters] = await Promise.all([
        deps.records.query<UnitRow>(BUILDING_UNITS, [buildingId, communityId]),
        deps.kpis.energyByMeter({ communityId, from, to }),
      ])
      const kwhByUnit = new Map<string, number>()
      for (const m of meters) if (m.unitId) kwhByUnit.set(m.unitId, (kwhByUnit.get(m.unitId) ?? 0) + m.kwh)
      const round = (kwh: number) => Math.round(kwh * 1000) / 1000
      return c.json({
        buildingId,
        period,
        from,
        to,
        units: units.map((u) => {
          const kwh = kwhByUnit.get(u.unitId)
          return { ...u, kwh: kwh === undefined ? null : round(kwh) }
        }),
      })
    })
    .get(`${base}/water/night-flow`, kpi, async (c) => {
      const q = parse(
        z.object({ minNights: z.coerce.number().int().min(1).max(60).default(3) }),
        c.req.query(),
      )
      return c.json({ rows: await deps.kpis.nightFlow({ ...window(c, 7 * DAY), minNights: q.minNights }) })
    })
    .get(`${base}/crowd`, kpi, async (c) => c.json({ rows: await deps.kpis.crowd(window(c, 2 * HOUR)) }))
    .get(`${base}/parking`, kpi, async (c) => c.json({ rows: await deps.kpis.parking(window(c, DAY)) }))
    .get(`${base}/elevators`, kpi, async (c) => c.json({ rows: await deps.kpis.elevators(window(c, DAY)) }))
    .get(`${base}/pumps`, kpi, async (c) => c.json({ rows: await deps.kpis.pumps(window(c, 7 * DAY)) }))
    .get(`${base}/complaints`, kpi, async (c) => {
      const q = parse(z.object({ period: z.enum(['day', 'week', 'month']).default('week') }), c.req.query())
      return c.json(await deps.kpis.complaints({ ...window(c, 90 * DAY), period: q.period }))
    })
    .get(`${base}/fees`, kpi, async (c) => c.json(await deps.kpis.fees(window(c, 365 * DAY))))
    .get(`${base}/work-orders`, kpi, async (c) => c.json(await deps.kpis.workOrders(window(c, 30 * DAY))))
    .get(`${base}/devices/state`, telemetry, (c) => {
      const id = communityOf(c, deps.caller)
      return c.json({ at: now(), devices: deps.tracker?.snapshot(id) ?? [] })
    })
    .get(`${base}/time-machine`, telemetry, async (c) => {
      const id = communityOf(c, deps.caller)
      const q = parse(
        z.object({ at: instant, kpis: z.enum(['0', '1', 'true', 'false']).optional(), kinds }),
        c.req.query(),
      )
      const withKpis = (q.kpis === '1' || q.kpis === 'true') && deps.caller(c).permissions.has('kpi:read')
      return c.json(await deps.timeMachine.at(id, q.at, { kpis: withKpis, kinds: q.kinds ?? [] }))
    })
    .get(`${base}/time-machine/replay`, telemetry, async (c) => {
      const w = window(c, HOUR)
      if (w.to - w.from > DAY) throw new ApiError(400, 'bad_request', 'replay at most one day at a time')
      const q = parse(z.object({ kinds }), c.req.query())
      return c.json(await deps.timeMachine.replay({ ...w, kinds: q.kinds ?? [] }))
    })
}
