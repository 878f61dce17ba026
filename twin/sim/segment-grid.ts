/**
 * Walls and obstacle edges as a static list of segments, bucketed once into a uniform grid so that the step loop
 * finds every segment within reach of an agent with one cell lookup (no search, no allocation).
 */
import type { Point } from './geometry.ts'
import { segmentDistanceSq } from './geometry.ts'

/** The segments near each grid cell, in compressed rows (CSR): `items[start[c] .. start[c + 1]]`. */
export class SegmentGrid {
  /** Segment end points, 4 numbers per segment: ax, ay, bx, by. */
  readonly seg: Float64Array
  readonly count: number
  readonly originX: number
  readonly originY: number
  readonly cell: number
  readonly cols: number
  readonly rows: number
  readonly start: Int32Array
  readonly items: Int32Array

  /**
   * @param segments the wall segments
   * @param reach the largest distance at which a caller needs a segment (interaction range); each cell lists
   *   every segment within `reach` of any point of the cell
   * @param cell grid cell size, metres
   */
  constructor(segments: readonly (readonly [Point, Point])[], reach: number, cell = 1) {
    this.count = segments.length
    this.seg = new Float64Array(segments.length * 4)
    let minX = Infinity
    let minY = Infinity
    let maxX = -Infinity
    let maxY = -Infinity
    segments.forEach(([a, b], i) => {
      this.seg.set([a[0], a[1], b[0], b[1]], i * 4)
      minX = Math.min(minX, a[0], b[0])
      minY = Math.min(minY, a[1], b[1])
      maxX = Math.max(maxX, a[0], b[0])
      maxY = Math.max(maxY, a[1], b[1])
    })
    if (segments.length === 0) minX = minY = maxX = maxY = 0
    this.cell = cell
    this.originX = Math.floor((minX - reach - cell) / cell) * cell
    this.originY = Math.floor((minY - reach - cell) / cell) * cell
    this.cols = Math.max(1, Math.ceil((maxX + reach + cell - this.originX) / cell))
    this.rows = Math.max(1, Math.ceil((maxY + reach + cell - this.originY) / cell))
    const lists: number[][] = Array.from({ length: this.cols * this.rows }, () => [])
    // A segment is within `reach` of a cell if it is within reach + half-diagonal of the cell centre.
    const r = reach + (cell * Math.SQRT2) / 2
    const r2 = r * r
    for (let s = 0; s < this.count; s++) {
      const ax = this.seg[s * 4] as number
      const ay = this.seg[s * 4 + 1] as number
      const bx = this.seg[s * 4 + 2] as number
      const by = this.seg[s * 4 + 3] as number
      const c0 = this.clampCol(Math.floor((Math.min(ax, bx) - r - this.originX) / cell))
      const c1 = this.clampCol(Math.floor((Math.max(ax, bx) + r - this.originX) / cell))
      const r0 = this.clampRow(Math.floor((Math.min(ay, by) - r - this.originY) / cell))
      const r1 = this.clampRow(Math.floor((Math.max(ay, by) + r - this.originY) / cell))
      for (let row = r0; row <= r1; row++) {
        for (let col = c0; col <= c1; col++) {
          const cx = this.originX + (col + 0.5) * cell
          const cy = this.originY + (row + 0.5) * cell
          if (segmentDistanceSq(cx, cy, ax, ay, bx, by) <= r2) lists[row * this.cols + col]?.push(s)
        }
      }
    }
    this.start = new Int32Array(lists.length + 1)
    let total = 0
    lists.forEach((l, i) => {
      this.start[i] = total
      total += l.length
    })
    this.start[lists.length] = total
    this.items = new Int32Array(total)
    lists.forEach((l, i) => this.items.set(l, this.start[i]))
  }

  /** The cell index of (x, y); points outside the grid map to its border cells (which list nothing far away). */
  cellOf(x: number, y: number): number {
    const col = this.clampCol(Math.floor((x - this.originX) / this.cell))
    const row = this.clampRow(Math.floor((y - this.originY) / this.cell))
    return row * this.cols + col
  }

  /** The squared distance from (x, y) to the nearest segment listed in its cell, or Infinity. */
  nearestDistanceSq(x: number, y: number): number {
    const c = this.cellOf(x, y)
    let best = Infinity
    for (let k = this.start[c] as number; k < (this.start[c + 1] as number); k++) {
      const s = (this.items[k] as number) * 4
      const seg = this.seg
      const d = segmentDistanceSq(
        x,
        y,
        seg[s] as number,
        seg[s + 1] as number,
        seg[s + 2] as number,
        seg[s + 3] as number,
      )
      if (d < best) best = d
    }
    return best
  }

  private clampCol(c: number): number {
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c
  }

  private clampRow(r: number): number {
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r
  }
}

/** Turns polylines and closed polygons into one list of segments. */
export function toSegments(
  polylines: readonly (readonly Point[])[],
  polygons: readonly (readonly Point[])[],
): [Point, Point][] {
  const out: [Point, Point][] = []
  for (const line of polylines) {
    for (let i = 1; i < line.length; i++) out.push([line[i - 1] as Point, line[i] as Point])
  }
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) out.push([poly[i] as Point, poly[(i + 1) % poly.length] as Point])
  }
  return out
}
