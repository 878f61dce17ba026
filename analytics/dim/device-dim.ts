/**
 * `device_dim` in ClickHouse from the device registry in PostgreSQL: each device's building, unit, gate, parking
 * lot and zone, so that KPIs group in the engine. A zone is a gate (for counters at a gate) or the open area whose
 * polygon holds the device (plaza counters); a barrier's capacity is the number of spaces of its lot. Run at
 * start-up and whenever devices change; each sync replaces every row (ReplacingMergeTree, newest insert wins).
 */
import type { ClickHouse, Polygon, Postgres, Vec2 } from '../../data/index.ts'
import { pointInPolygon, polygonArea } from '../../data/index.ts'

const DEVICES = `
SELECT id, community_id AS "communityId", kind, x, y, building_id AS "buildingId", unit_id AS "unitId",
       gate_id AS "gateId", lot_id AS "lotId", public
FROM devices WHERE archived_at IS NULL`
const AREAS = `SELECT id, community_id AS "communityId", polygon FROM areas WHERE archived_at IS NULL`
const LOT_SPACES = `SELECT lot_id AS "lotId", count(*)::int AS spaces FROM parking_spaces
  WHERE archived_at IS NULL GROUP BY lot_id`

export interface DimDevice {
  readonly id: string
  readonly communityId: string
  readonly kind: string
  readonly x: number
  readonly y: number
  readonly buildingId: string | null
  readonly unitId: string | null
  readonly gateId: string | null
  readonly lotId: string | null
  readonly public: boolean
}

export interface DimArea {
  readonly id: string
  readonly communityId: string
  readonly polygon: Polygon
}

export interface DeviceDimRow {
  readonly community_id: string
  readonly device_id: string
  readonly kind: string
  readonly building_id: string
  readonly unit_id: string
  readonly gate_id: string
  readonly lot_id: string
  readonly zone_id: string
  readonly zone_area_m2: number
  readonly capacity: number
  readonly public: number
  readonly version: number
}

/** The dimension rows of `devices`. Pure. */
export function deviceDimRows(
  devices: readonly DimDevice[],
  areas: readonly DimArea[],
  lotSpaces: ReadonlyMap<string, number>,
  version: number,
): DeviceDimRow[] {
  const areasByCommunity = new Map<string, { id: string; polygon: Polygon; area: number }[]>()
  for (const a of areas) {
    const list = areasByCommunity.get(a.communityId) ?? []
    list.push({ id: a.id, polygon: a.polygon, area: Math.round(polygonArea(a.polygon) * 100) / 100 })
    areasByCommunity.set(a.communityId, list)
  }
  return devices.map((d) => {
    let zone = ''
    let zoneArea = 0
    if (d.gateId) zone = d.gateId
    else {
      const point: Vec2 = [d.x, d.y]
      const area = areasByCommunity.get(d.communityId)?.find((a) => pointInPolygon(point, a.polygon))
      if (area) {
        zone = area.id
        zoneArea = area.area
      }
    }
    return {
      community_id: d.communityId,
      device_id: d.id,
      kind: d.kind,
      building_id: d.buildingId ?? '',
      unit_id: d.unitId ?? '',
      gate_id: d.gateId ?? '',
      lot_id: d.lotId ?? '',
      zone_id: zone,
      zone_area_m2: zoneArea,
      capacity: d.lotId ? (lotSpaces.get(d.lotId) ?? 0) : 0,
      public: d.public ? 1 : 0,
      version,
    }
  })
}

/** Inserts dimension rows (in chunks). */
export async function writeDeviceDim(clickhouse: ClickHouse, dim: readonly DeviceDimRow[]): Promise<void> {
  for (let i = 0; i < dim.length; i += 50_000) {
    await clickhouse.client.insert({
      table: 'device_dim',
      values: dim.slice(i, i + 50_000),
      format: 'JSONEachRow',
    })
  }
}

/** Reads the registry from PostgreSQL and writes `device_dim`; returns the number of devices. */
export async function syncDeviceDim(db: Postgres, clickhouse: ClickHouse, now = Date.now()): Promise<number> {
  const [devices, areas, spaces] = await Promise.all([
    db.query<DimDevice>(DEVICES),
    db.query<DimArea>(AREAS),
    db.query<{ lotId: string; spaces: number }>(LOT_SPACES),
  ])
  const dim = deviceDimRows(devices, areas, new Map(spaces.map((s) => [s.lotId, s.spaces])), now)
  await writeDeviceDim(clickhouse, dim)
  return dim.length
}
