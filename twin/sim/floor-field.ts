/**
 * Routing: one static floor field per target (exit, gate, facility), the travel distance to the target over the
 * walkable area computed by fast marching (first-order eikonal solver, so distances are Euclidean-like and not
 * the 8%-off octagonal metric of grid Dijkstra). Agents read the precomputed descent direction of their cell.
 */
import { MinHeap } from './min-heap.ts'
import type { NavGrid } from './nav-grid.ts'

const FAR = 0
const TRIAL = 1
const KNOWN = 2

/** The floor fields of every target on one grid, field-major in flat typed arrays for the step loop. */
export class FloorFields {
  readonly grid: NavGrid
  /**
   * Per field and cell, three floats: the unit direction of steepest descent (x, y) and the distance to the
   * target (metres of weighted path), at 3 * (f * cells + cell). Interleaved because the step loop reads all
   * three for each agent: one cache line instead of three.
   */
  nav: Float32Array
  count = 0
  private readonly heap = new MinHeap(4096)
  private readonly state: Uint8Array
  /** Scratch distances of the field being computed. */
  private readonly scratch: Float32Array
  private readonly scratchDir: Float32Array

  /** @param expected how many fields will be added (sizes the arrays once) */
  constructor(grid: NavGrid, expected = 1) {
    this.grid = grid
    this.nav = new Float32Array(3 * grid.cells * expected)
    this.state = new Uint8Array(grid.cells)
    this.scratch = new Float32Array(grid.cells)
    this.scratchDir = new Float32Array(2 * grid.cells)
  }

  /**
   * Adds the field of a target given as seed cells (distance 0); returns its index.
   * @throws RangeError when there are no seed cells
   */
  add(seeds: readonly number[]): number {
    if (seeds.length === 0) throw new RangeError('floor field: the target covers no walkable cell')
    const n = this.grid.cells
    const f = this.count++
    this.nav = grow(this.nav, 3 * this.count * n)
    const d = this.scratch
    const dir = this.scratchDir
    dir.fill(0)
    this.march(seeds, d)
    this.directions(d, dir)
    const nav = this.nav
    for (let c = 0, o = 3 * f * n; c < n; c++, o += 3) {
      nav[o] = dir[2 * c]!
      nav[o + 1] = dir[2 * c + 1]!
      nav[o + 2] = d[c]!
    }
    return f
  }

  /** The distance of field `f` at (x, y) (cell lookup). */
  distanceAt(f: number, x: number, y: number): number {
    return this.nav[3 * (f * this.grid.cells + this.grid.cellOf(x, y)) + 2]!
  }

  /** The distance of field `f` at cell `c`. */
  distanceOf(f: number, c: number): number {
    return this.nav[3 * (f * this.grid.cells + c) + 2]!
  }

  /** The unit descent direction of field `f` at cell `c`, as [x, y]. */
  directionOf(f: number, c: number): [number, number] {
    const o = 3 * (f * this.grid.cells + c)
    return [this.nav[o]!, this.nav[o + 1]!]
  }

  private march(seeds: readonly number[], d: Float32Array): void {
    const { cols, rows, blocked, slowness, cell: h } = this.grid
    const state = this.state
    const heap = this.heap
    d.fill(Infinity)
    state.fill(FAR)
    heap.clear()
    for (const s of seeds) {
      d[s] = 0
      state[s] = TRIAL
      heap.push(0, s)
    }
    while (heap.size > 0) {
      const c = heap.pop()
      if (state[c] === KNOWN) continue
      state[c] = KNOWN
      const col = c % cols
      const row = (c - col) / cols
      for (let k = 0; k < 4; k++) {
        const nc = k === 0 ? col - 1 : k === 1 ? col + 1 : col
        const nr = k === 2 ? row - 1 : k === 3 ? row + 1 : row
        if (nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue
        const n = nr * cols + nc
        if (state[n] === KNOWN || blocked[n] === 1) continue
        // Upwind neighbours along each axis, accepted values only.
        const a = Math.min(known(d, state, n, nc > 0, -1), known(d, state, n, nc < cols - 1, 1))
        const b = Math.min(known(d, state, n, nr > 0, -cols), known(d, state, n, nr < rows - 1, cols))
        const f = h * (slowness[n] as number)
        let t: number
        const diff = a - b
        if (Math.abs(diff) < f) t = (a + b + Math.sqrt(2 * f * f - diff * diff)) / 2
        else t = Math.min(a, b) + f
        if (t < (d[n] as number)) {
          d[n] = t
          state[n] = TRIAL
          heap.push(t, n)
        }
      }
    }
  }

  private directions(d: Float32Array, dir: Float32Array): void {
    const { cols, rows, blocked, cell: h } = this.grid
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c
        const v = d[i] as number
        if (blocked[i] === 1 || v === Infinity) continue
        const l = c > 0 ? (d[i - 1] as number) : Infinity
        const rt = c < cols - 1 ? (d[i + 1] as number) : Infinity
        const dn = r > 0 ? (d[i - cols] as number) : Infinity
        const up = r < rows - 1 ? (d[i + cols] as number) : Infinity
        const gx = slope(l, v, rt)
        const gy = slope(dn, v, up)
        const len = Math.hypot(gx, gy)
        if (len > 0) {
          dir[2 * i] = -gx / len
          dir[2 * i + 1] = -gy / len
        }
      }
    }
    // A blocked cell (an agent brushing a wall can stand in one) points to its best free neighbour and takes
    // that neighbour's distance plus the step, so route choice and steering still work there.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c
        if (blocked[i] === 0) continue
        let best = Infinity
        let bx = 0
        let by = 0
        for (let oy = -1; oy <= 1; oy++) {
          for (let ox = -1; ox <= 1; ox++) {
            const nc = c + ox
            const nr = r + oy
            if ((ox === 0 && oy === 0) || nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue
            const n = nr * cols + nc
            if (blocked[n] === 1) continue
            const v = (d[n] as number) + h * Math.hypot(ox, oy)
            if (v < best) {
              best = v
              bx = ox
              by = oy
            }
          }
        }
        if (best < Infinity) {
          const len = Math.hypot(bx, by)
          d[i] = best
          dir[2 * i] = bx / len
          dir[2 * i + 1] = by / len
        }
      }
    }
  }
}

function known(d: Float32Array, state: Uint8Array, n: number, ok: boolean, off: number): number {
  return ok && state[n + off] === KNOWN ? (d[n + off] as number) : Infinity
}

/** Central difference where both sides are finite, one-sided where only one is. */
function slope(lo: number, mid: number, hi: number): number {
  const a = lo < Infinity
  const b = hi < Infinity
  if (a && b) return (hi - lo) / 2
  if (b) return hi - mid
  if (a) return mid - lo
  return 0
}

function grow(a: Float32Array, length: number): Float32Array {
  if (a.length >= length) return a
  const b = new Float32Array(length)
  b.set(a)
  return b
}
