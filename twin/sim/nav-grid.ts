/**
 * The walkable area as a raster: which cells a route may pass, and how much a cell near a wall costs.
 * The floor fields are computed on this grid; the agents themselves move in continuous space.
 */
import type { Point } from './geometry.ts'
import { pointInPolygon } from './geometry.ts'
import type { SegmentGrid } from './segment-grid.ts'

/** Options of the raster. */
export interface NavGridOptions {
  /** Cell size, metres (0.25–0.5 for buildings, up to 1 for a whole community). */
  readonly cell: number
  /** Distance from walls within which routes cost more, metres: keeps planned paths off walls and corners. */
  readonly wallAvoidance: number
  /** Extra cost at the wall itself (slowness 1 + wallPenalty, falling to 1 at `wallAvoidance`). */
  readonly wallPenalty: number
}

/** A raster of the walkable area with a blocked mask and a per-cell slowness (cost per metre). */
export class NavGrid {
  readonly originX: number
  readonly originY: number
  readonly cell: number
  readonly cols: number
  readonly rows: number
  readonly cells: number
  /** 1 where a wall passes within half a cell of the centre, or the centre is inside an obstacle. */
  readonly blocked: Uint8Array
  /** Cost multiplier of crossing the cell (1 in the open). */
  readonly slowness: Float32Array

  constructor(
    bounds: { minX: number; minY: number; maxX: number; maxY: number },
    walls: SegmentGrid,
    obstacles: readonly (readonly Point[])[],
    options: NavGridOptions,
  ) {
    const h = options.cell
    this.cell = h
    // Align the origin to the cell size so walls drawn on whole metres fall on cell borders.
    this.originX = Math.floor(bounds.minX / h) * h
    this.originY = Math.floor(bounds.minY / h) * h
    this.cols = Math.ceil((bounds.maxX - this.originX) / h) + 1
    this.rows = Math.ceil((bounds.maxY - this.originY) / h) + 1
    this.cells = this.cols * this.rows
    this.blocked = new Uint8Array(this.cells)
    this.slowness = new Float32Array(this.cells).fill(1)
    // Half a cell (plus a hair) is enough to make walls watertight for 4-neighbour propagation: a wall that
    // crosses the link between two cell centres passes within h/2 of one of them.
    const block2 = (h * 0.5 + 1e-6) ** 2
    const w0 = options.wallAvoidance
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c
        const x = this.originX + (c + 0.5) * h
        const y = this.originY + (r + 0.5) * h
        const d2 = walls.nearestDistanceSq(x, y)
        if (d2 <= block2) {
          this.blocked[i] = 1
          continue
        }
        const d = Math.sqrt(d2)
        if (d < w0) {
          const u = (w0 - d) / w0
          this.slowness[i] = 1 + options.wallPenalty * u * u
        }
      }
    }
    for (const poly of obstacles) this.fillPolygon(poly)
  }

  private fillPolygon(poly: readonly Point[]): void {
    let minX = Infinity
    let minY = Infinity
    let maxX = -Infinity
    let maxY = -Infinity
    for (const [x, y] of poly) {
      minX = Math.min(minX, x)
      minY = Math.min(minY, y)
      maxX = Math.max(maxX, x)
      maxY = Math.max(maxY, y)
    }
    const c0 = Math.max(0, Math.floor((minX - this.originX) / this.cell))
    const c1 = Math.min(this.cols - 1, Math.floor((maxX - this.originX) / this.cell))
    const r0 = Math.max(0, Math.floor((minY - this.originY) / this.cell))
    const r1 = Math.min(this.rows - 1, Math.floor((maxY - this.originY) / this.cell))
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const x = this.originX + (c + 0.5) * this.cell
        const y = this.originY + (r + 0.5) * this.cell
        if (pointInPolygon(x, y, poly)) this.blocked[r * this.cols + c] = 1
      }
    }
  }

  /** The index of the cell containing (x, y), clamped to the grid. */
  cellOf(x: number, y: number): number {
    let c = Math.floor((x - this.originX) / this.cell)
    let r = Math.floor((y - this.originY) / this.cell)
    c = c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c
    r = r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r
    return r * this.cols + c
  }

  /** Free cells whose centre lies inside the polygon; if none (a sliver), the free cells its vertices touch. */
  cellsInPolygon(poly: readonly Point[]): number[] {
    const out: number[] = []
    for (let i = 0; i < this.cells; i++) {
      if (this.blocked[i] === 1) continue
      const x = this.originX + ((i % this.cols) + 0.5) * this.cell
      const y = this.originY + (Math.floor(i / this.cols) + 0.5) * this.cell
      if (pointInPolygon(x, y, poly)) out.push(i)
    }
    if (out.length === 0) {
      for (const [x, y] of poly) {
        const i = this.cellOf(x, y)
        if (this.blocked[i] === 0 && !out.includes(i)) out.push(i)
      }
    }
    return out
  }
}
