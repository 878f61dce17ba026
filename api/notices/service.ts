/**
 * Notices: drafted, published (now or at a time) and withdrawn by staff who manage notices, read by everyone in
 * the targeted community or building while they are live. Every change is audited in its transaction; a notice the
 * caller may not see — another community, another building, or not live for a reader — answers 404.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, inScope, type Scope } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import {
  BUILDING_COMMUNITY,
  COMMUNITY_EXISTS,
  INSERT_NOTICE,
  listNotices,
  noticeView,
  PUBLISH_NOTICE,
  SELECT_NOTICE,
  SELECT_NOTICE_FOR_UPDATE,
  UPDATE_NOTICE,
  WITHDRAW_NOTICE,
  type NoticeCategory,
  type NoticeFilter,
  type NoticeRow,
  type NoticeView,
} from './repository.ts'
import { sortableId } from './sortable-id.ts'

export interface NoticeInput {
  readonly communityId?: string | undefined
  readonly buildingId?: string | undefined
  readonly category: NoticeCategory
  readonly lang: 'zh' | 'en'
  readonly title: string
  readonly body: string
  /** Publish at once (or at `publishAt`) instead of saving a draft. */
  readonly publish?: boolean | undefined
  readonly publishAt?: string | undefined
  readonly expiresAt?: string | undefined
}

/** Whether a notice reaches a scope (community-wide notices reach every building of the community). */
export function reaches(scope: Scope, notice: { communityId: string; buildingId: string | null }): boolean {
  if (!scope.communityIds.has(notice.communityId)) return false
  return notice.buildingId === null || scope.buildingIds === null || scope.buildingIds.has(notice.buildingId)
}

/** Whether a scope may manage a notice: its building, or the whole community for a community-wide notice. */
export function manages(scope: Scope, notice: { communityId: string; buildingId: string | null }): boolean {
  return notice.buildingId === null
    ? coversCommunity(scope, notice.communityId)
    : inScope(scope, { communityId: notice.communityId, buildingId: notice.buildingId })
}

const canManage = (auth: AuthContext) => auth.permissions.has('notice:manage')

function time(value: string | undefined, field: string): Date | null {
  if (value === undefined) return null
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) throw badRequest(`body.${field}: not a date-time`)
  return at
}

function checkWindow(publishAt: Date | null, expiresAt: Date | null): void {
  if (!expiresAt) return
  if (expiresAt.getTime() <= Date.now()) throw badRequest('body.expiresAt: must be in the future')
  if (publishAt && expiresAt <= publishAt) throw badRequest('body.expiresAt: must be after publishAt')
}

export class NoticeService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  /** Notices the caller may read; staff who manage notices also see drafts, scheduled and withdrawn ones. */
  async list(auth: AuthContext, filter: Omit<NoticeFilter, 'liveOnly'>): Promise<NoticeView[]> {
    const rows = await listNotices(this.db, auth.scope, { ...filter, liveOnly: !canManage(auth) })
    return rows.map(noticeView)
  }

  /** Live notices the caller may read (the assistant's corpus), newest first. */
  async live(auth: AuthContext, limit = 500): Promise<NoticeView[]> {
    return (await listNotices(this.db, auth.scope, { liveOnly: true, limit })).map(noticeView)
  }

  async get(auth: AuthContext, id: string): Promise<NoticeView> {
    const [row] = await this.db.query<NoticeRow>(SELECT_NOTICE, [id])
    const view = row && noticeView(row)
    if (!view || !reaches(auth.scope, view) || (!view.live && !canManage(auth))) throw notFound('notice')
    return view
  }

  async create(auth: AuthContext, input: NoticeInput, requestId: string | null): Promise<NoticeView> {
    const publishAt = time(input.publishAt, 'publishAt')
    const expiresAt = time(input.expiresAt, 'expiresAt')
    if (publishAt && !input.publish) throw badRequest('body.publishAt: only with publish: true')
    checkWindow(publishAt, expiresAt)
    return this.db.transaction(async (tx) => {
      const target = await this.target(tx, auth, input)
      const publish = input.publish === true
      const [row] = await tx.query<NoticeRow>(INSERT_NOTICE, [
        sortableId('nt'),
        target.communityId,
        target.buildingId,
        input.category,
        input.lang,
        input.title,
        input.body,
        publish ? 'published' : 'draft',
        publish ? (publishAt ?? new Date()) : null,
        expiresAt,
        auth.userId,
      ])
      if (!row) throw new Error('notice not stored')
      await this.audit(tx, auth, publish ? 'notice.publish' : 'notice.create', row, null, requestId)
      return noticeView(row)
    })
  }

  /** Edits a draft (409 `not_draft` once published or withdrawn). */
  async update(
    auth: AuthContext,
    id: string,
    input: Partial<Pick<NoticeInput, 'category' | 'lang' | 'title' | 'body' | 'expiresAt'>>,
    requestId: string | null,
  ): Promise<NoticeView> {
    const expiresAt = time(input.expiresAt, 'expiresAt')
    checkWindow(null, expiresAt)
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, auth, id)
      if (before.status !== 'draft') throw conflict('only a draft can be edited', 'not_draft')
      const [row] = await tx.query<NoticeRow>(UPDATE_NOTICE, [
        id,
        input.category ?? before.category,
        input.lang ?? before.lang,
        input.title ?? before.title,
        input.body ?? before.body,
        expiresAt ?? before.expires_at,
      ])
      if (!row) throw notFound('notice')
      await this.audit(tx, auth, 'notice.update', row, before, requestId)
      return noticeView(row)
    })
  }

  async publish(
    auth: AuthContext,
    id: string,
    input: { publishAt?: string | undefined; expiresAt?: string | undefined },
    requestId: string | null,
  ): Promise<NoticeView> {
    const publishAt = time(input.publishAt, 'publishAt')
    const expiresAt = time(input.expiresAt, 'expiresAt')
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, auth, id)
      if (before.status !== 'draft') throw conflict('only a draft can be published', 'not_draft')
      checkWindow(publishAt ?? new Date(), expiresAt ?? before.expires_at)
      const [row] = await tx.query<NoticeRow>(PUBLISH_NOTICE, [id, publishAt, expiresAt])
      if (!row) throw notFound('notice')
      await this.audit(tx, auth, 'notice.publish', row, before, requestId)
      return noticeView(row)
    })
  }

  async withdraw(auth: AuthContext, id: string, requestId: string | null): Promise<NoticeView> {
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, auth, id)
      if (before.status !== 'published')
        throw conflict('only a published notice can be withdrawn', 'not_published')
      const [row] = await tx.query<NoticeRow>(WITHDRAW_NOTICE, [id])
      if (!row) throw notFound('notice')
      await this.audit(tx, auth, 'notice.withdraw', row, before, requestId)
      return noticeView(row)
    })
  }

  /** The community and building a new notice targets, checked against the caller's scope. */
  private async target(
    tx: Sql,
    auth: AuthContext,
    input: Pick<NoticeInput, 'communityId' | 'buildingId'>,
  ): Promise<{ communityId: string; buildingId: string | null }> {
    if (input.buildingId !== undefined) {
      const [building] = await tx.query<{ community_id: string }>(BUILDING_COMMUNITY, [input.buildingId])
      if (!building) throw notFound('building')
      if (input.communityId !== undefined && input.communityId !== building.community_id)
        throw badRequest('body.buildingId: not in that community')
      const target = { communityId: building.community_id, buildingId: input.buildingId }
      if (!manages(auth.scope, target)) throw notFound('building')
      return target
    }
    if (input.communityId === undefined) throw badRequest('body: communityId or buildingId is required')
    const [community] = await tx.query(COMMUNITY_EXISTS, [input.communityId])
    const target = { communityId: input.communityId, buildingId: null }
    if (!community || !manages(auth.scope, target)) throw notFound('community')
    return target
  }

  private async locked(tx: Sql, auth: AuthContext, id: string): Promise<NoticeRow> {
    const [row] = await tx.query<NoticeRow>(SELECT_NOTICE_FOR_UPDATE, [id])
    if (!row || !manages(auth.scope, { communityId: row.community_id, buildingId: row.building_id }))
      throw notFound('notice')
    return row
  }

  private audit(
    tx: Sql,
    auth: AuthContext,
    action: string,
    row: NoticeRow,
    before: NoticeRow | null,
    requestId: string | null,
  ): Promise<void> {
    return this.auditor.record(tx, {
      actor: actorOf(auth),
      action,
      object: { type: 'notice', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}
