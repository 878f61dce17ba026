/**
 * Third-party service providers: registered by customer service for the company or for some communities, listed
 * to residents and staff of the communities they serve, switched off without being deleted (orders keep their
 * provider). Audited.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'

export const providerCategories = [
  'housekeeping',
  'parcel_locker',
  'elderly_care',
  'laundry',
  'moving',
  'appliance_repair',
  'other',
] as const
export type ProviderCategory = (typeof providerCategories)[number]

export interface ProviderView {
  readonly id: string
  readonly name: string
  readonly category: ProviderCategory
  /** Empty: every community of the company. */
  readonly communityIds: string[]
  readonly contactPhone: string
  readonly active: boolean
  readonly createdAt: string
}

export interface ProviderRow {
  id: string
  company_id: string
  name: string
  category: ProviderCategory
  community_ids: string[]
  contact_phone: string
  active: boolean
  created_at: Date
}

const COLUMNS = 'id, company_id, name, category, community_ids, contact_phone, active, created_at'
const LIST = `SELECT ${COLUMNS} FROM service_providers WHERE company_id = $1
  AND (cardinality(community_ids) = 0 OR community_ids && $2::text[])
  AND ($3::text IS NULL OR category = $3) AND ($4::boolean OR active) ORDER BY name, id`
const SELECT = `SELECT ${COLUMNS} FROM service_providers WHERE id = $1`
const LOCK = `SELECT ${COLUMNS} FROM service_providers WHERE id = $1 FOR UPDATE`
const INSERT = `INSERT INTO service_providers (id, company_id, name, category, community_ids, contact_phone, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, name) DO NOTHING RETURNING ${COLUMNS}`
const UPDATE = `UPDATE service_providers SET contact_phone = $2, active = $3, updated_at = now() WHERE id = $1
  RETURNING ${COLUMNS}`

export const providerView = (r: ProviderRow): ProviderView => ({
  id: r.id,
  name: r.name,
  category: r.category,
  communityIds: r.community_ids,
  contactPhone: r.contact_phone,
  active: r.active,
  createdAt: r.created_at.toISOString(),
})

/** Whether a provider serves a community. */
export const serves = (r: ProviderRow, communityId: string) =>
  r.community_ids.length === 0 || r.community_ids.includes(communityId)

/** Whether the caller sees a provider: same company, serving one of the caller's communities. */
export function visible(auth: AuthContext, r: ProviderRow): boolean {
  return r.company_id === auth.companyId && [...auth.scope.communityIds].some((c) => serves(r, c))
}

/** Whether the caller may change a provider: a company-wide one needs company scope, else every community covered. */
function manageable(auth: AuthContext, communityIds: readonly string[]): boolean {
  return communityIds.length === 0
    ? auth.scope.kind === 'company'
    : communityIds.every((c) => coversCommunity(auth.scope, c))
}

export class ProviderService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: { category?: ProviderCategory | undefined; includeInactive: boolean },
  ): Promise<ProviderView[]> {
    const rows = await this.db.query<ProviderRow>(LIST, [
      auth.companyId,
      [...auth.scope.communityIds],
      filter.category ?? null,
      filter.includeInactive && auth.permissions.has('service:manage'),
    ])
    return rows.map(providerView)
  }

  /** A provider the caller sees (404 otherwise), read inside `sql`. */
  async visibleRow(sql: Sql, auth: AuthContext, id: string, lock = false): Promise<ProviderRow> {
    const [row] = await sql.query<ProviderRow>(lock ? LOCK : SELECT, [id])
    if (!row || !visible(auth, row)) throw notFound('service provider')
    return row
  }

  async create(
    auth: AuthContext,
    input: {
      name: string
      category: ProviderCategory
      communityIds?: string[] | undefined
      contactPhone: string
    },
    requestId: string | null,
  ): Promise<ProviderView> {
    const communityIds = [...new Set(input.communityIds ?? [])].sort()
    if (!manageable(auth, communityIds))
      throw communityIds.length === 0
        ? badRequest('body.communityIds: name the communities you manage')
        : notFound('community')
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<ProviderRow>(INSERT, [
        sortableId('sp'),
        auth.companyId,
        input.name,
        input.category,
        communityIds,
        input.contactPhone,
        auth.userId,
      ])
      if (!row) throw conflict('a provider of that name exists', 'duplicate_name')
      await this.audit(tx, auth, 'service_provider.create', row, null, requestId)
      return providerView(row)
    })
  }

  async update(
    auth: AuthContext,
    id: string,
    input: { contactPhone?: string | undefined; active?: boolean | undefined },
    requestId: string | null,
  ): Promise<ProviderView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visibleRow(tx, auth, id, true)
      if (!manageable(auth, before.community_ids)) throw notFound('service provider')
      const [row] = await tx.query<ProviderRow>(UPDATE, [
        id,
        input.contactPhone ?? before.contact_phone,
        input.active ?? before.active,
      ])
      if (!row) throw notFound('service provider')
      await this.audit(tx, auth, 'service_provider.update', row, before, requestId)
      return providerView(row)
    })
  }

  private audit(
    tx: Sql,
    auth: AuthContext,
    action: string,
    row: ProviderRow,
    before: ProviderRow | null,
    requestId: string | null,
  ) {
    return this.auditor.record(tx, {
      actor: actorOf(auth),
      action,
      object: {
        type: 'service_provider',
        id: row.id,
        communityId: row.community_ids.length === 1 ? row.community_ids[0] : null,
      },
      before,
      after: row,
      requestId,
    })
  }
}
