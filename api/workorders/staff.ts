/**
 * Repairers' skill profiles, which round-robin dispatch matches against an order's skill: `GET /work-order-staff`
 * lists the repairers a dispatcher can reach with their skills, `PUT /work-order-staff/{userId}` sets them
 * (workorder:dispatch). A repairer is within reach when their own scope lies inside the dispatcher's (a repairer
 * of a building of a community the dispatcher covers, …); anyone else answers 404.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { poolRoles } from './dispatch.ts'

const STAFF = `SELECT u.id AS "userId", u.username, u.role, u.scope_kind AS "scopeKind", u.scope_ids AS "scopeIds",
    coalesce(s.skills, '{}') AS skills, coalesce(s.active, false) AS active,
    s.last_assigned_at AS "lastAssignedAt",
    coalesce((SELECT array_agg(b.community_id) FROM buildings b WHERE b.id = ANY(u.scope_ids)), '{}')
      AS "buildingCommunities"
  FROM users u LEFT JOIN work_order_staff s ON s.user_id = u.id
  WHERE u.company_id = $1 AND u.role = ANY($2::text[]) AND u.disabled_at IS NULL AND ($3::text IS NULL OR u.id = $3)
  ORDER BY u.id`
const UPSERT = `INSERT INTO work_order_staff (user_id, skills, active, updated_at) VALUES ($1, $2, $3, now())
  ON CONFLICT (user_id) DO UPDATE SET skills = EXCLUDED.skills, active = EXCLUDED.active, updated_at = now()`

interface StaffRow {
  userId: string
  username: string
  role: string
  scopeKind: string
  scopeIds: string[]
  skills: string[]
  active: boolean
  lastAssignedAt: Date | null
  buildingCommunities: string[]
}

const staffSchema = z
  .strictObject({
    userId: z.string(),
    username: z.string(),
    role: z.string(),
    skills: z.array(z.string()),
    active: z.boolean(),
    lastAssignedAt: z.string().nullable(),
  })
  .openapi('RepairerProfile')

const view = (r: StaffRow) => ({
  userId: r.userId,
  username: r.username,
  role: r.role,
  skills: r.skills,
  active: r.active,
  lastAssignedAt: r.lastAssignedAt?.toISOString() ?? null,
})

/** Whether a repairer's scope lies inside the caller's. */
function reaches(auth: AuthContext, r: StaffRow): boolean {
  const s = auth.scope
  if (s.kind === 'company') return true
  if (r.scopeKind === 'community')
    return s.buildingIds === null && r.scopeIds.every((id) => s.communityIds.has(id))
  if (r.scopeKind === 'building') {
    return s.buildingIds === null
      ? r.buildingCommunities.every((id) => s.communityIds.has(id))
      : r.scopeIds.every((id) => s.buildingIds?.has(id))
  }
  return false
}

export class StaffProfiles {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  async list(auth: AuthContext) {
    const rows = await this.db.query<StaffRow>(STAFF, [auth.companyId, poolRoles, null])
    return rows.filter((r) => reaches(auth, r)).map(view)
  }

  async set(
    auth: AuthContext,
    userId: string,
    input: { skills: string[]; active: boolean },
    requestId: string | null,
  ) {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<StaffRow>(STAFF, [auth.companyId, poolRoles, userId])
      if (!before || !reaches(auth, before)) throw notFound('repairer')
      const skills = [...new Set(input.skills)].sort()
      await tx.query(UPSERT, [userId, skills, input.active])
      const [after] = await tx.query<StaffRow>(STAFF, [auth.companyId, poolRoles, userId])
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'work_order_staff.set',
        object: { type: 'user', id: userId },
        before: view(before),
        after: after && view(after),
        requestId,
      })
      return view(after ?? before)
    })
  }
}

const listRoute = createRoute({
  method: 'get',
  path: '/work-order-staff',
  tags: ['work orders'],
  summary: 'Repairers you dispatch to, with their skills',
  middleware: [guard('workorder:dispatch')] as const,
  responses: { 200: json(z.strictObject({ items: z.array(staffSchema) })), ...errorResponses(401, 403) },
})

const setRoute = createRoute({
  method: 'put',
  path: '/work-order-staff/{userId}',
  tags: ['work orders'],
  summary: "Set a repairer's skills and whether they take round-robin orders",
  middleware: [guard('workorder:dispatch')] as const,
  request: {
    params: z.strictObject({ userId: z.string().min(1).max(64) }),
    body: jsonBody(
      z.strictObject({
        skills: z.array(z.string().trim().min(1).max(40)).max(20),
        active: z.boolean(),
      }),
    ),
  },
  responses: { 200: json(staffSchema), ...errorResponses(400, 401, 403, 404) },
})

/** The repairer-profile routes. */
export function staffRoutes(profiles: StaffProfiles) {
  return routeApp()
    .openapi(listRoute, async (c) => c.json({ items: await profiles.list(authOf(c)) }, 200))
    .openapi(setRoute, async (c) =>
      c.json(
        await profiles.set(authOf(c), c.req.valid('param').userId, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
}
