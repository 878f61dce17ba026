/**
 * Walking distance to facilities: for each kind of facility (gates, fitness areas, green belts, kindergarten,
 * shops, waste stations...), the walking distance from each residential building's entrance to the nearest one,
 * along the floor fields (so round buildings and through the gates' openings), weighted by households.
 */
import type { Community } from '../../data/community/types.ts'
import { communityGeometry, entrancePoint } from './community-geometry.ts'
import { defaultModelParams } from './model-params.ts'
import { quantile } from './stats.ts'
import { buildWorld } from './world.ts'

/** Distances to the nearest facility of one kind. */
export interface FacilityAccess {
  readonly kind: string
  /** Household-weighted mean walking distance, metres. */
  readonly mean: number
  readonly p95: number
  readonly max: number
  /** Households with no walkable route to any facility of the kind. */
  readonly unreachable: number
}

/** Walking distances from homes to the nearest facility of each kind present in the community. */
export function walkingDistances(community: Community): FacilityAccess[] {
  const geo = communityGeometry(community)
  const world = buildWorld(
    { walls: geo.walls, obstacles: geo.obstacles, targets: geo.targets, cell: 0.5 },
    defaultModelParams,
  )
  const kindOf = new Map<string, string>()
  for (const g of community.gates) if (geo.gateTarget.has(g.id)) kindOf.set(geo.gateTarget.get(g.id)!, 'gate')
  for (const a of community.areas) kindOf.set(`area:${a.id}`, a.kind)
  for (const b of community.buildings)
    if (b.kind !== 'tower' && b.kind !== 'walkup') kindOf.set(geo.buildingTarget.get(b.id)!, b.kind)
  const kinds = [...new Set(kindOf.values())].sort()
  const householdsAt = new Map<string, number>()
  const unitBuilding = new Map(community.units.map((u) => [u.id, `${u.buildingId}#${u.entrance}`]))
  for (const h of community.households) {
    if (h.tenure === 'vacant') continue
    const key = unitBuilding.get(h.unitId)
    if (key) householdsAt.set(key, (householdsAt.get(key) ?? 0) + 1)
  }
  const buildings = new Map(community.buildings.map((b) => [b.id, b]))
  return kinds.map((kind) => {
    const fields = world.targets.filter((t) => kindOf.get(t.id) === kind).map((t) => t.field)
    const values: number[] = []
    let weighted = 0
    let weight = 0
    let unreachable = 0
    for (const [key, n] of householdsAt) {
      const [bid, entrance] = key.split('#')
      const b = buildings.get(bid!)
      if (!b) continue
      const [x, y] = entrancePoint(b, Number(entrance))
      let d = Infinity
      for (const f of fields) d = Math.min(d, world.fields.distanceAt(f, x, y))
      if (d === Infinity) {
        unreachable += n
        continue
      }
      for (let k = 0; k < n; k++) values.push(d)
      weighted += d * n
      weight += n
    }
    const r1 = (v: number): number => Math.round(v * 10) / 10
    return {
      kind,
      mean: weight > 0 ? r1(weighted / weight) : Number.NaN,
      p95: r1(quantile(values, 0.95)),
      max: r1(values.length > 0 ? Math.max(...values) : Number.NaN),
      unreachable,
    }
  })
}
