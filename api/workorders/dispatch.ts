/**
 * Who may be given a work order, and round-robin dispatch: among the enabled repairers whose scope reaches the
 * order (their company, its community, or its building) and whose skills include the order's skill, the one who
 * was given an order least recently (never first, then by id). Every assignment moves that repairer's pointer,
 * so named assignments and grabs count towards the rotation too.
 */
import type { Sql } from '../../data/index.ts'
import { roleHas, roles, type Role } from '../auth/permissions.ts'

/** Roles that do repair work (hold `workorder:work`). */
export const workerRoles: readonly Role[] = roles.filter((r) => roleHas(r, 'workorder:work'))
/** Roles that are in the round-robin pool (people on the tools, not their managers). */
export const poolRoles: readonly Role[] = ['repair_staff', 'maintenance_engineer']

const REACHES = `(u.scope_kind = 'company'
    OR (u.scope_kind = 'community' AND $2::text = ANY(u.scope_ids))
    OR (u.scope_kind = 'building' AND $3::text IS NOT NULL AND $3::text = ANY(u.scope_ids)))`

const ELIGIBLE = `SELECT u.id FROM users u
  WHERE u.id = $1 AND u.company_id = $4 AND u.disabled_at IS NULL AND u.role = ANY($5::text[]) AND ${REACHES}`

const NEXT_IN_ROTATION = `SELECT u.id FROM users u JOIN work_order_staff s ON s.user_id = u.id
  WHERE u.company_id = $1 AND u.disabled_at IS NULL AND u.role = ANY($4::text[]) AND s.active
    AND $5::text = ANY(s.skills) AND ${REACHES}
  ORDER BY s.last_assigned_at ASC NULLS FIRST, u.id
  LIMIT 1
  FOR UPDATE OF s`

const MOVE_POINTER = 'UPDATE work_order_staff SET last_assigned_at = $2 WHERE user_id = $1'

export interface OrderPlace {
  readonly companyId: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly skill: string
}

/** Whether `userId` is an enabled repairer whose scope reaches the order. */
export async function canWorkOn(tx: Sql, userId: string, order: OrderPlace): Promise<boolean> {
  const rows = await tx.query(ELIGIBLE, [
    userId,
    order.communityId,
    order.buildingId,
    order.companyId,
    workerRoles,
  ])
  return rows.length > 0
}

/** The next repairer in the rotation for the order's skill and place, or null when nobody fits. */
export async function nextInRotation(tx: Sql, order: OrderPlace): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(NEXT_IN_ROTATION, [
    order.companyId,
    order.communityId,
    order.buildingId,
    poolRoles,
    order.skill,
  ])
  return row?.id ?? null
}

/** Notes that `userId` was just given an order (no-op for someone without a staff profile). */
export async function movePointer(tx: Sql, userId: string, at: Date): Promise<void> {
  await tx.query(MOVE_POINTER, [userId, at])
}
