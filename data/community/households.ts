/**
 * Households and the people in them. About 92% of flats are lived in; owners and tenants have different family
 * shapes (tenants are younger, often single or sharing), walk-ups hold more elderly couples, and a family's ages
 * hang together: parents 22–40 years older than their children, grandparents a generation above the parents.
 */
import type { Household, Resident, Unit } from './types.ts'
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { SiteBuilding } from './site.ts'
import type { PersonContext, Registries } from './persons.ts'
import { makePerson } from './persons.ts'
import { pickSurname } from './names.ts'
import { REFERENCE_DATE, REFERENCE_YEAR, randomDay, randomDayInYears } from './dates.ts'

type Shape =
  | 'single'
  | 'couple'
  | 'couple_child'
  | 'couple_two_children'
  | 'three_generations'
  | 'elderly_couple'
  | 'elderly_single'
  | 'couple_adult_child'
  | 'shared'

const OWNER_SHAPES = (walkup: boolean): readonly (readonly [Shape, number])[] => [
  ['single', 8],
  ['couple', 14],
  ['couple_child', walkup ? 18 : 26],
  ['couple_two_children', walkup ? 6 : 10],
  ['three_generations', 14],
  ['elderly_couple', walkup ? 24 : 12],
  ['elderly_single', walkup ? 10 : 5],
  ['couple_adult_child', 8],
]

const TENANT_SHAPES: readonly (readonly [Shape, number])[] = [
  ['single', 32],
  ['couple', 20],
  ['couple_child', 20],
  ['shared', 18],
  ['three_generations', 5],
  ['elderly_couple', 5],
]

interface Member {
  readonly gender: 'M' | 'F'
  readonly age: number
  readonly relation: Resident['relation']
  readonly surname: string
  readonly localShare: number
}

function opposite(g: 'M' | 'F'): 'M' | 'F' {
  return g === 'M' ? 'F' : 'M'
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}

/** The members of one occupied household, head first. */
function membersOf(rng: Rng, shape: Shape, tenant: boolean): Member[] {
  const local = tenant ? 0.45 : 0.8
  const headRelation = tenant ? 'tenant' : 'owner'
  const person = (
    gender: 'M' | 'F',
    age: number,
    relation: Resident['relation'],
    surname = pickSurname(rng),
    localShare = local,
  ) => ({ gender, age, relation, surname, localShare }) satisfies Member

  if (shape === 'shared') {
    const n = rng.int(2, 3)
    return Array.from({ length: n }, (_, i) =>
      person(rng.chance(0.5) ? 'M' : 'F', rng.int(22, 35), i === 0 ? headRelation : 'other'),
    )
  }
  if (shape === 'elderly_single') return [person(rng.chance(0.65) ? 'F' : 'M', rng.int(65, 92), headRelation)]
  if (shape === 'single')
    return [person(rng.chance(0.55) ? 'M' : 'F', tenant ? rng.int(22, 40) : rng.int(26, 50), headRelation)]

  const headAge = {
    couple: rng.chance(0.5) ? rng.int(24, 40) : rng.int(45, 59),
    couple_child: rng.int(27, 47),
    couple_two_children: rng.int(30, 47),
    three_generations: rng.int(29, 45),
    elderly_couple: rng.int(60, 85),
    couple_adult_child: rng.int(45, 60),
  }[shape]
  const head = person(rng.chance(0.55) ? 'M' : 'F', headAge, headRelation)
  // Husbands are usually a couple of years older than their wives.
  const gap = rng.int(-2, 5)
  const spouse = person(
    opposite(head.gender),
    clamp(head.gender === 'M' ? headAge - gap : headAge + gap, 20, 95),
    'spouse',
  )
  const members = [head, spouse]
  const father = head.gender === 'M' ? head : spouse
  const mother = head.gender === 'F' ? head : spouse
  const child = (age: number) =>
    person(rng.chance(0.5) ? 'M' : 'F', age, 'child', rng.chance(0.9) ? father.surname : mother.surname, 0.9)

  if (shape === 'couple_child' || shape === 'couple_two_children' || shape === 'three_generations') {
    const first = clamp(mother.age - rng.int(24, 38), 0, 17)
    members.push(child(first))
    const second = first - rng.int(2, 7)
    const wantsSecond = shape === 'couple_two_children' || (shape === 'three_generations' && rng.chance(0.3))
    if (wantsSecond && second >= 0) members.push(child(second))
  }
  if (shape === 'couple_adult_child') members.push(child(clamp(mother.age - rng.int(24, 32), 18, 30)))
  if (shape === 'three_generations') {
    // Grandparents are the head's or the spouse's parents; a widowed grandmother is the commonest case.
    const side = rng.chance(0.6) ? head : spouse
    const base = side.age + rng.int(25, 33)
    const both = members.length < 4 && rng.chance(0.55)
    if (both) {
      members.push(person('M', clamp(base + rng.int(0, 3), 50, 95), 'parent', side.surname, 0.5))
      members.push(person('F', clamp(base, 50, 95), 'parent', undefined, 0.5))
    } else {
      const g = rng.chance(0.7) ? 'F' : 'M'
      members.push(person(g, clamp(base, 50, 95), 'parent', g === 'M' ? side.surname : undefined, 0.5))
    }
  }
  return members
}

export interface Population {
  readonly households: Household[]
  readonly residents: Resident[]
}

/** One household per residential unit, and the residents of the occupied ones. */
export function populate(
  rng: Rng,
  plan: CommunityPlan,
  units: readonly Unit[],
  buildings: ReadonlyMap<string, SiteBuilding>,
  registries: Registries,
): Population {
  const ctx: PersonContext = { city: plan.city, district: plan.district, registries }
  const households: Household[] = []
  const residents: Resident[] = []
  for (const unit of units) {
    if (unit.usage !== 'residential') continue
    const building = buildings.get(unit.buildingId) as SiteBuilding
    const walkup = building.kind === 'walkup'
    const id = `${plan.id}-h${String(households.length + 1).padStart(4, '0')}`
    const handover = randomDayInYears(rng, building.builtYear, building.builtYear)
    if (rng.chance(walkup ? 0.05 : 0.085)) {
      // A vacant flat still has an owner and a household record; its date is the handover date.
      households.push({ id, unitId: unit.id, tenure: 'vacant', moveInDate: handover })
      continue
    }
    const tenant = rng.chance(walkup ? 0.35 : 0.18)
    // Most owners moved in within a year of handover; the rest bought later. Tenancies are recent.
    const recent = `${REFERENCE_YEAR - 5}-07-01`
    const moveInDate = tenant
      ? randomDay(rng, handover > recent ? handover : recent, REFERENCE_DATE)
      : rng.chance(0.6)
        ? randomDayInYears(rng, building.builtYear, building.builtYear + 1)
        : randomDayInYears(rng, building.builtYear + 1, REFERENCE_YEAR)
    households.push({
      id,
      unitId: unit.id,
      tenure: tenant ? 'tenant' : 'owner',
      moveInDate: moveInDate < handover ? handover : moveInDate,
    })
    const shape = rng.weighted(tenant ? TENANT_SHAPES : OWNER_SHAPES(walkup))
    for (const m of membersOf(rng, shape, tenant)) {
      residents.push(
        makePerson(rng, ctx, {
          id: `${plan.id}-r${String(residents.length + 1).padStart(5, '0')}`,
          householdId: id,
          surname: m.surname,
          gender: m.gender,
          age: m.age,
          relation: m.relation,
          localShare: m.localShare,
        }),
      )
    }
  }
  return { households, residents }
}
