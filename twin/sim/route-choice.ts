/**
 * Exit choice by estimated time to get out: for each candidate target, max(walking time along its floor field,
 * people I can see ahead of me on its route / its capacity). The first choice is the quickest by walking time;
 * agents slowed down by a crowd re-evaluate. Re-evaluated every `rerouteInterval` seconds from
 * histograms of who heads where at which distance, with hysteresis and a switching share so crowds do not
 * swing between exits together. Agents with one target skip all of this.
 */
import type { ModelParams } from './model-params.ts'
import type { Rng } from './rng.ts'
import type { World } from './world.ts'

/** The engine state the chooser reads and writes (kept structural to avoid an import cycle). */
export interface RoutedAgents {
  readonly px: Float64Array
  readonly py: Float64Array
  readonly v0: Float32Array
  readonly vx: Float32Array
  readonly vy: Float32Array
  readonly start: Float64Array
  readonly target: Int32Array
  readonly present: Int32Array
  readonly presentCount: number
}

const BIN = 1

/** Chooses and re-chooses targets for agents that have several. */
export class RouteChooser {
  private readonly world: World
  private readonly params: ModelParams
  private readonly rng: Rng
  /** Choice set of each agent (index into setStart), or -1 for a single fixed target. */
  private readonly setOf: Int32Array
  private readonly setStart: Int32Array
  private readonly setItems: Int32Array
  private readonly fixed: Int32Array
  /** Per-target histogram offsets into `hist` (cumulative counts after a rebuild). */
  private readonly histStart: Int32Array
  private readonly hist: Int32Array
  private readonly active: boolean
  private nextUpdate = 0

  constructor(
    world: World,
    agents: readonly { readonly targets: readonly number[] }[],
    params: ModelParams,
    rng: Rng,
  ) {
    this.world = world
    this.params = params
    this.rng = rng
    const n = agents.length
    this.setOf = new Int32Array(n).fill(-1)
    this.fixed = new Int32Array(n)
    const sets = new Map<string, number>()
    const starts: number[] = [0]
    const items: number[] = []
    agents.forEach((a, i) => {
      if (a.targets.length === 0) throw new RangeError(`agent ${i} has no target`)
      this.fixed[i] = a.targets[0]!
      if (a.targets.length === 1) return
      const key = [...a.targets].sort((x, y) => x - y).join(',')
      let s = sets.get(key)
      if (s === undefined) {
        s = sets.size
        sets.set(key, s)
        items.push(...a.targets)
        starts.push(items.length)
      }
      this.setOf[i] = s
    })
    this.setStart = Int32Array.from(starts)
    this.setItems = Int32Array.from(items)
    this.active = sets.size > 0
    // Histograms only for targets someone chooses between.
    const used = new Set(items)
    const cells = world.grid.cells
    const histStart = new Int32Array(world.targets.length + 1)
    let total = 0
    world.targets.forEach((t, k) => {
      histStart[k] = total
      if (!used.has(k)) return
      let max = 0
      for (let c = 0; c < cells; c++) {
        const v = world.fields.distanceOf(t.field, c)
        if (v < Infinity && v > max) max = v
      }
      total += Math.ceil(max / BIN) + 2
    })
    histStart[world.targets.length] = total
    this.histStart = histStart
    this.hist = new Int32Array(total)
  }

  /** Gives a newly placed agent its target. */
  assign(a: RoutedAgents, i: number): void {
    const s = this.setOf[i]!
    a.target[i] = s < 0 ? this.fixed[i]! : this.best(a, i, s)
  }

  /** Re-evaluates the choices when due. */
  update(a: RoutedAgents, t: number): void {
    if (!this.active || t < this.nextUpdate) return
    this.nextUpdate = t + this.params.rerouteInterval
    this.rebuild(a)
    const share = this.params.rerouteShare
    const margin = this.params.switchMargin
    for (let q = 0; q < a.presentCount; q++) {
      const i = a.present[q]!
      const s = this.setOf[i]!
      if (s < 0 || a.start[i]! > t) continue
      // Only someone held up in a crowd reconsiders: people keep walking to the exit they chose (the nearest)
      // until they meet the jam in front of it.
      const v2 = a.vx[i]! * a.vx[i]! + a.vy[i]! * a.vy[i]!
      const jam = this.params.jamSpeed * a.v0[i]!
      if (v2 > jam * jam) continue
      const cur = a.target[i]!
      const best = this.best(a, i, s)
      if (best === cur) continue
      const tCur = this.estimate(a, i, cur)
      const tBest = this.estimate(a, i, best)
      // Hysteresis: switch only for a clear gain, and only a share of the agents per round.
      if (tBest < tCur - Math.max(2, margin * tCur) && this.rng.next() < share) a.target[i] = best
    }
  }

  private best(a: RoutedAgents, i: number, s: number): number {
    let best = -1
    let bestT = Infinity
    for (let k = this.setStart[s]!; k < this.setStart[s + 1]!; k++) {
      const target = this.setItems[k]!
      const t = this.estimate(a, i, target)
      if (t < bestT) {
        bestT = t
        best = target
      }
    }
    return best < 0 ? this.setItems[this.setStart[s]!]! : best
  }

  /** Estimated seconds for agent i to get out through `target`. */
  private estimate(a: RoutedAgents, i: number, target: number): number {
    const info = this.world.targets[target]!
    const d = this.world.fields.distanceAt(info.field, a.px[i]!, a.py[i]!)
    if (d === Infinity) return Infinity
    const bin = Math.floor(d / BIN)
    const h0 = this.histStart[target]!
    const h1 = this.histStart[target + 1]!
    let ahead = 0
    if (h1 > h0 && bin > 0) {
      // Only the crowd within sight ahead counts: the people between me and `perception` metres further on.
      const near = Math.min(h0 + bin - 1, h1 - 1)
      const far = near - Math.ceil(this.params.perception / BIN)
      ahead = this.hist[near]! - (far >= h0 ? this.hist[far]! : 0)
    }
    return Math.max(d / a.v0[i]!, (this.params.queueWeight * ahead) / info.capacity)
  }

  /** Cumulative counts of agents per target by distance bin. */
  private rebuild(a: RoutedAgents): void {
    const hist = this.hist
    hist.fill(0)
    const fields = this.world.fields
    for (let q = 0; q < a.presentCount; q++) {
      const i = a.present[q]!
      const target = a.target[i]!
      const h0 = this.histStart[target]!
      const h1 = this.histStart[target + 1]!
      if (h1 === h0) continue
      const d = fields.distanceAt(this.world.targets[target]!.field, a.px[i]!, a.py[i]!)
      if (d === Infinity) continue
      hist[Math.min(h0 + Math.floor(d / BIN), h1 - 1)]!++
    }
    for (let k = 0; k + 1 < this.histStart.length; k++) {
      const h0 = this.histStart[k]!
      const h1 = this.histStart[k + 1]!
      for (let b = h0 + 1; b < h1; b++) hist[b]! += hist[b - 1]!
    }
  }
}
