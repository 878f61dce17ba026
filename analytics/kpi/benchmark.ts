/**
 * Per-household energy benchmarking against similar units: each household's consumption over a window compared
 * with the median of its peers — same community, same number of bedrooms, floor area in the same 20 m² band
 * (widened to bedrooms only when the band has fewer than `minPeers` households). Consumption comes from ClickHouse
 * (per meter); units and households from PostgreSQL, read, not copied.
 */
import type { Postgres } from '../../data/index.ts'
import type { CommunityWindow, KpiContext } from './context.ts'
import { energyByMeter, type MeterEnergy } from './energy.ts'

const UNITS = `
SELECT u.id AS "unitId", h.id AS "householdId", u.building_id AS "buildingId", u.number,
       u.area::float8 AS area, u.bedrooms
FROM units u
JOIN households h ON h.unit_id = u.id AND h.archived_at IS NULL AND h.tenure <> 'vacant'
WHERE u.community_id = $1 AND u.archived_at IS NULL AND u.usage = 'residential'`

export interface UnitInfo {
  readonly unitId: string
  readonly householdId: string
  readonly buildingId: string
  readonly number: string
  readonly area: number
  readonly bedrooms: number
}

export interface HouseholdBenchmark {
  readonly householdId: string
  readonly unitId: string
  readonly buildingId: string
  readonly kwh: number
  readonly kwhPerM2: number
  /** Median kWh of the peer group (the household included). */
  readonly peerMedianKwh: number
  /** kwh / peerMedianKwh (null when the median is 0). */
  readonly ratio: number | null
  /** Share of peers using less, 0..1. */
  readonly percentile: number
  readonly peers: number
  readonly peerGroup: string
}

const AREA_BAND_M2 = 20

function median(sorted: readonly number[]): number {
  const n = sorted.length
  if (n === 0) return 0
  const mid = Math.floor(n / 2)
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits

/** Compares every metered household with its peers. Pure. */
export function benchmarkHouseholds(
  usage: readonly MeterEnergy[],
  units: readonly UnitInfo[],
  minPeers = 5,
): HouseholdBenchmark[] {
  const kwhByUnit = new Map<string, number>()
  for (const u of usage) if (u.unitId) kwhByUnit.set(u.unitId, (kwhByUnit.get(u.unitId) ?? 0) + u.kwh)
  const metered = units.filter((u) => kwhByUnit.has(u.unitId))
  const groups = new Map<string, number[]>()
  const keyOf = (u: UnitInfo, banded: boolean) =>
    banded ? `${u.bedrooms}br/${Math.floor(u.area / AREA_BAND_M2) * AREA_BAND_M2}m2` : `${u.bedrooms}br`
  for (const u of metered) {
    for (const banded of [true, false]) {
      const key = keyOf(u, banded)
      const list = groups.get(key) ?? []
      list.push(kwhByUnit.get(u.unitId) as number)
      groups.set(key, list)
    }
  }
  for (const list of groups.values()) list.sort((a, b) => a - b)
  return metered
    .map((u) => {
      const kwh = kwhByUnit.get(u.unitId) as number
      let key = keyOf(u, true)
      if ((groups.get(key)?.length ?? 0) < minPeers) key = keyOf(u, false)
      const peers = groups.get(key) as number[]
      const peerMedian = median(peers)
      const below = peers.filter((x) => x < kwh).length
      return {
        householdId: u.householdId,
        unitId: u.unitId,
        buildingId: u.buildingId,
        kwh: round(kwh),
        kwhPerM2: round(kwh / u.area),
        peerMedianKwh: round(peerMedian),
        ratio: peerMedian > 0 ? round(kwh / peerMedian) : null,
        percentile: peers.length > 1 ? round(below / (peers.length - 1)) : 0,
        peers: peers.length,
        peerGroup: key,
      }
    })
    .sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0) || a.householdId.localeCompare(b.householdId))
}

/** Benchmarks the households of a community over whole local days of the window. */
export async function householdBenchmark(
  ctx: KpiContext,
  db: Postgres,
  q: CommunityWindow,
): Promise<HouseholdBenchmark[]> {
  const [usage, units] = await Promise.all([
    energyByMeter(ctx, q),
    db.query<UnitInfo>(UNITS, [q.communityId]),
  ])
  return benchmarkHouseholds(usage, units)
}
