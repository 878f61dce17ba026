/**
 * One lift car's timeline: the calls waiting for it, the runs and door cycles planned for them (collective runs,
 * as a lift controller groups calls), what it reports at any moment (motion samples, stop summaries), and its
 * motor temperature, run time and trip count. The entrance actor owns the cars and decides which car takes which
 * call; this file only plans and samples.
 */
import type { Health } from './degradation.ts'
import type { LiftCall } from './demand.ts'
import {
  carVibration,
  heightOf,
  motorCurrent,
  runSeconds,
  runState,
  stopFeatures,
  thermalFactor,
} from './elevator.ts'
import type { LiftSpec, LiftTraits, StopContext, StopFeatures } from './elevator.ts'
import type { Rng } from './rng.ts'

export interface RunSegment {
  readonly kind: 'run'
  readonly t0: number
  readonly t1: number
  readonly from: number
  readonly to: number
  readonly distance: number
  loadKg: number
  /** Mean (I / I_rated)² over the run: the heat it puts into the motor. */
  heat: number
}

export interface DoorSegment {
  readonly kind: 'door'
  readonly t0: number
  readonly t1: number
  readonly floor: number
  loadKg: number
  passengers: number
  readonly features: StopFeatures
  /** Set on the last stop of a run: the run as one trip (first pickup to last drop). */
  readonly trip: {
    readonly from: number
    readonly to: number
    passengers: number
    readonly stops: number
    /** Mean wait of the run's passengers from their call to the car's arrival, s. */
    readonly waitS: number
    readonly person: string
  } | null
}

export type Segment = RunSegment | DoorSegment

const DOOR_HEAT = 0.01
const scratchRun = { travelled: 0, speed: 0, ramping: false }

/** What the car is doing at one instant. */
export interface CarSample {
  floor: number
  direction: number
  speed: number
  loadKg: number
  currentA: number
  vibration: number
  doorOpen: number
}

export class LiftCar {
  /** Floor where the last planned segment leaves the car. */
  floor = 1
  /** When the last planned segment ends. */
  freeAt = -Infinity
  readonly segments: Segment[] = []
  /** Stops whose summary is still to be reported, in time order. */
  readonly stops: DoorSegment[] = []
  /** Calls given to this car and not yet planned (it is busy). */
  readonly pending: LiftCall[] = []
  inService = true
  /** Next motion sample (Infinity while idle). */
  tick = Infinity
  tempC: number
  private lastThermal: number
  /** Run time and trips since installation (estimated from age before the simulation). */
  runMs: number
  trips: number

  constructor(
    readonly device: number,
    readonly spec: LiftSpec,
    readonly traits: LiftTraits,
    readonly rng: Rng,
    start: number,
    ambientC: number,
    lifetime: { readonly runHours: number; readonly trips: number },
  ) {
    this.runMs = lifetime.runHours * 3_600_000
    this.trips = lifetime.trips
    this.tempC = ambientC + 4
    this.lastThermal = start
  }

  /**
   * Boards `call` onto a run whose doors are still open at its floor, going the same way and already stopping at
   * its destination (the second person into a waiting car). Returns false if there is no such run.
   */
  board(t: number, call: LiftCall, health: Health, wander: number): boolean {
    const up = call.to > call.from
    const at = this.stops.findIndex((d) => d.floor === call.from && d.t0 <= t + 2000 && d.t1 > t + 1500)
    if (at < 0) return false
    const drop = this.stops.findIndex((d, i) => i > at && d.floor === call.to)
    const next = this.segments.find((x) => x.kind === 'run' && x.t0 >= (this.stops[at] as DoorSegment).t1)
    if (drop < 0 || !next || next.kind !== 'run' || next.to > next.from !== up) return false
    const pickup = this.stops[at] as DoorSegment
    pickup.loadKg += call.loadKg
    pickup.passengers++
    const last = this.stops[drop] as DoorSegment
    for (const x of this.segments) {
      if (x.t0 < pickup.t1 || x.t0 >= last.t0) continue
      if (x.kind === 'run') this.setLoad(x, x.loadKg + call.loadKg, health, wander)
      else x.loadKg += call.loadKg
    }
    last.passengers++
    if (last.trip) last.trip.passengers++
    return true
  }

  /**
   * Plans one collective run from max(t, freeAt) for the oldest pending call and every pending call that can share
   * it, as lift controllers do: going down, it picks people up floor by floor on the way to their common
   * destination (the lobby or the garage); going up, it takes everyone waiting at the same floor to their floors.
   */
  serve(t: number, health: Health, ctx: Omit<StopContext, 'loadKg' | 'passengers'>, wander: number): void {
    const first = this.pending[0]
    if (!first) return
    const down = first.to < first.from
    const group = this.pending.filter(
      (c) => c.to < c.from === down && (down ? c.to === first.to : c.from === first.from),
    )
    this.pending.splice(0, this.pending.length, ...this.pending.filter((c) => !group.includes(c)))
    const pickups = down ? [...new Set(group.map((c) => c.from))].sort((a, b) => b - a) : [first.from]
    const drops = down ? [first.to] : [...new Set(group.map((c) => c.to))].sort((a, b) => a - b)
    let s = Math.max(t, this.freeAt)
    let load = 0
    let waited = 0
    for (const floor of pickups) {
      if (this.floor !== floor) s = this.addRun(s, this.floor, floor, load, health, wander)
      const boarding = group.filter((c) => c.from === floor)
      for (const c of boarding) {
        load += c.loadKg
        waited += s - c.t
      }
      s = this.addDoor(s, floor, load, boarding.length, health, ctx, null).t1
    }
    drops.forEach((floor, i) => {
      s = this.addRun(s, this.floor, floor, load, health, wander)
      const alighting = group.filter((c) => c.to === floor)
      const last = i === drops.length - 1
      const trip = last
        ? {
            from: pickups[0] as number,
            to: floor,
            passengers: group.length,
            stops: pickups.length + drops.length,
            waitS: Math.round(waited / group.length / 100) / 10,
            person: first.person,
          }
        : null
      s = this.addDoor(s, floor, load, alighting.length, health, ctx, trip).t1
      for (const c of alighting) load -= c.loadKg
    })
  }

  private setLoad(run: RunSegment, loadKg: number, health: Health, wander: number): void {
    run.loadKg = loadKg
    const cruise = motorCurrent(this.spec, health, loadKg, false, wander, 0) / this.spec.ratedCurrentA
    const ramp = motorCurrent(this.spec, health, loadKg, true, wander, 0) / this.spec.ratedCurrentA
    const rampShare = Math.min(1, (2 * this.spec.ratedSpeed) / 0.8 / Math.max(1, (run.t1 - run.t0) / 1000))
    run.heat = cruise * cruise * (1 - rampShare) + ramp * ramp * rampShare
  }

  private addRun(
    t0: number,
    from: number,
    to: number,
    loadKg: number,
    health: Health,
    wander: number,
  ): number {
    const distance = Math.abs(heightOf(this.spec, to) - heightOf(this.spec, from))
    const t1 = Math.round(t0 + runSeconds(this.spec, distance) * 1000)
    const run: RunSegment = { kind: 'run', t0, t1, from, to, distance, loadKg, heat: 0 }
    this.setLoad(run, loadKg, health, wander)
    this.segments.push(run)
    this.freeAt = t1
    this.floor = to
    return t1
  }

  private addDoor(
    t0: number,
    floor: number,
    loadKg: number,
    passengers: number,
    health: Health,
    ctx: Omit<StopContext, 'loadKg' | 'passengers'>,
    trip: DoorSegment['trip'],
  ): DoorSegment {
    const features = stopFeatures(this.traits, this.spec, health, { ...ctx, loadKg, passengers }, this.rng, {
      doorOpenS: 0,
      doorCloseS: 0,
      holdS: 0,
      doorCurrentA: 0,
      levelErrorMm: 0,
      reopened: false,
    })
    const t1 = Math.round(t0 + (features.doorOpenS + features.holdS + features.doorCloseS) * 1000)
    const door: DoorSegment = { kind: 'door', t0, t1, floor, loadKg, passengers, features, trip }
    this.segments.push(door)
    this.stops.push(door)
    this.freeAt = t1
    this.floor = floor
    return door
  }

  /** Drops everything planned to start at or after `t` (the car has failed). */
  cancelFrom(t: number): void {
    const keep = (s: Segment) => s.t0 < t
    const segments = this.segments.filter(keep)
    const stops = this.stops.filter(keep)
    this.segments.length = 0
    this.segments.push(...segments)
    this.stops.length = 0
    this.stops.push(...stops)
    const last = segments[segments.length - 1]
    if (last) {
      this.freeAt = last.t1
      this.floor = last.kind === 'run' ? last.to : last.floor
    }
  }

  /** Advances the motor temperature and run time to `t` from the segments that overlapped the interval. */
  updateThermal(t: number, ambientC: number, health: Health): void {
    if (t <= this.lastThermal) return
    const a = this.lastThermal
    let heat = 0
    for (const s of this.segments) {
      const overlap = Math.min(s.t1, t) - Math.max(s.t0, a)
      if (overlap <= 0) continue
      if (s.kind === 'run') {
        heat += overlap * s.heat
        this.runMs += overlap
      } else heat += overlap * DOOR_HEAT
    }
    const dt = t - a
    const equilibrium = ambientC + this.traits.thermalK * thermalFactor(health) * (heat / dt)
    this.tempC = equilibrium + (this.tempC - equilibrium) * Math.exp(-dt / 1000 / this.traits.thermalTauS)
    this.lastThermal = t
  }

  /** Forgets segments that ended at or before `t`. */
  prune(t: number): void {
    let n = 0
    while (n < this.segments.length && (this.segments[n] as Segment).t1 <= t) n++
    if (n > 0) this.segments.splice(0, n)
  }

  /** Whether the car moves or works its doors at some time in (t, t + span]. */
  busyWithin(t: number, span: number): boolean {
    for (const s of this.segments) if (s.t0 <= t + span && s.t1 > t + 1) return true
    return false
  }

  /** The floor the car is at (or passing) at `t`. */
  floorNow(t: number): number {
    const s = this.segments.find((x) => x.t0 <= t && t < x.t1)
    if (!s) return this.floorAtRest(t)
    if (s.kind === 'door') return s.floor
    runState(this.spec, s.distance, (t - s.t0) / 1000, scratchRun)
    const h0 = heightOf(this.spec, s.from)
    return this.floorAt(s.to > s.from ? h0 + scratchRun.travelled : h0 - scratchRun.travelled)
  }

  /** The car's state at `t` (segments must still hold the one containing t). */
  sample(t: number, health: Health, wander: number, out: CarSample): CarSample {
    const s = this.segments.find((x) => x.t0 <= t && t < x.t1)
    const noise = this.rng.normal()
    if (!s) {
      out.floor = this.floorAtRest(t)
      out.direction = 0
      out.speed = 0
      out.loadKg = 0
      out.currentA = 0
      out.vibration = carVibration(this.traits, this.spec, health, 0, false, wander, noise) * 0.3
      out.doorOpen = 0
      return out
    }
    if (s.kind === 'door') {
      out.floor = s.floor
      out.direction = 0
      out.speed = 0
      out.loadKg = s.loadKg
      out.currentA = 0.04 * this.spec.ratedCurrentA * (1 + 0.2 * noise)
      out.vibration = carVibration(this.traits, this.spec, health, 0, false, wander, noise) * 0.4
      out.doorOpen = 1
      return out
    }
    runState(this.spec, s.distance, (t - s.t0) / 1000, scratchRun)
    const up = s.to > s.from
    const h0 = heightOf(this.spec, s.from)
    const height = h0 + (up ? scratchRun.travelled : -scratchRun.travelled)
    out.floor = this.floorAt(height)
    out.direction = up ? 1 : -1
    out.speed = scratchRun.speed
    out.loadKg = s.loadKg
    out.currentA = motorCurrent(this.spec, health, s.loadKg, scratchRun.ramping, wander, noise)
    out.vibration = carVibration(
      this.traits,
      this.spec,
      health,
      scratchRun.speed,
      scratchRun.ramping,
      wander,
      this.rng.normal(),
    )
    out.doorOpen = 0
    return out
  }

  private floorAtRest(t: number): number {
    const upcoming = this.segments.find((s) => s.t0 > t)
    if (upcoming) return upcoming.kind === 'run' ? upcoming.from : upcoming.floor
    return this.floor
  }

  private floorAt(height: number): number {
    if (height < -0.5 * 3.6) return Math.max(this.spec.lowestFloor, Math.round(height / 3.6))
    return Math.min(this.spec.topFloor, Math.max(1, Math.round(height / this.spec.floorHeight) + 1))
  }
}
