/**
 * The actor of one passage point: a community gate (turnstiles or barriers, and its people counter) or a garage's
 * ramps (barriers). It plays the demand model's passages as events (`access.pass` on a turnstile lane,
 * `vehicle.entry` / `vehicle.exit` with the plate on a barrier), counts people for the counter's per-minute
 * telemetry (with the tailgating a stereo counter sees and turnstiles do not), and sends each lane's heartbeat with
 * its counts. The twin's crowd heatmap is built from exactly these.
 */
import { dayOf, dayStart, nextOnGrid, SECOND } from './calendar.ts'
import type { Demand, PointPass } from './demand.ts'
import type { Emitter } from './emitter.ts'
import { telemetryShape } from './payload.ts'
import type { ReportingPeriods } from './periods.ts'
import { unitHash } from './rng.ts'
import type { Rng } from './rng.ts'
import type { Actor } from './scheduler.ts'

export const GATE_COUNTER_SHAPE = telemetryShape({ in_count: 0, out_count: 0 })
export const LANE_HEARTBEAT_SHAPE = telemetryShape({ passes_in: 0, passes_out: 0 })

/** Share of people passing who walk through behind someone else (children, companions). */
const TAILGATING = 0.07

export interface GateOptions {
  /** Index of the point in the community's site index. */
  readonly point: number
  readonly demand: Demand
  readonly periods: ReportingPeriods
  readonly start: number
  readonly key: number
  readonly rng: Rng
  /** Device indices (those of filtered-out devices still count). */
  readonly turnstiles: readonly number[]
  readonly barriersIn: readonly number[]
  readonly barriersOut: readonly number[]
  /** People counter, -1 if none. */
  readonly counter: number
}

export class GateActor implements Actor {
  next: number
  private passes: PointPass[] = []
  private head = 0
  private day: number
  private counterAt: number
  private beatAt: number
  private countIn = 0
  private countOut = 0
  private readonly lanes: number[]
  private readonly laneCounts: Float64Array
  private readonly values = new Float64Array(2)

  constructor(private readonly o: GateOptions) {
    this.lanes = [...o.turnstiles, ...o.barriersIn, ...o.barriersOut]
    this.laneCounts = new Float64Array(this.lanes.length * 2)
    this.day = dayOf(o.start) - 1
    this.loadDay(dayOf(o.start))
    this.counterAt = o.counter >= 0 ? nextOnGrid(o.start, o.periods.peopleCounter, 0) : Infinity
    const phase = Math.floor(unitHash(o.key, 1) * (o.periods.accessHeartbeat / SECOND)) * SECOND
    this.beatAt = this.lanes.length > 0 ? nextOnGrid(o.start, o.periods.accessHeartbeat, phase) : Infinity
    this.next = this.earliest()
  }

  private loadDay(day: number): void {
    const plan = this.o.demand.dayPlan(day).points[this.o.point] ?? []
    this.passes = this.passes.slice(this.head).concat(plan.filter((p) => p.t >= this.o.start))
    this.head = 0
    this.day = day
  }

  private earliest(): number {
    return Math.min(
      dayStart(this.day + 1),
      this.passes[this.head]?.t ?? Infinity,
      this.counterAt,
      this.beatAt,
    )
  }

  step(out: Emitter): void {
    const t = this.next
    if (t >= dayStart(this.day + 1)) this.loadDay(this.day + 1)
    while (this.passes[this.head]?.t === t) this.pass(out, t, this.passes[this.head++] as PointPass)
    if (t === this.counterAt) {
      this.values[0] = this.countIn
      this.values[1] = this.countOut
      out.telemetry(this.o.counter, t, GATE_COUNTER_SHAPE, this.values)
      this.countIn = 0
      this.countOut = 0
      this.counterAt = t + this.o.periods.peopleCounter
    }
    if (t === this.beatAt) {
      this.lanes.forEach((lane, i) => {
        this.values[0] = this.laneCounts[2 * i] as number
        this.values[1] = this.laneCounts[2 * i + 1] as number
        out.telemetry(lane, t, LANE_HEARTBEAT_SHAPE, this.values)
      })
      this.laneCounts.fill(0)
      this.beatAt = t + this.o.periods.accessHeartbeat
    }
    this.next = this.earliest()
  }

  private pass(out: Emitter, t: number, p: PointPass): void {
    const o = this.o
    const inward = p.direction === 'in'
    if (p.vehicle) {
      const lanes = inward ? o.barriersIn : o.barriersOut
      const pool = lanes.length > 0 ? lanes : [...o.barriersIn, ...o.barriersOut]
      if (pool.length === 0) return
      const lane = o.rng.pick(pool)
      this.countLane(lane, inward)
      out.event(lane, t, inward ? 'vehicle.entry' : 'vehicle.exit', {
        plate: p.vehicle.plate,
        energy: p.vehicle.energy,
        person: p.person,
      })
      return
    }
    if (o.turnstiles.length > 0) {
      const lane = o.rng.pick(o.turnstiles)
      this.countLane(lane, inward)
      out.event(lane, t, 'access.pass', { direction: p.direction, method: p.method, person: p.person })
    }
    const people = 1 + (o.rng.chance(TAILGATING) ? 1 : 0)
    if (inward) this.countIn += people
    else this.countOut += people
  }

  private countLane(lane: number, inward: boolean): void {
    const i = this.lanes.indexOf(lane)
    const slot = 2 * i + (inward ? 0 : 1)
    this.laneCounts[slot] = (this.laneCounts[slot] as number) + 1
  }
}
