/**
 * Access events from the gates. Gate lanes publish `access.pass` and barriers `vehicle.entry` / `vehicle.exit`
 * (see ingest/simulator/gate.ts); the ingest hands each accepted event to `GateEventFeed` (a stream observer, so
 * the hot path only pushes onto an array), which writes them to PostgreSQL in batches through `ingest()`.
 *
 * Why PostgreSQL and not a query over ClickHouse `device_events`: an access event changes records — a barrier
 * entry opens a parking session, an exit closes it with a fee, a blocklisted plate is denied — and those changes
 * must commit together with the event, be idempotent, and be read with the records' scopes. ClickHouse keeps
 * every event long-term for analytics as before. (deviceId, seq) is unique here, so a redelivered message is
 * stored and applied once.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import type { AuthContext } from '../auth/context.ts'
import { scopeCondition } from '../auth/scope.ts'
import { isBlocked, normalisePlate } from './blocklist.ts'

/** One gate event as the device sent it. */
export interface GateEvent {
  readonly deviceId: string
  readonly seq: number
  readonly ts: number
  readonly type: string
  readonly fields: Readonly<Record<string, unknown>>
}

/** Applies a barrier passage to parking (opens or closes a session); provided by the parking module. */
export type BarrierHandler = (
  tx: Sql,
  passage: { communityId: string; lotId: string; plate: string; at: Date; direction: 'in' | 'out' },
) => Promise<unknown>

export interface AccessEventView {
  readonly id: number
  readonly communityId: string
  readonly deviceId: string | null
  readonly gateId: string | null
  readonly lotId: string | null
  readonly at: string
  readonly type: string
  readonly direction: 'in' | 'out' | null
  readonly method: string | null
  readonly person: string | null
  readonly plate: string | null
  readonly passId: string | null
  readonly result: 'granted' | 'denied'
  readonly reason: string | null
}

interface Row {
  id: number
  community_id: string
  device_id: string | null
  gate_id: string | null
  lot_id: string | null
  at: Date
  type: string
  direction: 'in' | 'out' | null
  method: string | null
  person: string | null
  plate: string | null
  pass_id: string | null
  result: 'granted' | 'denied'
  reason: string | null
}

const GATE_TYPES: ReadonlySet<string> = new Set(['access.pass', 'vehicle.entry', 'vehicle.exit'])
const DEVICES = `SELECT id, community_id, gate_id, lot_id FROM devices
  WHERE id = ANY($1::text[]) AND kind IN ('access_gate', 'parking_barrier')`
const INSERT = `INSERT INTO access_events (community_id, device_id, seq, gate_id, lot_id, at, type, direction, method,
  person, plate, result, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  ON CONFLICT (device_id, seq) WHERE device_id IS NOT NULL DO NOTHING RETURNING id`
const COLUMNS = `id, community_id, device_id, gate_id, lot_id, at, type, direction, method, person, plate, pass_id,
  result, reason`

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value.slice(0, 64) : null)

export interface IngestResult {
  readonly stored: number
  readonly duplicates: number
  /** Not a gate event, or from a device that is not a gate lane or barrier. */
  readonly skipped: number
}

export class GateEventService {
  constructor(
    private readonly db: Postgres,
    private readonly barrier: BarrierHandler,
  ) {}

  /** Stores a batch of gate events and applies barrier passages, in one transaction. Idempotent. */
  async ingest(events: readonly GateEvent[]): Promise<IngestResult> {
    const relevant = events.filter((e) => GATE_TYPES.has(e.type))
    if (relevant.length === 0) return { stored: 0, duplicates: 0, skipped: events.length }
    return this.db.transaction(async (tx) => {
      const devices = new Map(
        (
          await tx.query<{ id: string; community_id: string; gate_id: string | null; lot_id: string | null }>(
            DEVICES,
            [[...new Set(relevant.map((e) => e.deviceId))]],
          )
        ).map((d) => [d.id, d]),
      )
      let stored = 0
      let duplicates = 0
      let skipped = events.length - relevant.length
      for (const event of relevant) {
        const device = devices.get(event.deviceId)
        if (!device) {
          skipped++
          continue
        }
        const vehicle = event.type !== 'access.pass'
        const direction = vehicle
          ? event.type === 'vehicle.entry'
            ? 'in'
            : 'out'
          : text(event.fields.direction)
        const plate = vehicle ? text(event.fields.plate) : null
        const normalised = plate ? normalisePlate(plate) : null
        const denied =
          event.fields.result === 'denied' ||
          (vehicle && direction === 'in' && (await isBlocked(tx, device.community_id, { plate: normalised })))
        const [row] = await tx.query<{ id: number }>(INSERT, [
          device.community_id,
          event.deviceId,
          event.seq,
          device.gate_id,
          device.lot_id,
          new Date(event.ts),
          event.type,
          direction === 'in' || direction === 'out' ? direction : null,
          text(event.fields.method),
          text(event.fields.person),
          normalised,
          denied ? 'denied' : 'granted',
          denied ? (text(event.fields.reason) ?? 'blocklisted') : null,
        ])
        if (!row) {
          duplicates++
          continue
        }
        stored++
        if (
          vehicle &&
          !denied &&
          normalised &&
          device.lot_id &&
          (direction === 'in' || direction === 'out')
        ) {
          await this.barrier(tx, {
            communityId: device.community_id,
            lotId: device.lot_id,
            plate: normalised,
            at: new Date(event.ts),
            direction,
          })
        }
      }
      return { stored, duplicates, skipped }
    })
  }

  /** Access events of the caller's communities, newest first. */
  async list(
    auth: AuthContext,
    filter: {
      communityId?: string | undefined
      gateId?: string | undefined
      lotId?: string | undefined
      type?: string | undefined
      before?: number | undefined
      limit: number
    },
  ): Promise<AccessEventView[]> {
    const params: unknown[] = []
    const where = [scopeCondition(auth.scope, { community: 'community_id' }, params)]
    for (const [column, value] of [
      ['community_id', filter.communityId],
      ['gate_id', filter.gateId],
      ['lot_id', filter.lotId],
      ['type', filter.type],
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
      `SELECT ${COLUMNS} FROM access_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map((r) => ({
      id: Number(r.id),
      communityId: r.community_id,
      deviceId: r.device_id,
      gateId: r.gate_id,
      lotId: r.lot_id,
      at: r.at.toISOString(),
      type: r.type,
      direction: r.direction,
      method: r.method,
      person: r.person,
      plate: r.plate,
      passId: r.pass_id,
      result: r.result,
      reason: r.reason,
    }))
  }
}

/**
 * A stream observer for the ingest (`startIngest({ observers: [feed] })`): keeps gate events in a buffer (no I/O
 * on the hot path) and writes them every `intervalMs`, or at once when `maxBuffered` are waiting. Write failures
 * are reported through `onError` and the batch is kept for the next attempt (up to `maxBacklog` events).
 */
export class GateEventFeed {
  private buffer: GateEvent[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null

  constructor(
    private readonly service: GateEventService,
    private readonly options: {
      readonly intervalMs?: number
      readonly maxBuffered?: number
      /** Events kept while PostgreSQL is unreachable; the oldest are dropped (and counted) beyond it. */
      readonly maxBacklog?: number
      readonly onError?: (error: unknown) => void
    } = {},
  ) {}

  /** Events dropped because the backlog was full. */
  dropped = 0

  telemetry(): void {
    // Gate telemetry (heartbeats, counts) stays in ClickHouse.
  }

  event(
    device: { readonly id: string; readonly kind: string },
    _index: number,
    ts: number,
    type: string,
    item: Readonly<Record<string, unknown>>,
  ): void {
    if (!GATE_TYPES.has(type)) return
    this.buffer.push({ deviceId: device.id, seq: Number(item.seq), ts, type, fields: item })
    if (this.buffer.length >= (this.options.maxBuffered ?? 500)) void this.flush()
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.intervalMs ?? 1000)
    this.timer.unref()
  }

  /** Writes what is buffered; resolves when it is stored (or has failed and been kept). */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing
    if (this.buffer.length === 0) return
    const batch = this.buffer
    this.buffer = []
    this.flushing = this.service
      .ingest(batch)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.buffer = batch.concat(this.buffer)
        const excess = this.buffer.length - (this.options.maxBacklog ?? 50_000)
        if (excess > 0) {
          this.buffer.splice(0, excess)
          this.dropped += excess
        }
        this.options.onError?.(error)
      })
      .finally(() => {
        this.flushing = null
      })
    await this.flushing
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.flush()
  }
}
