/**
 * Generator profiles and the per-community plan drawn from them: which city and district, how many households,
 * what kind of estate (mixed walk-ups and towers, or towers only), when it was built, how tall the towers are.
 */
import type { GeoAnchor, Profile } from './types.ts'
import type { Rng } from './rng.ts'
import type { City, District } from './cities.ts'
import { CITIES, NAME_STEMS, NAME_SUFFIXES, STREET_NAMES } from './cities.ts'

export interface ProfileSpec {
  readonly communities: number
  /** Target households per community, drawn uniformly from this range. */
  readonly households: readonly [min: number, max: number]
  /** Probability that a community is towers only (otherwise walk-ups in front, towers behind). */
  readonly highriseShare: number
  readonly towerFloors: readonly number[]
  /** Share of a mixed community's households that live in walk-ups. */
  readonly walkupShare: readonly [min: number, max: number]
  /** Probability of a commercial strip (底商) along the street side. */
  readonly commercialShare: number
  /** How many of CITIES (from the front) the profile draws from. */
  readonly cities: number
}

export const PROFILES: Readonly<Record<Profile, ProfileSpec>> = {
  small: {
    communities: 1,
    households: [150, 150],
    highriseShare: 0,
    towerFloors: [18],
    walkupShare: [0.2, 0.2],
    commercialShare: 1,
    cities: 3,
  },
  default: {
    communities: 1,
    households: [2000, 2000],
    highriseShare: 0,
    towerFloors: [26, 28, 30, 32, 33],
    walkupShare: [0.15, 0.25],
    commercialShare: 1,
    cities: 3,
  },
  large: {
    communities: 12,
    households: [1400, 3200],
    highriseShare: 0.4,
    towerFloors: [18, 24, 26, 28, 30, 32, 33],
    walkupShare: [0.1, 0.3],
    commercialShare: 0.7,
    cities: CITIES.length,
  },
}

/** Everything decided about a community before its site is laid out. */
export interface CommunityPlan {
  readonly id: string
  readonly name: string
  readonly city: City
  readonly district: District
  readonly address: string
  readonly anchor: GeoAnchor
  readonly archetype: 'mixed' | 'highrise'
  readonly targetHouseholds: number
  readonly walkupShare: number
  /** Completion year of the first phase (the walk-ups of a mixed estate). */
  readonly builtYear: number
  /** Completion year of the tower phase; equal to builtYear for a high-rise estate. */
  readonly towerYear: number
  /** One or two tower heights (floors) used in this community. */
  readonly towerFloors: readonly number[]
  readonly hasCommercial: boolean
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Draws the plan of every community of a profile, in id order (c01, c02 …). */
export function planCommunities(rng: Rng, profile: Profile): CommunityPlan[] {
  const spec = PROFILES[profile]
  const cities = rng.shuffle(CITIES.slice(0, spec.cities))
  const usedNames = new Set<string>()
  const plans: CommunityPlan[] = []
  for (let i = 0; i < spec.communities; i++) {
    const r = rng.fork(`community-${i}`)
    const city = cities[i % cities.length] as City
    const district = r.pick(city.districts)
    const archetype = r.chance(spec.highriseShare) ? 'highrise' : 'mixed'
    let name = r.pick(NAME_STEMS) + r.pick(NAME_SUFFIXES[archetype])
    while (usedNames.has(name)) name = r.pick(NAME_STEMS) + r.pick(NAME_SUFFIXES[archetype])
    usedNames.add(name)
    const builtYear = archetype === 'mixed' ? r.int(1998, 2008) : r.int(2008, 2020)
    const towerYear = archetype === 'mixed' ? builtYear + r.int(2, 5) : builtYear
    const first = r.pick(spec.towerFloors)
    const second = r.pick(spec.towerFloors)
    plans.push({
      id: `c${pad2(i + 1)}`,
      name,
      city,
      district,
      address: `${city.name}${district.name}${r.pick(STREET_NAMES)}${r.int(1, 1600)}${city.addressSuffix}`,
      anchor: {
        lat: round6(district.lat + r.float(-0.02, 0.02)),
        lon: round6(district.lon + r.float(-0.02, 0.02)),
      },
      archetype,
      targetHouseholds: r.int(spec.households[0], spec.households[1]),
      walkupShare: archetype === 'mixed' ? r.float(spec.walkupShare[0], spec.walkupShare[1]) : 0,
      builtYear,
      towerYear,
      towerFloors:
        r.chance(0.6) || first === second ? [first] : [Math.min(first, second), Math.max(first, second)],
      hasCommercial: r.chance(spec.commercialShare),
    })
  }
  return plans
}
