/**
 * The actor of one building entrance (单元): its door stations and its lifts. It takes the day's lift calls and
 * door passages from the demand model, gives each call to the in-service car that can reach it first, and reports:
 *
 * - per car: a motion sample every `elevatorActive` while it moves or works its doors (floor, direction, speed,
 *   load, motor current, vibration, motor temperature, door state); a stop summary after each door cycle (door
 *   open/close times, door motor current, levelling error, load); a heartbeat every `elevatorIdle` (temperatures,
 *   trip and run-hour counters, in service); events for trips, door reversals, faults and maintenance;
 * - per door station: an `access.pass` event per person and a heartbeat with counts.
 *
 * Cars fail and are repaired per their `HealthTrack`; they also stop for the fortnightly maintenance (半月保养)
 * required of Chinese lifts, which re-greases the doors (a benign saw-tooth in door times).
 */
import { DAY, HOUR, SECOND, dayOf, dayStart, nextOnGrid } from './calendar.ts'
import type { Climate } from './climate.ts'
import type { HealthTrack } from './degradation.ts'
import { wander } from './degradation.ts'
import type { Demand, DoorPass, LiftCall } from './demand.ts'
import { liftFaultCode } from './elevator.ts'
import type { Emitter } from './emitter.ts'
import type { CarSample, LiftCar } from './lift-car.ts'
import { telemetryShape } from './payload.ts'
import type { ReportingPeriods } from './periods.ts'
import { mixKey, unitHash } from './rng.ts'
import type { Actor } from './scheduler.ts'
import type { EntranceSite } from './site-index.ts'

export const LIFT_MOTION_SHAPE = telemetryShape({
  floor: 0,
  direction: 0,
  speed_ms: 2,
  load_kg: 0,
  motor_current_a: 1,
  vibration_rms_ms2: 3,
  motor_temp_c: 1,
  door_open: 0,
})
export const LIFT_STOP_SHAPE = telemetryShape({
  floor: 0,
  door_open_s: 2,
  door_close_s: 2,
  door_current_a: 2,
  level_error_mm: 1,
  load_kg: 0,
})
export const LIFT_HEARTBEAT_SHAPE = telemetryShape({
  floor: 0,
  motor_temp_c: 1,
  machine_room_c: 1,
  trips: 0,
  run_hours: 2,
  in_service: 0,
})
export const DOOR_HEARTBEAT_SHAPE = telemetryShape({ passes_in: 0, passes_out: 0 })

/** Days between the statutory maintenance visits. */
const MAINTENANCE_DAYS = 15

type Change = { t: number; kind: 'fail' | 'repair' | 'restore' | 'service' | 'serviced' }

interface CarState {
  readonly car: LiftCar
  readonly health: HealthTrack
  readonly key: number
  /** Day of the fortnightly maintenance cycle. */
  readonly phase: number
  /** Offset of the car's motion samples on the reporting grid. */
  readonly tickPhase: number
  beat: number
  changes: Change[]
  lastService: number
  maintenance: boolean
}

export interface EntranceOptions {
  readonly site: EntranceSite
  readonly demand: Demand
  readonly climate: Climate
  readonly periods: ReportingPeriods
  readonly start: number
  readonly end: number
  readonly cars: readonly { car: LiftCar; health: HealthTrack; key: number }[]
  /** Device indices of the ground and basement door stations, -1 if absent. */
  readonly doors: { readonly ground: number; readonly basement: number }
  readonly key: number
}

export class EntranceActor implements Actor {
  next = 0
  private readonly cars: CarState[]
  private calls: LiftCall[] = []
  private doors: DoorPass[] = []
  private callHead = 0
  private doorHead = 0
  private day: number
  private doorBeat: number
  private readonly passes = new Float64Array(4)
  private readonly sample: CarSample = {
    floor: 1,
    direction: 0,
    speed: 0,
    loadKg: 0,
    currentA: 0,
    vibration: 0,
    doorOpen: 0,
  }
  private readonly values = new Float64Array(8)

  constructor(private readonly o: EntranceOptions) {
    this.day = dayOf(o.start) - 1
    this.cars = o.cars.map(({ car, health, key }) => {
      const phase = Math.floor(unitHash(key, 11) * MAINTENANCE_DAYS)
      const day = dayOf(o.start)
      const since = (((day - phase) % MAINTENANCE_DAYS) + MAINTENANCE_DAYS) % MAINTENANCE_DAYS
      const changes: Change[] = []
      const kinds = ['fail', 'repair', 'restore'] as const
      health.changes().forEach((t, i) => {
        if (t >= o.start && t < o.end) changes.push({ t, kind: kinds[i % 3] as Change['kind'] })
      })
      const state: CarState = {
        car,
        health,
        key,
        phase,
        tickPhase: Math.floor(unitHash(key, 14) * (o.periods.elevatorActive / SECOND)) * SECOND,
        beat: nextOnGrid(o.start, o.periods.elevatorIdle, Math.floor(unitHash(key, 12) * 60) * 1000),
        changes,
        lastService: dayStart(day - since) + 10 * HOUR,
        maintenance: false,
      }
      const condition = health.at(o.start).condition
      car.inService = condition === 'healthy' || condition === 'degrading'
      return state
    })
    this.doorBeat = nextOnGrid(
      o.start,
      o.periods.accessHeartbeat,
      Math.floor(unitHash(o.key, 13) * 300) * 1000,
    )
    this.loadDay(dayOf(o.start))
    this.next = this.earliest()
  }

  private loadDay(day: number): void {
    const plan = this.o.demand.dayPlan(day).entrances[this.o.site.index]
    const after = (x: { t: number }) => x.t >= this.o.start
    this.calls = this.calls.slice(this.callHead).concat(plan ? plan.calls.filter(after) : [])
    this.doors = this.doors.slice(this.doorHead).concat(plan ? plan.doors.filter(after) : [])
    this.callHead = 0
    this.doorHead = 0
    this.day = day
    for (const c of this.cars) this.scheduleService(c, day)
  }

  /** Puts the fortnightly service of `day` (if it is one) into the car's changes. */
  private scheduleService(c: CarState, day: number): void {
    if ((((day - c.phase) % MAINTENANCE_DAYS) + MAINTENANCE_DAYS) % MAINTENANCE_DAYS !== 0) return
    const t = Math.round(dayStart(day) + (9.5 + unitHash(c.key, day) * 5) * HOUR)
    if (t < this.o.start || t >= this.o.end) return
    c.changes.push(
      { t, kind: 'service' },
      { t: t + Math.round((1.5 + unitHash(c.key, -day) * 1.5) * HOUR), kind: 'serviced' },
    )
    c.changes.sort((a, b) => a.t - b.t)
  }

  private earliest(): number {
    let t = dayStart(this.day + 1)
    const call = this.calls[this.callHead]
    if (call && call.t < t) t = call.t
    const door = this.doors[this.doorHead]
    if (door && door.t < t) t = door.t
    if (this.doorBeat < t && (this.o.doors.ground >= 0 || this.o.doors.basement >= 0)) t = this.doorBeat
    for (const c of this.cars) {
      const serveAt = c.car.pending.length > 0 ? c.car.freeAt : Infinity
      t = Math.min(
        t,
        c.beat,
        c.car.tick,
        c.changes[0]?.t ?? Infinity,
        c.car.stops[0]?.t1 ?? Infinity,
        serveAt,
      )
    }
    return t
  }

  step(out: Emitter): void {
    const t = this.next
    if (t >= dayStart(this.day + 1)) this.loadDay(this.day + 1)
    for (const c of this.cars)
      while (c.changes[0] && c.changes[0].t === t) this.change(out, c, c.changes.shift() as Change)
    for (const c of this.cars)
      if (c.car.pending.length > 0 && c.car.freeAt <= t && c.car.inService) this.serve(t, c)
    while (this.calls[this.callHead]?.t === t) this.dispatch(t, this.calls[this.callHead++] as LiftCall)
    while (this.doors[this.doorHead]?.t === t) this.doorPass(out, t, this.doors[this.doorHead++] as DoorPass)
    for (const c of this.cars) {
      while (c.car.stops[0]?.t1 === t) this.reportStop(out, c, t)
      if (c.car.tick === t) this.motion(out, c, t)
      if (c.beat === t) this.heartbeat(out, c, t)
    }
    if (this.doorBeat === t) this.doorHeartbeat(out, t)
    this.next = this.earliest()
  }

  private roomC(t: number, c: CarState): number {
    return this.o.climate.outdoorC(t) + c.car.traits.roomOffsetK
  }

  /** Gives `call` to the in-service car that can reach it first (a car already waiting there takes it in). */
  private dispatch(t: number, call: LiftCall): void {
    let best: CarState | null = null
    let bestArrival = Infinity
    for (const c of this.cars) {
      if (!c.car.inService) continue
      if (c.car.board(t, call, c.health.at(t), wander(mixKey(c.key, 22), t))) return
      // Each call already waiting for a car costs it about a stop.
      const queue = c.car.pending.length * 12_000
      const arrival = Math.max(t, c.car.freeAt) + queue + Math.abs(c.car.floor - call.from) * 1500
      if (arrival < bestArrival) {
        best = c
        bestArrival = arrival
      }
    }
    // With every car out of service people take the stairs: the call is lost.
    if (!best) return
    best.car.pending.push(call)
    if (best.car.freeAt <= t) this.serve(t, best)
  }

  /** Plans the car's next collective run (it is free at t) and makes sure its motion samples resume. */
  private serve(t: number, c: CarState): void {
    const car = c.car
    const room = this.roomC(t, c)
    const ctx = {
      cold: Math.min(1, Math.max(0, (15 - room) / 15)),
      lubricationAge: Math.min(1, (t - c.lastService) / (MAINTENANCE_DAYS * DAY)),
      wander: wander(mixKey(c.key, 21), t),
    }
    const idle = car.tick === Infinity
    car.serve(t, c.health.at(t), ctx, wander(mixKey(c.key, 22), t))
    if (idle) {
      const first = car.segments[0]
      car.tick = nextOnGrid(Math.max(t, first?.t0 ?? t), this.o.periods.elevatorActive, c.tickPhase)
    }
  }

  /** A car leaving service hands the calls still waiting for it to the others. */
  private handOver(t: number, c: CarState): void {
    for (const call of c.car.pending.splice(0)) this.dispatch(t, call)
  }

  private change(out: Emitter, c: CarState, change: Change): void {
    const dev = c.car.device
    const t = change.t
    switch (change.kind) {
      case 'fail': {
        c.car.inService = false
        c.car.cancelFrom(t)
        this.handOver(t, c)
        out.status(dev, t, 'fault', liftFaultCode(c.health.at(t).fault))
        out.event(dev, t, 'fault.raised', { code: liftFaultCode(c.health.at(t).fault) })
        break
      }
      case 'repair':
        out.status(dev, t, 'maintenance', 'repair')
        out.event(dev, t, 'maintenance.start', { reason: 'repair' })
        break
      case 'restore':
        c.car.inService = true
        c.lastService = t
        out.event(dev, t, 'fault.cleared', {})
        out.event(dev, t, 'maintenance.end', { reason: 'repair' })
        out.status(dev, t, 'online')
        break
      case 'service': {
        const condition = c.health.at(t).condition
        if (!c.car.inService || condition === 'failed' || condition === 'repair' || out.isOffline(dev, t)) {
          // Skip this visit, and its end.
          c.changes = c.changes.filter((x) => x.kind !== 'serviced' || x.t < t)
          break
        }
        c.maintenance = true
        c.car.inService = false
        this.handOver(t, c)
        out.status(dev, t, 'maintenance', 'scheduled')
        out.event(dev, t, 'maintenance.start', { reason: 'scheduled' })
        break
      }
      case 'serviced':
        if (!c.maintenance) break
        c.maintenance = false
        c.car.inService = ['healthy', 'degrading'].includes(c.health.at(t).condition)
        c.lastService = t
        out.event(dev, t, 'maintenance.end', { reason: 'scheduled' })
        out.status(dev, t, 'online')
        break
    }
  }

  private doorPass(out: Emitter, t: number, pass: DoorPass): void {
    const dev = pass.basement ? this.o.doors.basement : this.o.doors.ground
    const device = dev >= 0 ? dev : this.o.doors.ground
    if (device < 0) return
    const slot = (device === this.o.doors.basement ? 2 : 0) + (pass.direction === 'in' ? 0 : 1)
    this.passes[slot] = (this.passes[slot] as number) + 1
    out.event(device, t, 'access.pass', {
      direction: pass.direction,
      method: pass.method,
      person: pass.person,
    })
  }

  private doorHeartbeat(out: Emitter, t: number): void {
    const v = this.values
    const doors = [this.o.doors.ground, this.o.doors.basement]
    doors.forEach((dev, i) => {
      if (dev < 0) return
      v[0] = this.passes[2 * i] as number
      v[1] = this.passes[2 * i + 1] as number
      this.passes[2 * i] = 0
      this.passes[2 * i + 1] = 0
      out.telemetry(dev, t, DOOR_HEARTBEAT_SHAPE, v)
    })
    this.doorBeat = t + this.o.periods.accessHeartbeat
  }

  private reportStop(out: Emitter, c: CarState, t: number): void {
    const stop = c.car.stops.shift()
    if (!stop) return
    const dev = c.car.device
    const f = stop.features
    const v = this.values
    v[0] = stop.floor
    v[1] = f.doorOpenS
    v[2] = f.doorCloseS
    v[3] = f.doorCurrentA
    v[4] = f.levelErrorMm
    v[5] = stop.loadKg
    out.telemetry(dev, t, LIFT_STOP_SHAPE, v)
    if (f.reopened) out.event(dev, t, 'door.reopen', { floor: stop.floor })
    if (stop.trip) {
      c.car.trips++
      out.event(dev, t, 'trip.end', {
        from: stop.trip.from,
        to: stop.trip.to,
        stops: stop.trip.stops,
        passengers: stop.trip.passengers,
        person: stop.trip.person,
        waitS: Math.max(0, stop.trip.waitS),
      })
    }
  }

  private motion(out: Emitter, c: CarState, t: number): void {
    const car = c.car
    const health = c.health.at(t)
    car.updateThermal(t, this.roomC(t, c), health)
    const s = car.sample(t, health, wander(mixKey(c.key, 22), t), this.sample)
    const v = this.values
    v[0] = s.floor
    v[1] = s.direction
    v[2] = s.speed
    v[3] = s.loadKg
    v[4] = s.currentA
    v[5] = s.vibration
    v[6] = car.tempC
    v[7] = s.doorOpen
    out.telemetry(car.device, t, LIFT_MOTION_SHAPE, v)
    car.prune(t)
    const period = this.o.periods.elevatorActive
    const upcoming = car.segments[0]
    if (car.busyWithin(t, period)) car.tick = t + period
    else if (upcoming) car.tick = nextOnGrid(Math.max(upcoming.t0, t + 1), period, t)
    else car.tick = Infinity
  }

  private heartbeat(out: Emitter, c: CarState, t: number): void {
    const car = c.car
    const room = this.roomC(t, c)
    car.updateThermal(t, room, c.health.at(t))
    const v = this.values
    v[0] = car.floorNow(t)
    v[1] = car.tempC
    v[2] = room
    v[3] = car.trips
    v[4] = car.runMs / HOUR
    v[5] = car.inService ? 1 : 0
    out.telemetry(car.device, t, LIFT_HEARTBEAT_SHAPE, v)
    c.beat = t + this.o.periods.elevatorIdle
  }
}
