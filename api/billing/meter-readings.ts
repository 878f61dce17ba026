/**
 * Meter readings of a cycle: collected from telemetry at cycle close (the last cumulative value of each unit and
 * public meter before the month ends, against the previous cycle's reading or, for a first cycle, the value at the
 * month's start), or entered by hand. Each reading is checked for plausibility (plausibility.ts); a flagged
 * reading blocks billing until someone enters the right value or accepts it as it is.
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { requireCommunity } from './access.ts'
import { cycleBounds, type Cycle, type CycleService } from './cycles.ts'
import type { MeterKind, MeterSource, MeterValue } from './meter-source.ts'
import {
  assessReading,
  defaultPlausibility,
  median,
  round4,
  type PlausibilityOptions,
  type ReadingFlag,
} from './plausibility.ts'

export interface Reading {
  readonly id: number
  readonly cycleId: string
  readonly deviceId: string
  readonly meterKind: MeterKind
  readonly public: boolean
  readonly buildingId: string | null
  readonly unitId: string | null
  readonly previousValue: number | null
  readonly value: number | null
  readonly usage: number | null
  readonly source: 'telemetry' | 'manual'
  readonly flag: ReadingFlag | null
  readonly accepted: boolean
}

export interface CollectSummary {
  readonly meters: number
  readonly read: number
  readonly flagged: Readonly<Record<ReadingFlag, number>>
}

const KINDS: readonly MeterKind[] = ['electricity_meter', 'water_meter']
/** How far before a first cycle's start a meter's opening value may be. */
const OPENING_LOOKBACK_MS = 35 * 86_400_000

const METERS = `SELECT id, kind, building_id, unit_id, public FROM devices
  WHERE community_id = $1 AND kind = ANY($2::text[]) AND archived_at IS NULL
    AND (unit_id IS NOT NULL OR (public AND building_id IS NOT NULL))
  ORDER BY id`
const PREVIOUS_READINGS = `SELECT r.device_id, r.value::float8 AS value, r.usage::float8 AS usage
  FROM meter_readings r
  WHERE r.cycle_id = (SELECT id FROM billing_cycles WHERE community_id = $1 AND period < ($2 || '-01')::date
                      ORDER BY period DESC LIMIT 1)`
// Readings entered or accepted by hand are kept when telemetry is collected again.
const UPSERT = `INSERT INTO meter_readings (cycle_id, community_id, building_id, unit_id, device_id, meter_kind, public,
    previous_value, value, usage, read_at, source, flag)
  SELECT $1, $2, t.building_id, t.unit_id, t.device_id, t.meter_kind, t.public, t.previous_value, t.value, t.usage,
    t.read_at, 'telemetry', t.flag
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::numeric[], $9::numeric[],
              $10::numeric[], $11::timestamptz[], $12::text[])
    AS t (building_id, unit_id, device_id, meter_kind, public, previous_value, value, usage, read_at, flag)
  ON CONFLICT (cycle_id, device_id) DO UPDATE SET previous_value = excluded.previous_value, value = excluded.value,
    usage = excluded.usage, read_at = excluded.read_at, flag = excluded.flag, updated_at = now()
  WHERE meter_readings.source = 'telemetry' AND NOT meter_readings.accepted`
const COLUMNS = `id, cycle_id AS "cycleId", device_id AS "deviceId", meter_kind AS "meterKind", public,
  building_id AS "buildingId", unit_id AS "unitId", previous_value::float8 AS "previousValue",
  value::float8 AS value, usage::float8 AS usage, source, flag, accepted`
const LIST = `SELECT ${COLUMNS} FROM meter_readings
  WHERE cycle_id = $1 AND id > $2 AND (NOT $3 OR (flag IS NOT NULL AND NOT accepted)) ORDER BY id LIMIT $4`
const GET = `SELECT ${COLUMNS} FROM meter_readings WHERE id = $1`
const BY_DEVICE = `SELECT ${COLUMNS} FROM meter_readings WHERE cycle_id = $1 AND device_id = $2 FOR UPDATE`
const DEVICE = `SELECT id, kind, building_id, unit_id, public FROM devices
  WHERE id = $1 AND community_id = $2 AND kind = ANY($3::text[]) AND archived_at IS NULL`
const ENTER = `INSERT INTO meter_readings (cycle_id, community_id, building_id, unit_id, device_id, meter_kind, public,
    previous_value, value, usage, read_at, source, entered_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), 'manual', $11)
  ON CONFLICT (cycle_id, device_id) DO UPDATE SET previous_value = excluded.previous_value, value = excluded.value,
    usage = excluded.usage, read_at = excluded.read_at, source = 'manual', flag = NULL, accepted = false,
    entered_by = excluded.entered_by, updated_at = now()
  RETURNING id`
const ACCEPT = `UPDATE meter_readings SET accepted = true, entered_by = $2, updated_at = now() WHERE id = $1`
const MARK_COLLECTED = 'UPDATE billing_cycles SET readings_at = now() WHERE id = $1'

interface Meter {
  id: string
  kind: MeterKind
  building_id: string | null
  unit_id: string | null
  public: boolean
}

export interface ReadingDeps {
  readonly db: Postgres
  readonly auditor: Auditor
  readonly cycles: CycleService
  readonly source: MeterSource
  readonly timezone: string
  readonly plausibility?: PlausibilityOptions
}

export class ReadingService {
  constructor(private readonly deps: ReadingDeps) {}

  private async openCycle(auth: AuthContext, cycleId: string): Promise<Cycle> {
    const cycle = await this.deps.cycles.get(auth, cycleId)
    if (cycle.status !== 'open') throw conflict('the cycle is billed; its readings are final', 'cycle_billed')
    return cycle
  }

  /** Reads every meter of the community from telemetry at the cycle's close and flags implausible readings. */
  async collect(auth: AuthContext, cycleId: string, requestId: string | null): Promise<CollectSummary> {
    const cycle = await this.openCycle(auth, cycleId)
    const { db, source } = this.deps
    const { start, end } = await cycleBounds(db, cycle.period, this.deps.timezone)
    const meters = await db.query<Meter>(METERS, [cycle.communityId, KINDS])
    const earlier = new Map(
      (
        await db.query<{ device_id: string; value: number | null; usage: number | null }>(PREVIOUS_READINGS, [
          cycle.communityId,
          cycle.period,
        ])
      ).map((r) => [r.device_id, r]),
    )
    // A closing value must come from within the cycle: a meter that last reported before it is missing, not idle.
    const closing = new Map<MeterKind, Map<string, MeterValue>>()
    const opening = new Map<MeterKind, Map<string, MeterValue>>()
    for (const kind of KINDS) {
      const q = { communityId: cycle.communityId, kind }
      closing.set(
        kind,
        await source.readingsAt({ ...q, at: end, lookbackMs: end.getTime() - start.getTime() }),
      )
      opening.set(kind, await source.readingsAt({ ...q, at: start, lookbackMs: OPENING_LOOKBACK_MS }))
    }
    const rows = meters.map((m) => {
      const before = earlier.get(m.id)
      const previous = before?.value ?? opening.get(m.kind)?.get(m.id)?.value ?? null
      const now = closing.get(m.kind)?.get(m.id) ?? null
      return { meter: m, previous, now, previousUsage: before?.usage ?? null }
    })
    // Typical use per kind, from the unit meters with a non-negative use this cycle.
    const typical = new Map<MeterKind, number | null>()
    for (const kind of KINDS) {
      const uses = rows
        .filter((r) => r.meter.kind === kind && !r.meter.public && r.previous !== null && r.now)
        .map((r) => round4((r.now?.value ?? 0) - (r.previous ?? 0)))
        .filter((u) => u >= 0)
      typical.set(kind, median(uses))
    }
    const flagged: Record<ReadingFlag, number> = { negative: 0, jump: 0, stuck: 0, missing: 0 }
    const columns = Array.from({ length: 10 }, () => [] as unknown[])
    let read = 0
    for (const r of rows) {
      const assessed = assessReading(
        {
          kind: r.meter.kind,
          previous: r.previous,
          value: r.now?.value ?? null,
          previousUsage: r.previousUsage,
          typicalUsage: r.meter.public ? null : (typical.get(r.meter.kind) ?? null),
        },
        this.deps.plausibility ?? defaultPlausibility,
      )
      if (r.now) read++
      if (assessed.flag) flagged[assessed.flag]++
      const values = [
        r.meter.building_id,
        r.meter.unit_id,
        r.meter.id,
        r.meter.kind,
        r.meter.public,
        r.previous,
        r.now?.value ?? null,
        assessed.usage,
        r.now ? new Date(r.now.ts) : null,
        assessed.flag,
      ]
      values.forEach((v, i) => columns[i]?.push(v))
    }
    const summary: CollectSummary = { meters: meters.length, read, flagged }
    await db.transaction(async (tx) => {
      await tx.query(UPSERT, [cycle.id, cycle.communityId, ...columns])
      await tx.query(MARK_COLLECTED, [cycle.id])
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'billing_cycle.collect_readings',
        object: { type: 'billing_cycle', id: cycle.id, communityId: cycle.communityId },
        after: summary,
        requestId,
      })
    })
    return summary
  }

  /** A page of the cycle's readings (only those still blocking billing, with `flagged`). */
  async list(
    auth: AuthContext,
    cycleId: string,
    q: { flagged: boolean; after: number; limit: number },
  ): Promise<{ items: Reading[]; next: number | null }> {
    await this.deps.cycles.get(auth, cycleId)
    const items = await this.deps.db.query<Reading>(LIST, [cycleId, q.after, q.flagged, q.limit])
    return { items, next: items.length === q.limit ? (items.at(-1)?.id ?? null) : null }
  }

  /** Enters a meter's value by hand (replacing a telemetry reading); `previousValue` for a replaced meter. */
  async enter(
    auth: AuthContext,
    cycleId: string,
    deviceId: string,
    input: { value: number; previousValue?: number },
    requestId: string | null,
  ): Promise<Reading> {
    const cycle = await this.openCycle(auth, cycleId)
    return this.deps.db.transaction(async (tx) => {
      const [meter] = await tx.query<Meter>(DEVICE, [deviceId, cycle.communityId, KINDS])
      if (!meter) throw notFound('meter')
      const [before] = await tx.query<Reading>(BY_DEVICE, [cycleId, deviceId])
      const previous = input.previousValue ?? before?.previousValue ?? null
      if (previous === null) throw badRequest('previousValue: this meter has no earlier reading')
      const usage = round4(input.value - previous)
      if (usage < 0)
        throw badRequest('value: below the previous reading (give previousValue for a new meter)')
      const [row] = await tx.query<{ id: number }>(ENTER, [
        cycleId,
        cycle.communityId,
        meter.building_id,
        meter.unit_id,
        meter.id,
        meter.kind,
        meter.public,
        previous,
        input.value,
        usage,
        auth.userId,
      ])
      const [after] = await tx.query<Reading>(GET, [row?.id])
      if (!after) throw new Error('reading not stored')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'meter_reading.enter',
        object: { type: 'meter_reading', id: String(after.id), communityId: cycle.communityId },
        before: before ?? null,
        after,
        requestId,
      })
      return after
    })
  }

  /** Accepts a reading flagged as a jump or a stuck meter as it is. */
  async accept(auth: AuthContext, id: number, requestId: string | null): Promise<Reading> {
    return this.deps.db.transaction(async (tx) => {
      const [before] = await tx.query<Reading>(`${GET} FOR UPDATE`, [id])
      if (!before) throw notFound('meter reading')
      const cycle = await this.deps.cycles.get(auth, before.cycleId, tx)
      requireCommunity(auth, cycle.communityId, 'meter reading')
      if (cycle.status !== 'open')
        throw conflict('the cycle is billed; its readings are final', 'cycle_billed')
      if (before.flag !== 'jump' && before.flag !== 'stuck') {
        throw conflict('only a jump or a stuck meter can be accepted as read; enter the value by hand')
      }
      await tx.query(ACCEPT, [id, auth.userId])
      const [after] = await tx.query<Reading>(GET, [id])
      if (!after) throw notFound('meter reading')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'meter_reading.accept',
        object: { type: 'meter_reading', id: String(id), communityId: cycle.communityId },
        before,
        after,
        requestId,
      })
      return after
    })
  }
}
