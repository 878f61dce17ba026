/**
 * One synthetic resident: name in the fashion of their birth year, an ID number whose division code says where
 * they were born (mostly the community's city, partly elsewhere), a phone from age twelve, an age group and an
 * occupation consistent with their age.
 */
import type { AgeGroup, Resident } from './types.ts'
import type { Rng } from './rng.ts'
import type { City, District } from './cities.ts'
import type { PhoneRegistry } from './contacts.ts'
import { ORIGIN_DIVISIONS } from './cities.ts'
import { birthDateForAge, yearOf } from './dates.ts'
import { composeIdNumber } from './id-number.ts'
import { pickGivenName } from './names.ts'

/** What stays unique across a whole CommunitySet. */
export interface Registries {
  readonly phones: PhoneRegistry
  readonly idNumbers: Set<string>
}

export interface PersonContext {
  readonly city: City
  readonly district: District
  readonly registries: Registries
}

export interface PersonRequest {
  readonly id: string
  readonly householdId: string
  readonly surname: string
  readonly gender: 'M' | 'F'
  readonly age: number
  readonly relation: Resident['relation']
  /** Probability of having been born in the community's city. */
  readonly localShare: number
}

/** Children get a phone from about this age. */
const PHONE_AGE = 12

export function ageGroupOf(age: number): AgeGroup {
  if (age < 18) return 'child'
  return age < 60 ? 'adult' : 'elderly'
}

/** A weekday routine consistent with the age: infants at home, 3–5 in kindergarten, then school, work, retirement. */
export function occupationFor(rng: Rng, age: number): Resident['occupation'] {
  if (age < 3) return 'home'
  if (age < 6) return 'preschool'
  if (age < 18) return 'student'
  if (age < 23) return rng.chance(0.7) ? 'student' : 'commuter'
  if (age < 60) return rng.chance(0.84) ? 'commuter' : 'home'
  if (age < 65) return rng.chance(0.2) ? 'commuter' : 'retired'
  return 'retired'
}

function divisionFor(rng: Rng, ctx: PersonContext, localShare: number): string {
  if (rng.chance(localShare)) return rng.chance(0.5) ? ctx.district.code : rng.pick(ctx.city.districts).code
  const prefix = ctx.district.code.slice(0, 4)
  return rng.pick(ORIGIN_DIVISIONS.filter((code) => !code.startsWith(prefix)))
}

/** Creates the resident, registering its ID number and phone so neither repeats anywhere in the set. */
export function makePerson(rng: Rng, ctx: PersonContext, req: PersonRequest): Resident {
  const birthDate = birthDateForAge(rng, req.age)
  const division = divisionFor(rng, ctx, req.localShare)
  let idNumber: string
  do {
    const order = rng.int(0, 499) * 2 + (req.gender === 'M' ? 1 : 0)
    idNumber = composeIdNumber(division, birthDate, order, req.gender)
  } while (ctx.registries.idNumbers.has(idNumber))
  ctx.registries.idNumbers.add(idNumber)
  // Some of the very old have no mobile of their own; everyone else from about twelve does.
  const hasPhone = req.age >= PHONE_AGE && !(req.age >= 80 && rng.chance(0.25))
  return {
    id: req.id,
    householdId: req.householdId,
    name: req.surname + pickGivenName(rng, req.gender, yearOf(birthDate)),
    gender: req.gender,
    birthDate,
    idNumber,
    phone: hasPhone ? ctx.registries.phones.next(rng) : null,
    relation: req.relation,
    ageGroup: ageGroupOf(req.age),
    occupation: occupationFor(rng, req.age),
  }
}
