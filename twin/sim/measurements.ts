/**
 * What a run records besides arrivals: flows through counting lines (bottlenecks), density in areas over time,
 * and density heatmap frames. Each recorder reads the engine's arrays after a step; all storage is sized up
 * front (or grows by doubling, rarely), so recording does not allocate per step.
 */
import type { PedestrianEngine } from './engine.ts'
import type { Point } from './geometry.ts'
import { pointInPolygon, polygonArea, segmentsCross } from './geometry.ts'

/** Flow through one counting line. */
export interface FlowSummary {
  readonly id: string
  /** Crossings in either direction. */
  readonly count: number
  readonly first: number | null
  readonly last: number | null
  /** Mean flow between the 5th and 95th percentile crossing, persons/s (robust to stragglers). */
  readonly flow: number
  /** Highest count in any 10 s window, divided by 10, persons/s. */
  readonly peakFlow: number
}

/** Counts agents crossing line segments between consecutive steps. */
export class FlowCounter {
  private readonly lines: readonly { id: string; from: Point; to: Point }[]
  private readonly prevX: Float64Array
  private readonly prevY: Float64Array
  private readonly before: Int32Array
  private beforeCount = 0
  private times: Float64Array[]
  private counts: Int32Array

  constructor(lines: readonly { id: string; from: Point; to: Point }[], agents: number) {
    this.lines = lines
    this.prevX = new Float64Array(agents)
    this.prevY = new Float64Array(agents)
    this.before = new Int32Array(agents)
    this.times = lines.map(() => new Float64Array(Math.max(16, agents)))
    this.counts = new Int32Array(lines.length)
  }

  /** Call before each step: remembers who is on the floor and where. */
  beforeStep(e: PedestrianEngine): void {
    if (this.lines.length === 0) return
    this.beforeCount = e.presentCount
    for (let q = 0; q < e.presentCount; q++) {
      const i = e.present[q]!
      this.before[q] = i
      this.prevX[i] = e.px[i]!
      this.prevY[i] = e.py[i]!
    }
  }

  /** Call after each step: counts the moves that crossed a line. */
  afterStep(e: PedestrianEngine): void {
    for (let l = 0; l < this.lines.length; l++) {
      const { from, to } = this.lines[l]!
      for (let q = 0; q < this.beforeCount; q++) {
        const i = this.before[q]!
        const x0 = this.prevX[i]!
        const y0 = this.prevY[i]!
        const x1 = e.px[i]!
        const y1 = e.py[i]!
        if (x0 === x1 && y0 === y1) continue
        if (!segmentsCross(x0, y0, x1, y1, from[0], from[1], to[0], to[1])) continue
        let times = this.times[l]!
        const c = this.counts[l]!
        if (c === times.length) {
          const grown = new Float64Array(times.length * 2)
          grown.set(times)
          this.times[l] = times = grown
        }
        times[c] = e.time
        this.counts[l] = c + 1
      }
    }
  }

  /** The flows measured so far. */
  summary(): FlowSummary[] {
    return this.lines.map((line, l) => {
      const n = this.counts[l]!
      const t = this.times[l]!.slice(0, n).sort()
      if (n === 0) return { id: line.id, count: 0, first: null, last: null, flow: 0, peakFlow: 0 }
      const lo = Math.floor(0.05 * (n - 1))
      const hi = Math.ceil(0.95 * (n - 1))
      const span = t[hi]! - t[lo]!
      let peak = 0
      for (let a = 0, b = 0; b < n; b++) {
        while (t[b]! - t[a]! > 10) a++
        peak = Math.max(peak, b - a + 1)
      }
      const r3 = (x: number): number => Math.round(x * 1000) / 1000
      return {
        id: line.id,
        count: n,
        first: r3(t[0]!),
        last: r3(t[n - 1]!),
        flow: span > 0 ? r3((hi - lo) / span) : 0,
        peakFlow: r3(peak / 10),
      }
    })
  }
}

/** Density in an area over time. */
export interface AreaSeries {
  readonly id: string
  readonly area: number
  readonly times: number[]
  /** persons/m² at each time. */
  readonly density: number[]
  readonly peak: number
}

/** Samples the density in polygons at a fixed interval. */
export class AreaDensity {
  private readonly areas: readonly { id: string; polygon: readonly Point[] }[]
  private readonly series: { times: number[]; density: number[]; area: number }[]
  private readonly interval: number
  private next = 0

  constructor(areas: readonly { id: string; polygon: readonly Point[] }[], interval = 1) {
    this.areas = areas
    this.interval = interval
    this.series = areas.map((a) => ({ times: [], density: [], area: Math.abs(polygonArea(a.polygon)) }))
  }

  /** Call after each step. */
  afterStep(e: PedestrianEngine): void {
    if (this.areas.length === 0 || e.time + 1e-9 < this.next) return
    this.next = e.time + this.interval
    this.areas.forEach((a, k) => {
      let n = 0
      for (let q = 0; q < e.presentCount; q++) {
        const i = e.present[q]!
        if (pointInPolygon(e.px[i]!, e.py[i]!, a.polygon)) n++
      }
      const s = this.series[k]!
      s.times.push(e.time)
      s.density.push(n / s.area)
    })
  }

  summary(): AreaSeries[] {
    return this.areas.map((a, k) => {
      const s = this.series[k]!
      return { id: a.id, area: s.area, times: s.times, density: s.density, peak: Math.max(0, ...s.density) }
    })
  }
}

/** Density heatmap frames over a regular grid. */
export interface Heatmap {
  readonly originX: number
  readonly originY: number
  readonly cell: number
  readonly cols: number
  readonly rows: number
  readonly interval: number
  /** Frame k is the density (persons/m²) at time k * interval, row-major, rows from originY up. */
  readonly frames: Float32Array[]
  /** Highest cell density over all frames. */
  readonly peak: number
}

/** Records density frames at a fixed interval into preallocated frames. */
export class HeatmapRecorder {
  readonly map: { -readonly [K in keyof Heatmap]: Heatmap[K] }
  private next = 0
  private frame = 0

  constructor(
    bounds: { minX: number; minY: number; maxX: number; maxY: number },
    cell: number,
    interval: number,
    duration: number,
  ) {
    const cols = Math.max(1, Math.ceil((bounds.maxX - bounds.minX) / cell))
    const rows = Math.max(1, Math.ceil((bounds.maxY - bounds.minY) / cell))
    const n = Math.floor(duration / interval) + 1
    this.map = {
      originX: bounds.minX,
      originY: bounds.minY,
      cell,
      cols,
      rows,
      interval,
      frames: Array.from({ length: n }, () => new Float32Array(cols * rows)),
      peak: 0,
    }
  }

  /** Call after each step (and once before the first). */
  sample(e: PedestrianEngine): void {
    const m = this.map
    if (e.time + 1e-9 < this.next || this.frame >= m.frames.length) return
    // After an idle stretch was skipped, the frames in between stay empty (nobody was on the floor).
    while (this.next + m.interval <= e.time + 1e-9 && this.frame < m.frames.length - 1) {
      this.next += m.interval
      this.frame++
    }
    this.next += m.interval
    const f = m.frames[this.frame++]!
    const inv = 1 / m.cell
    const w = 1 / (m.cell * m.cell)
    for (let q = 0; q < e.presentCount; q++) {
      const i = e.present[q]!
      const c = Math.floor((e.px[i]! - m.originX) * inv)
      const r = Math.floor((e.py[i]! - m.originY) * inv)
      if (c < 0 || r < 0 || c >= m.cols || r >= m.rows) continue
      const k = r * m.cols + c
      f[k] = f[k]! + w
      if (f[k] > m.peak) m.peak = f[k]!
    }
  }

  /** The frames recorded so far (trailing unrecorded frames dropped). */
  result(): Heatmap {
    return { ...this.map, frames: this.map.frames.slice(0, this.frame) }
  }
}
