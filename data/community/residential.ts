/**
 * Residential building types and how many of each a community gets: 6-floor walk-ups (2–3 entrances, two units per
 * landing, no lifts) and 18–33-floor towers (1–2 entrances, 2–4 units per floor, 2–3 lifts each). Footprints are
 * sized from the unit areas, so floor area per floor matches the footprint.
 */
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { ResidentialSpec } from './site.ts'

function round1(x: number): number {
  return Math.round(x * 10) / 10
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** Households in a building of this spec (one per unit). */
export function householdsOf(spec: ResidentialSpec): number {
  return spec.floors * spec.entrances * spec.unitsPerFloor
}

function finish(
  base: Omit<ResidentialSpec, 'entranceWidths' | 'width' | 'height'>,
  roofAllowance: number,
): ResidentialSpec {
  // Unit floor areas (建筑面积) already include the shared-area allocation, so one floor's footprint is their sum.
  const entranceWidths = base.areas.map((row) => round1(row.reduce((a, b) => a + b, 0) / base.depth))
  return {
    ...base,
    entranceWidths,
    width: round1(entranceWidths.reduce((a, b) => a + b, 0)),
    height: round1(base.floors * base.floorHeight + roofAllowance),
  }
}

/** A 6-floor walk-up: mirrored pairs of 60–120 m² flats around each stairwell. */
export function walkupSpec(rng: Rng, builtYear: number): ResidentialSpec {
  const entrances = rng.weighted([
    [2, 45],
    [3, 55],
  ] as const)
  const depth = round1(rng.float(10.5, 12))
  const base = rng.weighted([
    [62, 2],
    [72, 3],
    [82, 3],
    [90, 3],
    [98, 2],
    [112, 1],
  ] as const)
  const areas = Array.from({ length: entrances }, () => {
    const a = round2(Math.min(120, Math.max(60, base + rng.float(-4, 6))))
    return [a, round2(Math.min(120, Math.max(60, a + rng.float(-1.5, 1.5))))]
  })
  return finish(
    {
      kind: 'walkup',
      floors: 6,
      floorHeight: 2.9,
      entrances,
      unitsPerFloor: 2,
      areas,
      depth,
      elevatorsPerEntrance: 0,
      builtYear,
    },
    1.2,
  )
}

/** Tower flats range from a compact two-bedroom to a large four-bedroom. */
const TOWER_AREA = { min: 80, max: 180 } as const

function towerFloorAreas(rng: Rng, unitsPerFloor: number): number[] {
  const between = (lo: number, hi: number) => rng.float(lo, hi)
  let areas: number[]
  switch (unitsPerFloor) {
    case 2: {
      const a = between(120, 175)
      areas = [a, a + rng.float(-3, 3)]
      break
    }
    case 3:
      areas = [between(120, 145), between(86, 105), between(118, 140)]
      break
    default: {
      // End flats (two exposures) are bigger than the two in the middle.
      const end = between(108, 140)
      const mid = between(80, 96)
      areas = [end, mid, mid + rng.float(-2, 2), end + rng.float(-4, 4)]
    }
  }
  return areas.map((a) => round2(Math.min(TOWER_AREA.max, Math.max(TOWER_AREA.min, a))))
}

/** A tower with `floors` floors: point tower (1 entrance, 2–4 units) or slab (2 entrances, 2 units each). */
export function towerSpec(rng: Rng, floors: number, builtYear: number): ResidentialSpec {
  const entrances = rng.chance(0.75) ? 1 : 2
  const unitsPerFloor =
    entrances === 2
      ? 2
      : rng.weighted([
          [2, 15],
          [3, 35],
          [4, 50],
        ] as const)
  const areas = Array.from({ length: entrances }, () => towerFloorAreas(rng, unitsPerFloor))
  // Code requires two lifts (one a fire lift) above 11 floors; big point towers above 25 floors get a third.
  const elevatorsPerEntrance = unitsPerFloor >= 4 && floors >= 26 ? 3 : 2
  return finish(
    {
      kind: 'tower',
      floors,
      floorHeight: rng.chance(0.5) ? 2.95 : 3,
      entrances,
      unitsPerFloor,
      areas,
      depth: round1(unitsPerFloor === 2 ? rng.float(14, 16) : rng.float(16.5, 19)),
      elevatorsPerEntrance,
      builtYear,
    },
    1.5,
  )
}

/**
 * The residential buildings of a community: walk-ups until they house about `walkupShare` of the target, then
 * towers until the total is as close to the target as whole buildings allow (at least two towers, so the estate
 * has the tower rows its garage sits under).
 */
export function planResidential(
  rng: Rng,
  plan: CommunityPlan,
): { walkups: ResidentialSpec[]; towers: ResidentialSpec[] } {
  const walkups: ResidentialSpec[] = []
  const towers: ResidentialSpec[] = []
  let total = 0
  const walkTarget = plan.targetHouseholds * plan.walkupShare
  for (;;) {
    const next = walkupSpec(rng, plan.builtYear)
    if (total + householdsOf(next) / 2 >= walkTarget) break
    walkups.push(next)
    total += householdsOf(next)
  }
  for (;;) {
    const next = towerSpec(rng, rng.pick(plan.towerFloors), plan.towerYear)
    if (towers.length >= 2 && total + householdsOf(next) / 2 >= plan.targetHouseholds) break
    towers.push(next)
    total += householdsOf(next)
  }
  // Lower towers go in the southern rows, so the tallest cast their shadow on nothing of ours.
  towers.sort((a, b) => a.height - b.height)
  return { walkups, towers }
}
