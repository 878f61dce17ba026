/**
 * Fee items (收费项目): what a community charges per unit and cycle — floor area × unit price (property fee),
 * a fixed amount (e.g. waste collection), metered use × unit price with the building's public use shared out by
 * area or by use, or a one-off charge in one cycle. Created and archived by finance; read by staff of the
 * community.
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { badRequest, notFound } from '../http/errors.ts'
import { newId, requireCommunity } from './access.ts'

export interface FeeItemInput {
  readonly communityId: string
  readonly buildingId?: string | null
  readonly name: string
  readonly kind: 'area' | 'fixed' | 'meter' | 'one_off'
  readonly unitPrice?: number
  readonly amountFen?: number
  readonly meterKind?: 'electricity_meter' | 'water_meter'
  readonly sharedSplit?: 'none' | 'area' | 'usage'
  /** 'YYYY-MM' of the cycle a one-off charge falls in. */
  readonly oncePeriod?: string
}

export interface FeeItem {
  readonly id: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly name: string
  readonly kind: FeeItemInput['kind']
  readonly unitPrice: number | null
  readonly amountFen: number | null
  readonly meterKind: string | null
  readonly sharedSplit: string
  readonly oncePeriod: string | null
  readonly archivedAt: string | null
}

const COLUMNS = `id, community_id AS "communityId", building_id AS "buildingId", name, kind,
  unit_price::float8 AS "unitPrice", amount_fen AS "amountFen", meter_kind AS "meterKind",
  shared_split AS "sharedSplit", to_char(once_period, 'YYYY-MM') AS "oncePeriod", archived_at AS "archivedAt"`
const LIST = `SELECT ${COLUMNS} FROM fee_items WHERE community_id = $1 AND ($2 OR archived_at IS NULL) ORDER BY id`
const GET = `SELECT ${COLUMNS} FROM fee_items WHERE id = $1`
const INSERT = `INSERT INTO fee_items (id, community_id, building_id, name, kind, unit_price, amount_fen, meter_kind,
  shared_split, once_period, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ($10 || '-01')::date, $11)`
const ARCHIVE = 'UPDATE fee_items SET archived_at = now() WHERE id = $1 AND archived_at IS NULL'
const BUILDING = 'SELECT community_id FROM buildings WHERE id = $1'

type Row = Omit<FeeItem, 'archivedAt'> & { archivedAt: Date | null }
const view = (r: Row): FeeItem => ({ ...r, archivedAt: r.archivedAt?.toISOString() ?? null })

/** Which fields each kind needs, checked before the database's own CHECK constraints. */
function validate(input: FeeItemInput): void {
  const needs = (ok: boolean, message: string) => {
    if (!ok) throw badRequest(message)
  }
  switch (input.kind) {
    case 'area':
      needs(
        input.unitPrice !== undefined && input.amountFen === undefined,
        'an area fee needs unitPrice only',
      )
      break
    case 'fixed':
      needs(
        input.amountFen !== undefined && input.unitPrice === undefined,
        'a fixed fee needs amountFen only',
      )
      break
    case 'meter':
      needs(
        input.unitPrice !== undefined && input.meterKind !== undefined && input.amountFen === undefined,
        'a meter fee needs unitPrice and meterKind',
      )
      break
    case 'one_off':
      needs(
        input.amountFen !== undefined && input.oncePeriod !== undefined && input.unitPrice === undefined,
        'a one-off fee needs amountFen and oncePeriod',
      )
      break
  }
  if (input.kind !== 'meter') {
    needs(input.meterKind === undefined, 'meterKind is for meter fees')
    needs((input.sharedSplit ?? 'none') === 'none', 'sharedSplit is for meter fees')
  }
}

export class FeeItemService {
  constructor(private readonly deps: { readonly db: Postgres; readonly auditor: Auditor }) {}

  async list(auth: AuthContext, communityId: string, includeArchived: boolean): Promise<FeeItem[]> {
    requireCommunity(auth, communityId)
    return (await this.deps.db.query<Row>(LIST, [communityId, includeArchived])).map(view)
  }

  async create(auth: AuthContext, input: FeeItemInput, requestId: string | null): Promise<FeeItem> {
    requireCommunity(auth, input.communityId)
    validate(input)
    const id = newId('fee')
    return this.deps.db.transaction(async (tx) => {
      if (input.buildingId) {
        const [b] = await tx.query<{ community_id: string }>(BUILDING, [input.buildingId])
        if (b?.community_id !== input.communityId) throw notFound('building')
      }
      await tx.query(INSERT, [
        id,
        input.communityId,
        input.buildingId ?? null,
        input.name,
        input.kind,
        input.unitPrice ?? null,
        input.amountFen ?? null,
        input.meterKind ?? null,
        input.sharedSplit ?? 'none',
        input.oncePeriod ?? null,
        auth.userId,
      ])
      const [row] = await tx.query<Row>(GET, [id])
      if (!row) throw new Error('fee item not stored')
      const item = view(row)
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'fee_item.create',
        object: { type: 'fee_item', id, communityId: input.communityId },
        after: item,
        requestId,
      })
      return item
    })
  }

  async archive(auth: AuthContext, id: string, requestId: string | null): Promise<FeeItem> {
    return this.deps.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(`${GET} FOR UPDATE`, [id])
      if (!before) throw notFound('fee item')
      requireCommunity(auth, before.communityId, 'fee item')
      await tx.query(ARCHIVE, [id])
      const [row] = await tx.query<Row>(GET, [id])
      if (!row) throw notFound('fee item')
      const item = view(row)
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'fee_item.archive',
        object: { type: 'fee_item', id, communityId: item.communityId },
        before: view(before),
        after: item,
        requestId,
      })
      return item
    })
  }
}
