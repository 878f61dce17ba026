/**
 * Test and benchmark support for billing: a chDB telemetry store with our ClickHouse schema, and meter telemetry
 * written into it the way the ingest writes it (one `telemetry` row per message, cumulative counters in `m`), so
 * that readings are collected from a real store.
 */
import {
  createLogger,
  migrateClickHouse,
  openClickHouse,
  type ClickHouse,
  type Postgres,
  type Stores,
} from '../../data/index.ts'
import { createApp } from '../app.ts'
import type { Fixture } from '../testing/fixture.ts'
import { billingFor } from './billing.ts'
import { meterMetric, type MeterKind } from './meter-source.ts'

/** Opens chDB at `dir` (one per process) with the telemetry schema. */
export async function openTelemetryStore(dir: string, database = 'billing'): Promise<ClickHouse> {
  const store = await openClickHouse({ kind: 'chdb', path: dir, database })
  await migrateClickHouse(store)
  return store
}

export interface Meter {
  readonly id: string
  readonly kind: MeterKind
  readonly public: boolean
  readonly unitId: string | null
  readonly buildingId: string | null
  /** Position in id order among the community's meters. */
  readonly index: number
}

/** The counter a meter reports just before the cycle opens and just before it closes (null: nothing sent). */
export interface MeterPlan {
  readonly open: number | null
  readonly close: number | null
}

const METERS = `SELECT id, kind, public, unit_id AS "unitId", building_id AS "buildingId" FROM devices
  WHERE community_id = $1 AND kind IN ('electricity_meter', 'water_meter') AND archived_at IS NULL ORDER BY id`

/** The community's meters, in id order. */
export async function metersOf(db: Postgres, communityId: string): Promise<Meter[]> {
  const rows = await db.query<Omit<Meter, 'index'>>(METERS, [communityId])
  return rows.map((r, index) => ({ ...r, index }))
}

/** Writes each meter's planned counters half an hour before `start` and before `end`; returns the meters. */
export async function seedMeterTelemetry(
  store: ClickHouse,
  db: Postgres,
  q: { communityId: string; start: Date; end: Date; plan: (meter: Meter) => MeterPlan; seq?: number },
): Promise<Meter[]> {
  const meters = await metersOf(db, q.communityId)
  const values: Record<string, unknown>[] = []
  const seq = q.seq ?? 1
  for (const meter of meters) {
    const plan = q.plan(meter)
    const points: [Date, number | null][] = [
      [q.start, plan.open],
      [q.end, plan.close],
    ]
    points.forEach(([at, value], k) => {
      if (value === null) return
      const ts = at.getTime() - 30 * 60_000
      values.push({
        community_id: q.communityId,
        kind: meter.kind,
        device_id: meter.id,
        ts,
        seq: seq + k,
        m: { [meterMetric[meter.kind]]: value },
        received_at: ts,
      })
    })
  }
  await store.client.insert({ table: 'telemetry', values, format: 'JSONEachRow' })
  return meters
}

/** An answer of the API: the expected body, or the error shape. */
export type Answer<T> = T & {
  readonly error?: { readonly code: string; readonly message: string; readonly requestId?: string }
}

/** The fixture's app again, with `store` as its telemetry store, and the billing services it uses. */
export function appWithTelemetry(f: Pick<Fixture, 'db' | 'platform' | 'config'>, store: ClickHouse) {
  const stores: Stores = {
    postgres: f.db,
    pii: f.platform.pii,
    clickhouse: store,
    influx: null,
    close: () => Promise.resolve(),
  }
  const app = createApp({
    stores,
    log: createLogger({ level: 'silent' }),
    config: f.config,
    platform: f.platform,
  })
  const billing = billingFor(f.platform, { clickhouse: store })
  /** Calls the app as `token` (none: anonymous) with a JSON body or raw text; `T` is the expected answer. */
  const call = async <T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Answer<T> }> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body: string | undefined = options.raw
    if (options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    const response = await app.request(`/api/v1${path}`, { method, headers, body })
    const text = await response.text()
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Answer<T> }
  }
  return { app, billing, call }
}
