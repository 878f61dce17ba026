/**
 * The pedestrian engine: agents in structure-of-arrays typed storage, stepped with the collision-free speed
 * model (see model-params.ts for the model and why). One step: spawn due agents, rebuild the spatial hash,
 * re-evaluate exits when due, compute every agent's velocity from the state at t, then move everyone (a
 * synchronous update, so the result does not depend on agent order). Nothing in `step` allocates: all scratch
 * is sized in the constructor.
 */
import { segmentsCross } from './geometry.ts'
import type { ModelParams } from './model-params.ts'
import { neighbourCutoff } from './model-params.ts'
import { RouteChooser } from './route-choice.ts'
import { Rng } from './rng.ts'
import { SpatialHash } from './spatial-hash.ts'
import type { World } from './world.ts'

/** One agent as the engine takes it. */
export interface AgentSpec {
  readonly id: string
  readonly x: number
  readonly y: number
  /** Desired (free) walking speed, m/s. */
  readonly speed: number
  /** Body radius, metres (default: the model's). */
  readonly radius?: number
  /** When the agent is placed on the floor, seconds (default 0). */
  readonly appear?: number
  /** When it starts to walk, seconds (default: `appear`); the gap is its reaction (pre-movement) time. */
  readonly start?: number
  /** Indices into `world.targets`; more than one means: choose by estimated time to get out. */
  readonly targets: readonly number[]
}

/** Agent status codes in {@link PedestrianEngine.status}. */
export const PENDING = 0
export const PRESENT = 1
export const ARRIVED = 2

/** Engine options. */
export interface EngineOptions {
  readonly dt: number
  readonly seed: number
  readonly params: ModelParams
  /** Count moves that cross a wall segment (validation; costs a little per agent-step). */
  readonly audit?: boolean
}

/**
 * exp(x) by linear interpolation in a table over [-12, 8] at 1/64 steps (relative error < 4e-5), Math.exp
 * outside. The repulsion's exponential was 16% of the step in a profile; the table lookup costs a fraction.
 */
const EXP_MIN = -12
const EXP_MAX = 8
const EXP_SCALE = 64
const EXP_TABLE = Float64Array.from({ length: (EXP_MAX - EXP_MIN) * EXP_SCALE + 2 }, (_, k) =>
  Math.exp(EXP_MIN + k / EXP_SCALE),
)

/** Table exp (see EXP_TABLE). */
export function fastExp(x: number): number {
  if (x <= EXP_MIN) return x < EXP_MIN - 8 ? 0 : Math.exp(x)
  if (x >= EXP_MAX) return Math.exp(x)
  const u = (x - EXP_MIN) * EXP_SCALE
  const k = u | 0
  const a = EXP_TABLE[k]!
  return a + (u - k) * (EXP_TABLE[k + 1]! - a)
}

/** Maximum neighbours and walls kept per agent for the speed and constraint passes. */
const MAX_NEIGHBOURS = 48
const MAX_WALLS = 16

/** The pedestrian simulation state and its step. */
export class PedestrianEngine {
  readonly world: World
  readonly dt: number
  readonly params: ModelParams
  readonly count: number
  readonly ids: readonly string[]
  readonly px: Float64Array
  readonly py: Float64Array
  readonly vx: Float32Array
  readonly vy: Float32Array
  readonly v0: Float32Array
  readonly radius: Float32Array
  readonly appear: Float64Array
  readonly start: Float64Array
  readonly arrival: Float64Array
  /** The target index (into world.targets) each agent heads for now. */
  readonly target: Int32Array
  readonly status: Uint8Array
  /** Indices of the agents on the floor (waiting or walking); `presentCount` of them are valid. */
  readonly present: Int32Array
  presentCount = 0
  time = 0
  steps = 0
  agentSteps = 0
  arrivedCount = 0
  /** Moves that crossed a wall (only counted with `audit`). */
  wallCrossings = 0
  /** Closest approach of any agent centre to a wall (only tracked with `audit`), metres. */
  minWallDistance = Infinity

  private readonly order: Int32Array
  private nextAppear = 0
  private readonly hash: SpatialHash
  private readonly router: RouteChooser
  private readonly nvx: Float64Array
  private readonly nvy: Float64Array
  private readonly nbX = new Float64Array(MAX_NEIGHBOURS)
  private readonly nbY = new Float64Array(MAX_NEIGHBOURS)
  private readonly nbD = new Float64Array(MAX_NEIGHBOURS)
  private readonly nbL = new Float64Array(MAX_NEIGHBOURS)
  private readonly wNx = new Float64Array(MAX_WALLS)
  private readonly wNy = new Float64Array(MAX_WALLS)
  private readonly wD = new Float64Array(MAX_WALLS)
  private readonly wS = new Int32Array(MAX_WALLS)
  private readonly targetField: Int32Array
  /** Arrivals found by the last velocity pass, for move() to take off the floor. */
  private arrivedNow = 0
  private readonly audit: boolean

  constructor(world: World, agents: readonly AgentSpec[], options: EngineOptions) {
    this.world = world
    this.dt = options.dt
    this.params = options.params
    this.audit = options.audit ?? false
    const n = agents.length
    this.count = n
    this.ids = agents.map((a) => a.id)
    this.px = new Float64Array(n)
    this.py = new Float64Array(n)
    this.vx = new Float32Array(n)
    this.vy = new Float32Array(n)
    this.v0 = new Float32Array(n)
    this.radius = new Float32Array(n)
    this.appear = new Float64Array(n)
    this.start = new Float64Array(n)
    this.arrival = new Float64Array(n).fill(Number.NaN)
    this.target = new Int32Array(n).fill(-1)
    this.status = new Uint8Array(n)
    this.present = new Int32Array(n)
    this.nvx = new Float64Array(n)
    this.nvy = new Float64Array(n)
    this.targetField = Int32Array.from(world.targets, (t) => t.field)
    let maxSpeed = 0
    let maxRadius = 0
    agents.forEach((a, i) => {
      this.px[i] = a.x
      this.py[i] = a.y
      this.v0[i] = a.speed
      this.radius[i] = a.radius ?? options.params.radius
      this.appear[i] = a.appear ?? 0
      this.start[i] = Math.max(a.start ?? this.appear[i], this.appear[i])
      maxSpeed = Math.max(maxSpeed, a.speed)
      maxRadius = Math.max(maxRadius, this.radius[i])
    })
    this.order = Int32Array.from(agents.keys()).sort((a, b) => this.appear[a]! - this.appear[b]! || a - b)
    const cutoff = neighbourCutoff(options.params, maxSpeed, Math.max(maxRadius, options.params.radius))
    const g = world.grid
    const bounds = {
      minX: g.originX,
      minY: g.originY,
      maxX: g.originX + g.cols * g.cell,
      maxY: g.originY + g.rows * g.cell,
    }
    this.hash = new SpatialHash(n, cutoff, bounds, world.periodicX)
    this.router = new RouteChooser(world, agents, options.params, new Rng(options.seed ^ 0x5eed))
  }

  /** Whether every agent has arrived. */
  get done(): boolean {
    return this.arrivedCount === this.count
  }

  /** The earliest time at which something can happen: now if anyone is present, else the next appearance. */
  nextEventTime(): number {
    if (this.presentCount > 0) return this.time
    const next = this.order[this.nextAppear]
    return next === undefined ? Infinity : this.appear[next]!
  }

  /** Jumps the clock forward over an idle stretch (nobody present) to whole steps before `t`. */
  skipTo(t: number): void {
    if (this.presentCount > 0 || t <= this.time) return
    const k = Math.floor((t - this.time) / this.dt + 1e-9)
    this.steps += k
    this.time = this.steps * this.dt
  }

  /** Advances the simulation by one time step. */
  step(): void {
    const t = this.time
    this.spawn(t)
    if (this.presentCount > 0) {
      this.hash.rebuild(this.px, this.py, this.radius, this.present, this.presentCount)
      this.router.update(this, t)
      this.computeVelocities(t)
      this.move()
    }
    // Time from the step count, not by accumulation: no drift over a day of 0.1 s steps.
    this.steps++
    this.time = this.steps * this.dt
  }

  private spawn(t: number): void {
    const order = this.order
    while (this.nextAppear < this.count) {
      const i = order[this.nextAppear]!
      if (this.appear[i]! > t + 1e-9) break
      this.nextAppear++
      this.status[i] = PRESENT
      this.present[this.presentCount++] = i
      this.router.assign(this, i)
    }
  }

  /** The velocity of every walking agent from the state at time t (nothing moves yet). */
  private computeVelocities(t: number): void {
    const { v0, start, target, nvx, nvy, nbX, nbY, nbD, nbL, wNx, wNy, wD, wS } = this
    const p = this.params
    const dt = this.dt
    const grid = this.world.grid
    const gox = grid.originX
    const goy = grid.originY
    const gh = grid.cell
    const gcols = grid.cols
    const grows = grid.rows
    const gcells = grid.cells
    const nav = this.world.fields.nav
    const { status, arrival } = this
    let arrived = 0
    const tField = this.targetField
    const walls = this.world.walls
    const seg = walls.seg
    const wStart = walls.start
    const wItems = walls.items
    const wox = walls.originX
    const woy = walls.originY
    const wcell = walls.cell
    const wcols = walls.cols
    const wrows = walls.rows
    const hash = this.hash
    const hItems = hash.items
    const rStart = hash.rangeStart
    const rEnd = hash.rangeEnd
    const rCX = hash.rangeCX
    const rCY = hash.rangeCY
    const hCellX = hash.cellX
    const hCellY = hash.cellY
    const hX = hash.x
    const hY = hash.y
    const hR = hash.r
    const periodic = hash.periodicCols > 0
    const period = periodic ? this.world.periodicX![1] - this.world.periodicX![0] : 0
    const halfPeriod = period / 2
    const cut2 = hash.cutoff * hash.cutoff
    const aN = p.neighbourStrength
    const invDN = 1 / p.neighbourRange
    const repel2 = (2 * p.radius + 6 * p.neighbourRange) ** 2
    const aW = p.wallStrength
    const invDW = 1 / p.wallRange
    const wallReach2 = p.wallReach * p.wallReach
    const clearance = p.wallClearance
    const invT = 1 / p.timeGap
    const tGap = p.timeGap
    const overtake = p.overtaking
    const audit = this.audit
    let steps = 0
    // Visit agents in hash-bucket order: consecutive agents share most neighbours, which keeps them in cache.
    const order = hItems
    for (let q = 0; q < this.presentCount; q++) {
      const i = order[q]!
      if (start[i]! > t) {
        nvx[i] = 0
        nvy[i] = 0
        continue
      }
      const x = hX[q]!
      const y = hY[q]!
      const ri = hR[q]!
      // Desired direction: the floor field's descent direction at the agent's cell.
      let gc = Math.floor((x - gox) / gh)
      let gr = Math.floor((y - goy) / gh)
      gc = gc < 0 ? 0 : gc >= gcols ? gcols - 1 : gc
      gr = gr < 0 ? 0 : gr >= grows ? grows - 1 : gr
      const fi = 3 * (tField[target[i]!]! * gcells + gr * gcols + gc)
      // Arrived (inside its target at time t): recorded now, taken off the floor by move().
      if (nav[fi + 2]! <= 0) {
        status[i] = ARRIVED
        arrival[i] = t
        arrived++
        nvx[i] = 0
        nvy[i] = 0
        continue
      }
      steps++
      const e0x = nav[fi]!
      const e0y = nav[fi + 1]!
      let ex = e0x
      let ey = e0y
      // Neighbours in the 3x3 cells around the agent.
      let nn = 0
      hash.gather(q)
      const filter = hash.rangeFilter
      for (let m = 0; m < hash.rangeCount; m++) {
        const end = rEnd[m]!
        const fx = rCX[m]!
        const fy = rCY[m]!
        for (let k = rStart[m]!; k < end; k++) {
          if (k === q || (filter && (hCellX[k] !== fx || hCellY[k] !== fy))) continue
          let rx = x - hX[k]!
          const ry = y - hY[k]!
          if (periodic) rx = rx > halfPeriod ? rx - period : rx < -halfPeriod ? rx + period : rx
          const d2 = rx * rx + ry * ry
          if (d2 >= cut2 || d2 === 0) continue
          const d = Math.sqrt(d2)
          const l = ri + hR[k]!
          if (d2 < repel2) {
            // exp by table, inlined by hand: a call returning a double boxes it (one allocation per pair).
            let ea = (l - d) * invDN
            let f: number
            if (ea > EXP_MIN && ea < EXP_MAX) {
              ea = (ea - EXP_MIN) * EXP_SCALE
              const ek = ea | 0
              const e0 = EXP_TABLE[ek]!
              f = (aN * (e0 + (ea - ek) * (EXP_TABLE[ek + 1]! - e0))) / d
            } else f = (aN * fastExp(ea)) / d
            ex += f * rx
            ey += f * ry
          }
          if (nn < MAX_NEIGHBOURS) {
            nbX[nn] = rx
            nbY[nn] = ry
            nbD[nn] = d
            nbL[nn] = l
            nn++
          }
        }
      }
      // Walls listed in the agent's wall-grid cell.
      let nw = 0
      let wc = Math.floor((x - wox) / wcell)
      let wr = Math.floor((y - woy) / wcell)
      wc = wc < 0 ? 0 : wc >= wcols ? wcols - 1 : wc
      wr = wr < 0 ? 0 : wr >= wrows ? wrows - 1 : wr
      const wcIdx = wr * wcols + wc
      const wEnd = wStart[wcIdx + 1]!
      for (let k = wStart[wcIdx]!; k < wEnd; k++) {
        const s = wItems[k]! * 4
        const ax = seg[s]!
        const ay = seg[s + 1]!
        const sx = seg[s + 2]! - ax
        const sy = seg[s + 3]! - ay
        const len2 = sx * sx + sy * sy
        let u = len2 > 0 ? ((x - ax) * sx + (y - ay) * sy) / len2 : 0
        u = u < 0 ? 0 : u > 1 ? 1 : u
        const rx = x - (ax + u * sx)
        const ry = y - (ay + u * sy)
        const d2 = rx * rx + ry * ry
        if (d2 >= wallReach2 || d2 === 0) continue
        const d = Math.sqrt(d2)
        let ea = (ri - d) * invDW
        let f: number
        if (ea > EXP_MIN && ea < EXP_MAX) {
          ea = (ea - EXP_MIN) * EXP_SCALE
          const ek = ea | 0
          const e0 = EXP_TABLE[ek]!
          f = (aW * (e0 + (ea - ek) * (EXP_TABLE[ek + 1]! - e0))) / d
        } else f = (aW * fastExp(ea)) / d
        ex += f * rx
        ey += f * ry
        if (nw < MAX_WALLS) {
          wNx[nw] = rx / d
          wNy[nw] = ry / d
          wD[nw] = d
          wS[nw] = s
          nw++
        }
      }
      // Overtaking: a slower agent in my path pushes my direction sideways, away from it, in proportion to how
      // much it holds me up. Pure CSM has no lateral incentive, so with a spread of free speeds fast agents
      // queue behind slow ones for ever (measured: mean speed 0.75 m/s at 0.5 persons/m², Weidmann 1.30).
      const vmax = v0[i]!
      let blockGap = vmax * tGap
      let blockSide = 0
      for (let k = 0; k < nn; k++) {
        const rx = nbX[k]!
        const ry = nbY[k]!
        if (-(rx * e0x + ry * e0y) <= 0) continue
        const side = rx * e0y - ry * e0x
        const l = nbL[k]!
        if (side > l || side < -l) continue
        const g = nbD[k]! - l
        if (g < blockGap) {
          blockGap = g
          blockSide = side === 0 ? ((i & 1) === 0 ? 1 : -1) : side
        }
      }
      if (blockSide !== 0) {
        const w = overtake * (1 - (blockGap > 0 ? blockGap : 0) / (vmax * tGap))
        // Left normal of e0 is (-e0y, e0x); a neighbour on my left (side > 0) sends me right.
        const sgn = blockSide > 0 ? -w : w
        ex += sgn * -e0y
        ey += sgn * e0x
      }
      const elen = Math.sqrt(ex * ex + ey * ey)
      if (elen === 0) {
        nvx[i] = 0
        nvy[i] = 0
        continue
      }
      ex /= elen
      ey /= elen
      // Speed: the gap to the nearest neighbour in the agent's path (ahead, within the body corridor).
      let gap = Infinity
      for (let k = 0; k < nn; k++) {
        const rx = nbX[k]!
        const ry = nbY[k]!
        // (rx, ry) points from the neighbour to the agent: ahead means it is opposed to the direction.
        const ahead = -(rx * ex + ry * ey)
        if (ahead <= 0) continue
        const side = rx * ey - ry * ex
        const l = nbL[k]!
        if (side > l || side < -l) continue
        const g = nbD[k]! - l
        if (g < gap) gap = g
      }
      let v = gap * invT
      v = v > vmax ? vmax : v < 0 ? 0 : v
      let dx = v * ex * dt
      let dy = v * ey * dt
      // Hard wall constraint: no move brings the centre closer than the clearance to a wall.
      for (let k = 0; k < nw; k++) {
        const nx = wNx[k]!
        const ny = wNy[k]!
        const toward = -(dx * nx + dy * ny)
        if (toward <= 0) continue
        let allowed = wD[k]! - clearance
        if (allowed < 0) allowed = 0
        if (toward > allowed) {
          dx += nx * (toward - allowed)
          dy += ny * (toward - allowed)
        }
      }
      if (audit) {
        for (let k = 0; k < nw; k++) {
          const s = wS[k]!
          if (wD[k]! < this.minWallDistance) this.minWallDistance = wD[k]!
          if (segmentsCross(x, y, x + dx, y + dy, seg[s]!, seg[s + 1]!, seg[s + 2]!, seg[s + 3]!))
            this.wallCrossings++
        }
      }
      nvx[i] = dx / dt
      nvy[i] = dy / dt
    }
    this.agentSteps += steps
    this.arrivedNow = arrived
  }

  /** Moves everyone by the velocities just computed; takes the arrivals off the floor. */
  private move(): void {
    const { px, py, vx, vy, nvx, nvy, present, status } = this
    const dt = this.dt
    const per = this.world.periodicX
    const x0 = per ? per[0] : 0
    const x1 = per ? per[1] : 0
    const len = x1 - x0
    for (let q = 0; q < this.presentCount; q++) {
      const i = present[q]!
      const dvx = nvx[i]!
      const dvy = nvy[i]!
      vx[i] = dvx
      vy[i] = dvy
      if (dvx === 0 && dvy === 0) continue
      let x = px[i]! + dvx * dt
      if (per) x = x >= x1 ? x - len : x < x0 ? x + len : x
      px[i] = x
      py[i] = py[i]! + dvy * dt
    }
    const arrived = this.arrivedNow
    if (arrived === 0) return
    // Drop the arrivals from the present list, keeping its order.
    let w = 0
    for (let q = 0; q < this.presentCount; q++) {
      const i = present[q]!
      if (status[i] !== ARRIVED) present[w++] = i
    }
    this.presentCount = w
    this.arrivedCount += arrived
    this.arrivedNow = 0
  }
}
