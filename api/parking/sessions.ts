/**
 * Parking sessions: a barrier entry opens one (monthly when the plate has an active permit for the lot that day,
 * temporary otherwise), the exit closes it with its fee by the lot's tariff (or the community's default tariff;
 * no tariff means free). A new entry for a plate already inside abandons the old session (its exit was missed)
 * rather than billing a stay nobody saw end. Guards enter passages by hand when a barrier is down, and take
 * payment of temporary fees; both are audited.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, scopeCondition } from '../auth/scope.ts'
import { conflict, notFound } from '../http/errors.ts'
import { isBlocked, normalisePlate } from '../access/blocklist.ts'
import { sortableId } from '../notices/sortable-id.ts'
import { stayMinutes, temporaryFee, type Tariff } from './tariff.ts'

export interface SessionView {
  readonly id: string
  readonly communityId: string
  readonly lotId: string
  readonly plate: string
  readonly kind: 'monthly' | 'temporary'
  readonly permitId: string | null
  readonly status: 'open' | 'closed' | 'abandoned'
  readonly enteredAt: string
  readonly exitedAt: string | null
  /** The fee at exit; for an open temporary session, what it would be now. */
  readonly feeFen: number | null
  readonly paidAt: string | null
  readonly source: 'barrier' | 'manual'
}

interface Row {
  id: string
  community_id: string
  lot_id: string
  plate: string
  kind: 'monthly' | 'temporary'
  permit_id: string | null
  status: 'open' | 'closed' | 'abandoned'
  entered_at: Date
  exited_at: Date | null
  fee_fen: number | null
  paid_at: Date | null
  source: 'barrier' | 'manual'
}

const COLUMNS = `id, community_id, lot_id, plate, kind, permit_id, status, entered_at, exited_at, fee_fen, paid_at,
  source`
const OPEN = `SELECT ${COLUMNS} FROM parking_sessions WHERE lot_id = $1 AND plate = $2 AND status = 'open' FOR UPDATE`
const ABANDON = `UPDATE parking_sessions SET status = 'abandoned' WHERE id = $1`
const PERMIT = `SELECT id FROM parking_permits WHERE lot_id = $1 AND plate = $2 AND status = 'active'
  AND starts_on <= $3::date AND ends_on >= $3::date ORDER BY id LIMIT 1`
const OPEN_SESSION = `INSERT INTO parking_sessions (id, community_id, lot_id, plate, kind, permit_id, entered_at, source)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`
const CLOSE_SESSION = `UPDATE parking_sessions SET status = 'closed', exited_at = $2, fee_fen = $3 WHERE id = $1
  RETURNING ${COLUMNS}`
const TARIFF = `SELECT free_minutes, hourly_fen, daily_cap_fen FROM parking_tariffs
  WHERE community_id = $1 AND (lot_id = $2 OR lot_id IS NULL) ORDER BY lot_id NULLS LAST LIMIT 1`
const LOT = 'SELECT community_id FROM parking_lots WHERE id = $1 AND archived_at IS NULL'
const SELECT = `SELECT ${COLUMNS} FROM parking_sessions WHERE id = $1`
const LOCK = `SELECT ${COLUMNS} FROM parking_sessions WHERE id = $1 FOR UPDATE`
const PAY = `UPDATE parking_sessions SET paid_at = now(), paid_by = $2 WHERE id = $1 RETURNING ${COLUMNS}`
const MANUAL_EVENT = `INSERT INTO access_events (community_id, lot_id, at, type, direction, method, plate, result, reason)
  VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7, $8)`

/** The tariff of a lot (its own, else the community default), or null. */
export async function tariffOf(sql: Sql, communityId: string, lotId: string): Promise<Tariff | null> {
  const [row] = await sql.query<{ free_minutes: number; hourly_fen: number; daily_cap_fen: number }>(TARIFF, [
    communityId,
    lotId,
  ])
  return row
    ? {
        freeMinutes: row.free_minutes,
        hourlyFen: Number(row.hourly_fen),
        dailyCapFen: Number(row.daily_cap_fen),
      }
    : null
}

/** Applies one barrier passage; returns the session it opened or closed (null for an exit with no entry). */
export async function applyBarrier(
  tx: Sql,
  passage: { communityId: string; lotId: string; plate: string; at: Date; direction: 'in' | 'out' },
  source: 'barrier' | 'manual' = 'barrier',
): Promise<Row | null> {
  const [open] = await tx.query<Row>(OPEN, [passage.lotId, passage.plate])
  if (passage.direction === 'in') {
    if (open) await tx.query(ABANDON, [open.id])
    const [permit] = await tx.query<{ id: string }>(PERMIT, [passage.lotId, passage.plate, passage.at])
    const [row] = await tx.query<Row>(OPEN_SESSION, [
      sortableId('ps', passage.at.getTime()),
      passage.communityId,
      passage.lotId,
      passage.plate,
      permit ? 'monthly' : 'temporary',
      permit?.id ?? null,
      passage.at,
      source,
    ])
    return row ?? null
  }
  if (!open) return null
  const exitedAt = passage.at < open.entered_at ? open.entered_at : passage.at
  let fee = 0
  if (open.kind === 'temporary') {
    const tariff = await tariffOf(tx, open.community_id, open.lot_id)
    fee = tariff ? temporaryFee(stayMinutes(open.entered_at, exitedAt), tariff) : 0
  }
  const [row] = await tx.query<Row>(CLOSE_SESSION, [open.id, exitedAt, fee])
  return row ?? null
}

export class SessionService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  private async view(sql: Sql, r: Row): Promise<SessionView> {
    let fee = r.fee_fen
    if (r.status === 'open' && r.kind === 'temporary') {
      const tariff = await tariffOf(sql, r.community_id, r.lot_id)
      fee = tariff
        ? temporaryFee(
            stayMinutes(r.entered_at, new Date(Math.max(Date.now(), r.entered_at.getTime()))),
            tariff,
          )
        : 0
    }
    return {
      id: r.id,
      communityId: r.community_id,
      lotId: r.lot_id,
      plate: r.plate,
      kind: r.kind,
      permitId: r.permit_id,
      status: r.status,
      enteredAt: r.entered_at.toISOString(),
      exitedAt: r.exited_at?.toISOString() ?? null,
      feeFen: fee === null ? null : Number(fee),
      paidAt: r.paid_at?.toISOString() ?? null,
      source: r.source,
    }
  }

  async list(
    auth: AuthContext,
    filter: {
      lotId?: string | undefined
      status?: string | undefined
      plate?: string | undefined
      before?: string | undefined
      limit: number
    },
  ): Promise<SessionView[]> {
    const params: unknown[] = []
    const where = [scopeCondition(auth.scope, { community: 'community_id' }, params)]
    for (const [column, value] of [
      ['lot_id', filter.lotId],
      ['status', filter.status],
      ['plate', filter.plate === undefined ? undefined : normalisePlate(filter.plate)],
    ] as const) {
      if (value === undefined) continue
      params.push(value)
      where.push(`${column} = $${params.length}`)
    }
    if (filter.before !== undefined) {
      params.push(filter.before)
      where.push(`id < $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM parking_sessions WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return Promise.all(rows.map((r) => this.view(this.db, r)))
  }

  async get(auth: AuthContext, id: string): Promise<SessionView> {
    const [row] = await this.db.query<Row>(SELECT, [id])
    if (!row || !coversCommunity(auth.scope, row.community_id)) throw notFound('parking session')
    return this.view(this.db, row)
  }

  /**
   * A passage entered by a guard (barrier down, plate not read): recorded as an access event and applied like a
   * barrier's. A blocklisted plate is refused (409 `blocklisted`); an exit without an entry is 409 `no_open_session`.
   */
  async manual(
    auth: AuthContext,
    input: { lotId: string; plate: string; direction: 'in' | 'out'; at?: string | undefined },
    requestId: string | null,
  ): Promise<SessionView> {
    const plate = normalisePlate(input.plate)
    const at = input.at ? new Date(input.at) : new Date()
    const outcome = await this.db.transaction(async (tx) => {
      const [lot] = await tx.query<{ community_id: string }>(LOT, [input.lotId])
      if (!lot || !coversCommunity(auth.scope, lot.community_id)) throw notFound('parking lot')
      const type = input.direction === 'in' ? 'vehicle.entry' : 'vehicle.exit'
      const event = [lot.community_id, input.lotId, at, type, input.direction, plate]
      if (input.direction === 'in' && (await isBlocked(tx, lot.community_id, { plate }))) {
        // The refusal is an access event too: committed, then answered with 409.
        await tx.query(MANUAL_EVENT, [...event, 'denied', 'blocklisted'])
        return null
      }
      const row = await applyBarrier(
        tx,
        { communityId: lot.community_id, lotId: input.lotId, plate, at, direction: input.direction },
        'manual',
      )
      if (!row) throw conflict('the vehicle has no open session in this lot', 'no_open_session')
      await tx.query(MANUAL_EVENT, [...event, 'granted', null])
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: `parking.manual_${input.direction === 'in' ? 'entry' : 'exit'}`,
        object: { type: 'parking_session', id: row.id, communityId: row.community_id },
        after: row,
        requestId,
      })
      return this.view(tx, row)
    })
    if (!outcome) throw conflict('the vehicle is on the blocklist', 'blocklisted')
    return outcome
  }

  /** Takes payment of a closed temporary session's fee (409 when open, free or already paid). */
  async pay(auth: AuthContext, id: string, requestId: string | null): Promise<SessionView> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !coversCommunity(auth.scope, before.community_id)) throw notFound('parking session')
      if (before.status !== 'closed') throw conflict('the session is not closed', 'not_closed')
      if (before.paid_at) throw conflict('the fee is already paid', 'already_paid')
      if (!before.fee_fen) throw conflict('there is nothing to pay', 'nothing_to_pay')
      const [row] = await tx.query<Row>(PAY, [id, auth.userId])
      if (!row) throw notFound('parking session')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'parking.pay',
        object: { type: 'parking_session', id: row.id, communityId: row.community_id },
        before,
        after: row,
        requestId,
      })
      return this.view(tx, row)
    })
  }
}
