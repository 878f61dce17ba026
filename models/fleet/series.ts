/**
 * Hourly aggregates of many devices (the rows of `hourlySql` / `model_features_1h`) turned into one dense hourly
 * grid per device, with prefix sums per window statistic, so the value of any statistic over any window of whole
 * hours is two subtractions and a division. Hours without a row are simply empty (weight 0): an offline or failed
 * device contributes nothing rather than zeros.
 */
import type { WindowStat } from './catalog.ts'

const HOUR = 3_600_000

/** One hourly aggregate row, as read from ClickHouse. Missing aggregates (NaN or null) mean "no sample". */
export interface HourlyRow {
  readonly deviceId: string
  readonly communityId: string
  /** Start of the hour, epoch ms. */
  readonly hour: number
  readonly f: Readonly<Record<string, number | null>>
}

/** One device's hourly grid: prefix sums of each statistic's numerator and denominator. */
export interface DeviceSeries {
  readonly deviceId: string
  readonly communityId: string
  /** Start of the first hour of the grid, epoch ms. */
  readonly start: number
  /** Hours in the grid. */
  readonly length: number
  /** Per statistic: prefix sums [length + 1] of the numerator and of the denominator. */
  readonly num: readonly Float64Array[]
  readonly den: readonly Float64Array[]
  /** Prefix count of hours that had a row. */
  readonly present: Float64Array
  /** Prefix sums of named hourly aggregates (regression sums), non-finite cells counted as 0. */
  readonly columns: ReadonlyMap<string, Float64Array>
  /** Epoch ms of each hour with a scheduled service ending in it (lubrication), ascending. */
  readonly services: readonly number[]
  /** Epoch ms of each hour with a repair ending in it, ascending. */
  readonly repairs: readonly number[]
}

/** The value of an aggregate in a row, NaN when absent. */
export function cell(row: HourlyRow['f'], name: string): number {
  const v = row[name]
  return v === null || v === undefined ? Number.NaN : v
}

/**
 * Groups rows by device and builds each device's grid over [its first hour, `until`) (or its last hour + 1).
 * Rows may come in any order; a duplicated hour keeps the last row seen.
 */
export function buildSeries(
  rows: readonly HourlyRow[],
  stats: readonly WindowStat[],
  until?: number,
  columnNames: readonly string[] = [],
): DeviceSeries[] {
  const byDevice = new Map<string, HourlyRow[]>()
  for (const r of rows) {
    const list = byDevice.get(r.deviceId)
    if (list) list.push(r)
    else byDevice.set(r.deviceId, [r])
  }
  const out: DeviceSeries[] = []
  for (const [deviceId, list] of [...byDevice].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    list.sort((a, b) => a.hour - b.hour)
    const start = Math.floor(list[0]!.hour / HOUR) * HOUR
    const last = Math.floor(list[list.length - 1]!.hour / HOUR) * HOUR
    const end = Math.max(last + HOUR, until ?? 0)
    const length = Math.round((end - start) / HOUR)
    const slot: (HourlyRow | undefined)[] = new Array<HourlyRow | undefined>(length)
    for (const r of list) {
      const i = Math.round((r.hour - start) / HOUR)
      if (i >= 0 && i < length) slot[i] = r
    }
    const num = stats.map(() => new Float64Array(length + 1))
    const den = stats.map(() => new Float64Array(length + 1))
    const present = new Float64Array(length + 1)
    const columns = new Map(columnNames.map((n) => [n, new Float64Array(length + 1)]))
    const services: number[] = []
    const repairs: number[] = []
    for (let i = 0; i < length; i++) {
      const r = slot[i]
      present[i + 1] = present[i]! + (r ? 1 : 0)
      for (let s = 0; s < stats.length; s++) {
        let n = 0
        let d = 0
        if (r) {
          const stat = stats[s]!
          const dv = stat.den(r.f)
          const nv = stat.num(r.f)
          // A statistic counts an hour only when both parts are real numbers and the denominator is positive.
          if (Number.isFinite(dv) && Number.isFinite(nv) && dv > 0) {
            n = nv
            d = dv
          }
        }
        num[s]![i + 1] = num[s]![i]! + n
        den[s]![i + 1] = den[s]![i]! + d
      }
      for (const [name, prefix] of columns) {
        const x = r ? cell(r.f, name) : 0
        prefix[i + 1] = prefix[i]! + (Number.isFinite(x) ? x : 0)
      }
      if (r && cell(r.f, 'services') > 0) services.push(start + i * HOUR)
      if (r && cell(r.f, 'repairs') > 0) repairs.push(start + i * HOUR)
    }
    out.push({
      deviceId,
      communityId: list[0]!.communityId,
      start,
      length,
      num,
      den,
      present,
      columns,
      services,
      repairs,
    })
  }
  return out
}

/**
 * The statistic `s` of `series` over the hours [from, to) (epoch ms, clipped to the grid): numerator sum over
 * denominator sum, NaN when the denominator is below `minDen`.
 */
export function windowValue(
  series: DeviceSeries,
  s: number,
  from: number,
  to: number,
  minDen: number,
): number {
  const a = Math.max(0, Math.min(series.length, Math.round((from - series.start) / HOUR)))
  const b = Math.max(0, Math.min(series.length, Math.round((to - series.start) / HOUR)))
  if (b <= a) return Number.NaN
  const d = series.den[s]![b]! - series.den[s]![a]!
  if (!(d >= minDen) || d <= 0) return Number.NaN
  return (series.num[s]![b]! - series.num[s]![a]!) / d
}

/** The sum of a named column over the hours [from, to) (0 when the column is not kept). */
export function columnSum(series: DeviceSeries, name: string, from: number, to: number): number {
  const prefix = series.columns.get(name)
  if (!prefix) return 0
  const a = Math.max(0, Math.min(series.length, Math.round((from - series.start) / HOUR)))
  const b = Math.max(0, Math.min(series.length, Math.round((to - series.start) / HOUR)))
  return b <= a ? 0 : prefix[b]! - prefix[a]!
}

/** Hours with a row in [from, to). */
export function presentHours(series: DeviceSeries, from: number, to: number): number {
  const a = Math.max(0, Math.min(series.length, Math.round((from - series.start) / HOUR)))
  const b = Math.max(0, Math.min(series.length, Math.round((to - series.start) / HOUR)))
  return b <= a ? 0 : series.present[b]! - series.present[a]!
}
