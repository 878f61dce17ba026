/**
 * Inspection routes (巡检路线) and their points: an ordered walk of places to check — a building, a device, an
 * open area — each with a checklist. A route belongs to its community, or to one building (then every point lies
 * in it, and building-scoped staff see it). Created in one audited transaction with its points.
 */
import { randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope, scopeCondition } from '../auth/scope.ts'
import { badRequest, notFound } from '../http/errors.ts'
import { resolvePlace } from '../workorders/place.ts'

export const routeKinds = ['security', 'equipment', 'fire', 'cleaning', 'general'] as const

export interface PointInput {
  readonly name: string
  readonly buildingId?: string | undefined
  readonly deviceId?: string | undefined
  readonly areaId?: string | undefined
  readonly checklist?: string[] | undefined
}

export interface RouteInput {
  readonly communityId?: string | undefined
  readonly buildingId?: string | undefined
  readonly name: string
  readonly kind: (typeof routeKinds)[number]
  readonly points: readonly PointInput[]
}

const ROUTE = `SELECT id, company_id AS "companyId", community_id AS "communityId", building_id AS "buildingId", name,
  kind, active, created_at AS "createdAt" FROM inspection_routes WHERE id = $1`
const POINTS = `SELECT id, seq, name, building_id AS "buildingId", device_id AS "deviceId", area_id AS "areaId",
  checklist FROM inspection_points WHERE route_id = $1 ORDER BY seq`
const INSERT_ROUTE = `INSERT INTO inspection_routes (id, company_id, community_id, building_id, name, kind, created_by,
  created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
const INSERT_POINT = `INSERT INTO inspection_points (id, route_id, seq, name, building_id, device_id, area_id, checklist)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
const AREA = 'SELECT community_id FROM areas WHERE id = $1'

export interface RouteRow {
  id: string
  companyId: string
  communityId: string
  buildingId: string | null
  name: string
  kind: string
  active: boolean
  createdAt: Date
}

export interface PointRow {
  id: string
  seq: number
  name: string
  buildingId: string | null
  deviceId: string | null
  areaId: string | null
  checklist: string[]
}

export const routeView = (r: RouteRow, points: PointRow[]) => ({
  id: r.id,
  communityId: r.communityId,
  buildingId: r.buildingId,
  name: r.name,
  kind: r.kind,
  active: r.active,
  createdAt: r.createdAt.toISOString(),
  points,
})
export type RouteView = ReturnType<typeof routeView>

export const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString('base64url')}`

export class InspectionRoutes {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
    private readonly now: () => number = Date.now,
  ) {}

  async create(auth: AuthContext, input: RouteInput, requestId: string | null): Promise<RouteView> {
    return this.db.transaction(async (tx) => {
      const place = await resolvePlace(tx, { communityId: input.communityId, buildingId: input.buildingId })
      if (place.companyId !== auth.companyId || !inScope(auth.scope, place)) throw notFound('place')
      const id = newId('ir')
      await tx.query(INSERT_ROUTE, [
        id,
        place.companyId,
        place.communityId,
        place.buildingId,
        input.name,
        input.kind,
        auth.userId,
        new Date(this.now()),
      ])
      let seq = 0
      for (const point of input.points) {
        seq++
        const at = await resolvePlace(tx, {
          communityId: place.communityId,
          buildingId: point.buildingId,
          deviceId: point.deviceId,
        })
        if (place.buildingId && at.buildingId !== place.buildingId)
          throw badRequest(`points.${seq - 1}: outside the route's building`)
        if (point.areaId) {
          const [area] = await tx.query<{ community_id: string }>(AREA, [point.areaId])
          if (!area) throw notFound('area')
          if (area.community_id !== place.communityId)
            throw badRequest(`points.${seq - 1}: area in another community`)
        }
        await tx.query(INSERT_POINT, [
          newId('ip'),
          id,
          seq,
          point.name,
          at.buildingId,
          point.deviceId ?? null,
          point.areaId ?? null,
          JSON.stringify(point.checklist ?? []),
        ])
      }
      const route = await this.get(auth, id, tx)
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'inspection_route.create',
        object: { type: 'inspection_route', id, communityId: place.communityId },
        after: route,
        requestId,
      })
      return route
    })
  }

  /** The route if it exists and is in scope; 404 otherwise. Runs on `sql` (a transaction, when inside one). */
  async get(auth: AuthContext, id: string, sql: Sql = this.db): Promise<RouteView> {
    const [row] = await sql.query<RouteRow>(ROUTE, [id])
    if (!row || row.companyId !== auth.companyId || !inScope(auth.scope, row))
      throw notFound('inspection route')
    return routeView(row, await sql.query<PointRow>(POINTS, [id]))
  }

  async list(auth: AuthContext, limit: number): Promise<RouteView[]> {
    const params: unknown[] = []
    const where = scopeCondition(auth.scope, { community: 'community_id', building: 'building_id' }, params)
    params.push(auth.companyId, limit)
    const rows = await this.db.query<RouteRow>(
      `SELECT id, company_id AS "companyId", community_id AS "communityId", building_id AS "buildingId", name, kind,
         active, created_at AS "createdAt" FROM inspection_routes
       WHERE ${where} AND company_id = $${params.length - 1} ORDER BY created_at DESC, id LIMIT $${params.length}`,
      params,
    )
    const out: RouteView[] = []
    for (const row of rows) out.push(routeView(row, await this.db.query<PointRow>(POINTS, [row.id])))
    return out
  }
}
