/**
 * Cars of the households: how many depends on who commutes (elderly-only households rarely have one), about 3 in
 * 10 are new-energy with green plates, and most are linked to a monthly or owned space. Electric cars take
 * charging spaces first; households with someone over 70 may take an accessible one.
 */
import type { Household, ParkingSpace, Resident, Vehicle } from './types.ts'
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { PlateRegistry } from './contacts.ts'
import { ageOn } from './dates.ts'

const ELECTRIC_SHARE = 0.3
const LINKED_SHARE = 0.85

function carsFor(rng: Rng, members: readonly Resident[]): number {
  const commuters = members.filter((m) => m.occupation === 'commuter').length
  if (members.every((m) => m.ageGroup === 'elderly'))
    return rng.weighted([
      [0, 75],
      [1, 25],
    ] as const)
  if (commuters === 0)
    return rng.weighted([
      [0, 60],
      [1, 40],
    ] as const)
  if (commuters === 1)
    return rng.weighted([
      [0, 25],
      [1, 65],
      [2, 10],
    ] as const)
  return rng.weighted([
    [0, 15],
    [1, 55],
    [2, 30],
  ] as const)
}

/** Creates the vehicles and links them to spaces (each space at most once). */
export function assignVehicles(
  rng: Rng,
  plan: CommunityPlan,
  households: readonly Household[],
  residents: readonly Resident[],
  spaces: readonly ParkingSpace[],
  plates: PlateRegistry,
): Vehicle[] {
  const byHousehold = new Map<string, Resident[]>()
  for (const r of residents) {
    const list = byHousehold.get(r.householdId)
    if (list) list.push(r)
    else byHousehold.set(r.householdId, [r])
  }
  const rentable = spaces.filter((s) => s.tenure !== 'visitor')
  const pool = (kind: ParkingSpace['kind']) =>
    rng.shuffle(rentable.filter((s) => s.kind === kind).map((s) => s.id))
  const charging = pool('ev_charging')
  const standard = pool('standard')
  const accessible = pool('accessible')

  const vehicles: Vehicle[] = []
  for (const h of households) {
    const members = byHousehold.get(h.id)
    if (!members) continue
    const cars = carsFor(rng, members)
    const frail = members.some((m) => ageOn(m.birthDate) >= 70)
    for (let i = 0; i < cars; i++) {
      const energy = rng.chance(ELECTRIC_SHARE) ? 'electric' : 'fuel'
      let spaceId: string | null = null
      if (rng.chance(LINKED_SHARE)) {
        spaceId =
          (frail ? accessible.pop() : undefined) ??
          (energy === 'electric' ? charging.pop() : undefined) ??
          standard.pop() ??
          null
      }
      vehicles.push({
        id: `${plan.id}-v${String(vehicles.length + 1).padStart(4, '0')}`,
        householdId: h.id,
        plate: plates.next(rng, plan.city.plateProvince, plan.city.plateLetters, energy),
        energy,
        spaceId,
      })
    }
  }
  return vehicles
}
