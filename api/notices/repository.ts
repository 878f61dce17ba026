/**
 * The notices table: SQL as named constants, rows mapped to the API's view. Scope conditions are built here from
 * a resolved scope, with ids bound as parameters.
 */
import type { Sql } from '../../data/index.ts'
import type { Scope } from '../auth/scope.ts'

export type NoticeCategory = 'general' | 'maintenance' | 'fee' | 'safety' | 'event'
export type NoticeStatus = 'draft' | 'published' | 'withdrawn'

export interface NoticeView {
  readonly id: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly category: NoticeCategory
  readonly lang: 'zh' | 'en'
  readonly title: string
  readonly body: string
  readonly status: NoticeStatus
  readonly publishAt: string | null
  readonly expiresAt: string | null
  /** Published, and now between its publish and expiry times. */
  readonly live: boolean
  readonly createdAt: string
  readonly updatedAt: string
}

export interface NoticeRow {
  id: string
  community_id: string
  building_id: string | null
  category: NoticeCategory
  lang: 'zh' | 'en'
  title: string
  body: string
  status: NoticeStatus
  publish_at: Date | null
  expires_at: Date | null
  live: boolean
  created_at: Date
  updated_at: Date
}

const LIVE = `(status = 'published' AND publish_at <= now() AND (expires_at IS NULL OR expires_at > now()))`
const COLUMNS = `id, community_id, building_id, category, lang, title, body, status, publish_at, expires_at,
  ${LIVE} AS live, created_at, updated_at`

export const SELECT_NOTICE = `SELECT ${COLUMNS} FROM notices WHERE id = $1`
export const SELECT_NOTICE_FOR_UPDATE = `SELECT ${COLUMNS} FROM notices WHERE id = $1 FOR UPDATE`
export const INSERT_NOTICE = `INSERT INTO notices (id, community_id, building_id, category, lang, title, body, status,
  publish_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`
export const UPDATE_NOTICE = `UPDATE notices SET category = $2, lang = $3, title = $4, body = $5, expires_at = $6,
  updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`
export const PUBLISH_NOTICE = `UPDATE notices SET status = 'published', publish_at = coalesce($2, now()),
  expires_at = coalesce($3, expires_at), updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`
export const WITHDRAW_NOTICE = `UPDATE notices SET status = 'withdrawn', updated_at = now() WHERE id = $1
  RETURNING ${COLUMNS}`
export const BUILDING_COMMUNITY = 'SELECT community_id FROM buildings WHERE id = $1 AND archived_at IS NULL'
export const COMMUNITY_EXISTS = 'SELECT id FROM communities WHERE id = $1 AND archived_at IS NULL'

export const noticeView = (r: NoticeRow): NoticeView => ({
  id: r.id,
  communityId: r.community_id,
  buildingId: r.building_id,
  category: r.category,
  lang: r.lang,
  title: r.title,
  body: r.body,
  status: r.status,
  publishAt: r.publish_at?.toISOString() ?? null,
  expiresAt: r.expires_at?.toISOString() ?? null,
  live: r.live,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

export interface NoticeFilter {
  readonly communityId?: string | undefined
  readonly buildingId?: string | undefined
  readonly category?: NoticeCategory | undefined
  /** Only live notices (readers always get this). */
  readonly liveOnly: boolean
  readonly after?: string | undefined
  readonly limit: number
}

/**
 * Notices a scope may read, newest first: a community-wide notice reaches everyone in the community, a building's
 * notice reaches that building (and whoever covers the whole community).
 */
export async function listNotices(sql: Sql, scope: Scope, filter: NoticeFilter): Promise<NoticeRow[]> {
  const params: unknown[] = [[...scope.communityIds]]
  const where = ['community_id = ANY($1::text[])']
  if (scope.buildingIds) {
    params.push([...scope.buildingIds])
    where.push(`(building_id IS NULL OR building_id = ANY($${params.length}::text[]))`)
  }
  if (filter.liveOnly) where.push(LIVE)
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return
    params.push(value)
    where.push(`${column} = $${params.length}`)
  }
  eq('community_id', filter.communityId)
  eq('building_id', filter.buildingId)
  eq('category', filter.category)
  if (filter.after !== undefined) {
    params.push(filter.after)
    where.push(`id < $${params.length}`)
  }
  params.push(filter.limit)
  return sql.query<NoticeRow>(
    `SELECT ${COLUMNS} FROM notices WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  )
}
