/**
 * The demand model: what residents, couriers, visitors and renovation workers do on one local day, as the
 * movements the devices see. Each resident's outings are drawn from a stream keyed by (seed, resident, day), so a
 * day's plan does not depend on when the simulation started or on other residents. An outing becomes, in order: a
 * lift call from the home floor (towers), a door-station passage, a turnstile at the resident's usual gate (or, by
 * car, the garage ramp and a vehicle-gate barrier); coming back mirrors it. Leisure walks and the kindergarten stay
 * inside the grounds (door and lift only).
 */
import { HOUR, SECOND, dayStart, isWeekend, weekdayOf } from './calendar.ts'
import type { InjectedFault } from './faults.ts'
import { sampleOutings } from './routines.ts'
import type { Outing } from './routines.ts'
import { Rng, createRng, hashString, keyOf, unitHash } from './rng.ts'
import type { EntranceSite, HouseholdSite, PassagePoint, SiteIndex } from './site-index.ts'

export type Person = 'resident' | 'courier' | 'visitor' | 'worker'

/** Someone calling a lift at `from` to go to `to`. */
export interface LiftCall {
  readonly t: number
  readonly from: number
  readonly to: number
  readonly loadKg: number
  readonly person: Person
}

/** A passage through an entrance's door station (ground floor, or the garage level when `basement`). */
export interface DoorPass {
  readonly t: number
  readonly basement: boolean
  readonly direction: 'in' | 'out'
  readonly method: string
  readonly person: Person
}

/** A passage through a gate or a garage ramp: a person on foot, or a car (with its plate). */
export interface PointPass {
  readonly t: number
  readonly direction: 'in' | 'out'
  readonly method: string
  readonly person: Person
  readonly vehicle: { readonly plate: string; readonly energy: 'fuel' | 'electric' } | null
}

/** Everything that happens on one day, by entrance and by passage point, each list in time order. */
export interface DayPlan {
  readonly day: number
  readonly entrances: readonly { readonly calls: LiftCall[]; readonly doors: DoorPass[] }[]
  readonly points: readonly PointPass[][]
}

const WALK_SPEED = 1.25
const DETOUR = 1.3
const PERSON_KG = 68
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot((a[0] as number) - (b[0] as number), (a[1] as number) - (b[1] as number))
}

/** Residents' and visitors' movements, a day at a time. */
export class Demand {
  private readonly cache = new Map<number, DayPlan>()
  private readonly pedestrianGates: PassagePoint[]
  private readonly vehicleGates: PassagePoint[]
  private readonly ramp: PassagePoint | null
  private readonly residentKeys = new Map<string, number>()
  private readonly plateProvince: string

  constructor(
    private readonly site: SiteIndex,
    private readonly seed: number,
    /** Renovation episodes (on the fire lift of the entrance concerned). */
    private readonly renovations: readonly InjectedFault[],
  ) {
    this.pedestrianGates = site.pedestrianGates()
    this.vehicleGates = site.vehicleGates()
    this.ramp = site.garageRamps()[0] ?? null
    for (const h of site.households)
      for (const r of h.residents) this.residentKeys.set(r.id, hashString(r.id))
    this.plateProvince = site.community.vehicles[0]?.plate.slice(0, 1) ?? '沪'
  }

  /** The plan of local day `day` (cached for the two most recent days asked for). */
  dayPlan(day: number): DayPlan {
    const cached = this.cache.get(day)
    if (cached) return cached
    const plan = this.build(day)
    this.cache.set(day, plan)
    for (const key of this.cache.keys()) if (key < day - 1) this.cache.delete(key)
    return plan
  }

  /** A gate chosen with weight 1/(distance + 40 m)² from `from`, by the uniform `u`. */
  private nearGate(gates: readonly PassagePoint[], from: readonly number[], u: number): PassagePoint | null {
    if (gates.length === 0) return null
    const weights = gates.map((g) => 1 / (distance(g.position, from) + 40) ** 2)
    let x = u * weights.reduce((a, b) => a + b, 0)
    for (let i = 0; i < gates.length; i++) {
      x -= weights[i] as number
      if (x <= 0) return gates[i] as PassagePoint
    }
    return gates[gates.length - 1] as PassagePoint
  }

  private nearestGate(from: readonly number[]): PassagePoint | null {
    let best: PassagePoint | null = null
    for (const g of this.pedestrianGates) {
      if (!best || distance(g.position, from) < distance(best.position, from)) best = g
    }
    return best
  }

  private walkMs(from: readonly number[], to: readonly number[]): number {
    return Math.round(((distance(from, to) * DETOUR) / WALK_SPEED) * SECOND)
  }

  private build(day: number): DayPlan {
    const plan: DayPlan = {
      day,
      entrances: this.site.entrances.map(() => ({ calls: [], doors: [] })),
      points: this.site.points.map(() => []),
    }
    const weekend = isWeekend(day)
    const outings: Outing[] = []
    for (const h of this.site.households) {
      if (!h.entrance) continue
      for (const r of h.residents) {
        const key = this.residentKeys.get(r.id) as number
        const rng = new Rng(keyOf(this.seed, 'outings', key, day))
        outings.length = 0
        const driver = h.driver?.residentId === r.id
        sampleOutings(rng, r.occupation, weekend, driver, outings)
        // A resident's usual gate and way of opening doors do not change from day to day.
        const habit = keyOf(this.seed, 'habit', key)
        for (const o of outings) this.addOuting(plan, day, h, o, rng, habit)
      }
    }
    for (const e of this.site.entrances) this.addCouriers(plan, day, e, weekend)
    for (const r of this.renovations) this.addRenovation(plan, day, r)
    for (const g of this.vehicleGates) this.addVisitors(plan, day, g)
    for (const list of plan.entrances) {
      list.calls.sort((a, b) => a.t - b.t)
      list.doors.sort((a, b) => a.t - b.t)
    }
    for (const list of plan.points) list.sort((a, b) => a.t - b.t)
    return plan
  }

  private addOuting(plan: DayPlan, day: number, h: HouseholdSite, o: Outing, rng: Rng, habit: number): void {
    const e = h.entrance as EntranceSite
    const lists = plan.entrances[e.index] as DayPlan['entrances'][number]
    const floor = h.unit.floor
    const lift = e.elevators.length > 0
    const byCar = o.car && h.driver !== null && this.vehicleGates.length > 0
    const underground = byCar && h.driver?.underground === true && this.ramp !== null
    const viaBasement = underground && e.basementDoor !== null && lift
    const level = viaBasement ? -1 : 1
    const faceFirst = unitHash(habit, 1) < 0.75
    const gateOnFoot = this.nearGate(this.pedestrianGates, e.position, unitHash(habit, 2))
    const outside = o.purpose !== 'leisure' && o.purpose !== 'kindergarten'
    const vehicle = byCar
      ? { plate: h.driver?.vehicle.plate ?? '', energy: h.driver?.vehicle.energy ?? 'fuel' }
      : null
    const vehicleGate = byCar ? this.nearGate(this.vehicleGates, e.position, unitHash(habit, 3)) : null
    const load = PERSON_KG + rng.uniform(-18, 22)

    // Out: lift down, door, then the gate on foot or ramp and barrier by car.
    let t = dayStart(day) + o.leave * HOUR
    if (lift && floor !== level) {
      lists.calls.push({
        t: Math.round(t + 20 * SECOND),
        from: floor,
        to: level,
        loadKg: load,
        person: 'resident',
      })
      t += (45 + Math.abs(floor - level) * 1.4) * SECOND
    } else {
      t += (10 + Math.max(0, floor - 1) * 12) * SECOND
    }
    lists.doors.push({
      t: Math.round(t),
      basement: viaBasement,
      direction: 'out',
      method: 'button',
      person: 'resident',
    })
    if (outside) {
      if (vehicle && vehicleGate) {
        t += rng.uniform(60, 180) * SECOND
        if (underground && this.ramp) {
          this.pass(plan, this.ramp, t, 'out', 'plate', vehicle)
          t += rng.uniform(30, 90) * SECOND
        } else t += rng.uniform(30, 150) * SECOND
        this.pass(plan, vehicleGate, t, 'out', 'plate', vehicle)
      } else if (gateOnFoot) {
        this.pass(plan, gateOnFoot, t + this.walkMs(e.position, gateOnFoot.position), 'out', 'face', null)
      }
    }

    // Back: the same way in reverse.
    t = dayStart(day) + o.back * HOUR
    let basement = false
    if (outside && vehicle && vehicleGate) {
      this.pass(plan, vehicleGate, t, 'in', 'plate', vehicle)
      if (underground && this.ramp) {
        t += rng.uniform(30, 90) * SECOND
        this.pass(plan, this.ramp, t, 'in', 'plate', vehicle)
      }
      t += rng.uniform(60, 180) * SECOND
      basement = viaBasement
    } else if (outside && gateOnFoot) {
      this.pass(plan, gateOnFoot, t, 'in', faceFirst ? 'face' : 'card', null)
      t += this.walkMs(gateOnFoot.position, e.position)
    }
    lists.doors.push({
      t: Math.round(t),
      basement,
      direction: 'in',
      method: faceFirst ? 'face' : 'card',
      person: 'resident',
    })
    const from = basement ? -1 : 1
    if (lift && floor !== from) {
      lists.calls.push({ t: Math.round(t + 15 * SECOND), from, to: floor, loadKg: load, person: 'resident' })
    }
  }

  private pass(
    plan: DayPlan,
    point: PassagePoint,
    t: number,
    direction: 'in' | 'out',
    method: string,
    vehicle: PointPass['vehicle'],
    person: Person = 'resident',
  ): void {
    ;(plan.points[point.index] as PointPass[]).push({ t: Math.round(t), direction, method, person, vehicle })
  }

  /** Food and parcel deliveries: peaks at lunch and dinner, up to a flat and back down. */
  private addCouriers(plan: DayPlan, day: number, e: EntranceSite, weekend: boolean): void {
    const homes = e.households.filter((h) => h.residents.length > 0)
    if (homes.length === 0) return
    const rng = createRng(this.seed, 'couriers', e.building.id, e.entrance, day)
    const lists = plan.entrances[e.index] as DayPlan['entrances'][number]
    const gate = this.nearestGate(e.position)
    const count = rng.poisson(homes.length * (weekend ? 0.45 : 0.35))
    for (let i = 0; i < count; i++) {
      const u = rng.next()
      const hour =
        u < 0.45
          ? rng.gaussian(12, 0.6, 10, 14)
          : u < 0.85
            ? rng.gaussian(18.5, 0.8, 16.5, 21)
            : rng.uniform(9, 21.5)
      const floor = rng.pick(homes).unit.floor
      const walk = gate ? this.walkMs(gate.position, e.position) : 0
      let t = dayStart(day) + hour * HOUR
      if (gate) this.pass(plan, gate, t - walk, 'in', 'qr', null, 'courier')
      lists.doors.push({
        t: Math.round(t),
        basement: false,
        direction: 'in',
        method: 'intercom',
        person: 'courier',
      })
      const load = PERSON_KG + rng.uniform(0, 25)
      if (e.elevators.length > 0 && floor > 1) {
        lists.calls.push({
          t: Math.round(t + 10 * SECOND),
          from: 1,
          to: floor,
          loadKg: load,
          person: 'courier',
        })
        t += rng.uniform(100, 220) * SECOND
        lists.calls.push({ t: Math.round(t), from: floor, to: 1, loadKg: PERSON_KG, person: 'courier' })
        t += (40 + floor * 1.4) * SECOND
      } else t += rng.uniform(60, 180) * SECOND
      lists.doors.push({
        t: Math.round(t),
        basement: false,
        direction: 'out',
        method: 'button',
        person: 'courier',
      })
      if (gate) this.pass(plan, gate, t + walk, 'out', 'face', null, 'courier')
    }
  }

  /** A flat under renovation: workers carry materials up and rubble down, 8–12 and 14–18, Monday to Saturday. */
  private addRenovation(plan: DayPlan, day: number, r: InjectedFault): void {
    const start = dayStart(day)
    if (r.onset >= start + 24 * HOUR || r.end <= start || weekdayOf(day) === 6) return
    const e = this.site.entrances.find((x) => x.elevators.some((d) => d.id === r.deviceId))
    if (!e) return
    const lists = plan.entrances[e.index] as DayPlan['entrances'][number]
    const rng = createRng(this.seed, 'renovation', r.deviceId, day)
    const top = e.building.floors
    const floor = Math.max(2, Math.min(top, Math.round(2 + Number(r.detail.floorShare ?? 0.5) * (top - 2))))
    const trips = rng.int(12, 30)
    for (let i = 0; i < trips; i++) {
      const hour = rng.chance(0.5) ? rng.uniform(8, 11.8) : rng.uniform(14, 17.8)
      const t = start + hour * HOUR
      if (t < r.onset || t >= r.end) continue
      const up = rng.chance(0.55)
      const loadKg = rng.uniform(250, 900)
      lists.calls.push({
        t: Math.round(t),
        from: up ? 1 : floor,
        to: up ? floor : 1,
        loadKg,
        person: 'worker',
      })
    }
  }

  /** Visitors' cars during the day (random plates of the same province), parked a few hours on the surface. */
  private addVisitors(plan: DayPlan, day: number, gate: PassagePoint): void {
    const rng = createRng(this.seed, 'visitors', gate.id, day)
    const count = rng.poisson((this.site.households.length * 0.03) / Math.max(1, this.vehicleGates.length))
    for (let i = 0; i < count; i++) {
      let plate = this.plateProvince + (PLATE_LETTERS[rng.int(0, 3)] as string)
      for (let k = 0; k < 5; k++)
        plate += rng.chance(0.3) ? PLATE_LETTERS[rng.int(0, 23)] : String(rng.int(0, 9))
      const vehicle = { plate, energy: rng.chance(0.3) ? ('electric' as const) : ('fuel' as const) }
      const arrive = dayStart(day) + rng.uniform(8.5, 20) * HOUR
      this.pass(plan, gate, arrive, 'in', 'plate', vehicle, 'visitor')
      const leave = Math.min(dayStart(day) + 23.5 * HOUR, arrive + rng.uniform(0.5, 4) * HOUR)
      this.pass(plan, gate, leave, 'out', 'plate', vehicle, 'visitor')
    }
  }
}
