/**
 * Where automatic meter readings come from: the cumulative counters of the meters in the telemetry store. Behind a
 * small interface so that billing reads ClickHouse (or chDB, in tests and the embedded default) through one query
 * and knows nothing else about it.
 */
import type { ClickHouse } from '../../data/index.ts'

export type MeterKind = 'electricity_meter' | 'water_meter'

/** The cumulative metric each meter kind reports (see ingest/simulator/meter.ts). */
export const meterMetric: Readonly<Record<MeterKind, string>> = {
  electricity_meter: 'energy_kwh',
  water_meter: 'volume_m3',
}

export interface MeterValue {
  /** The cumulative counter (kWh or m³). */
  readonly value: number
  /** When it was read (epoch ms). */
  readonly ts: number
}

export interface MeterSource {
  /**
   * The last cumulative value of every meter of `kind` in the community at or before `at`, looking back at most
   * `lookbackMs`. Meters without a value in that window are absent from the map.
   */
  readingsAt(q: {
    readonly communityId: string
    readonly kind: MeterKind
    readonly at: Date
    readonly lookbackMs: number
  }): Promise<Map<string, MeterValue>>
}

const LAST_VALUES = `
SELECT device_id AS deviceId,
       argMax(m[{metric:String}], ts) AS counter,
       toUnixTimestamp64Milli(max(ts)) AS readAt
FROM telemetry
WHERE community_id = {community:String} AND kind = {kind:String}
  AND ts <= fromUnixTimestamp64Milli({at:Int64}, 'UTC')
  AND ts > fromUnixTimestamp64Milli({since:Int64}, 'UTC')
  AND mapContains(m, {metric:String})
GROUP BY device_id`

/** Meter readings from the ClickHouse `telemetry` table (server or chDB: the same client and SQL). */
export class ClickHouseMeterSource implements MeterSource {
  constructor(private readonly store: ClickHouse) {}

  async readingsAt(q: {
    readonly communityId: string
    readonly kind: MeterKind
    readonly at: Date
    readonly lookbackMs: number
  }): Promise<Map<string, MeterValue>> {
    const at = q.at.getTime()
    const result = await this.store.client.query({
      query: LAST_VALUES,
      format: 'JSONEachRow',
      query_params: {
        metric: meterMetric[q.kind],
        community: q.communityId,
        kind: q.kind,
        at,
        since: at - q.lookbackMs,
      },
    })
    const rows = await result.json<{ deviceId: string; counter: number; readAt: number }>()
    return new Map(rows.map((r) => [r.deviceId, { value: Number(r.counter), ts: Number(r.readAt) }]))
  }
}

/** A source with no readings (no telemetry store configured): every meter reads as missing. */
export const noMeterSource: MeterSource = {
  readingsAt: () => Promise.resolve(new Map()),
}
