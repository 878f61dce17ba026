/**
 * Where parking stalls physically fit: strips of perpendicular stalls between the ring road and the wall or beside
 * walk-up branch roads, and the double-loaded aisle grid of the underground garage. Shared by the layout (to
 * plan strips) and the parking allocator (to fill them), so both count stalls the same way.
 */
import type { Vec2 } from './types.ts'
import type { Rect } from './geometry.ts'
import { rectsOverlap } from './geometry.ts'
import type { StripPlan } from './site.ts'
import { BRANCH_WIDTH, RING_INSET, RING_WIDTH, X_MARGIN } from './site.ts'

export const STALL_WIDTH = 2.5
export const STALL_DEPTH = 5.3
export const AISLE = 6
/** Planting kept between the wall and the first stall. */
const WALL_GREEN = 3
/** Stretches shorter than this are not worth a lot. */
const MIN_STRIP = 10

/** Stall centres along a strip, evenly inset from both ends. */
export function stripStalls(strip: StripPlan): Vec2[] {
  const { rect, along } = strip
  const len = along === 'y' ? rect.y1 - rect.y0 : rect.x1 - rect.x0
  const n = Math.floor(len / STALL_WIDTH)
  const start = (len - n * STALL_WIDTH) / 2 + STALL_WIDTH / 2
  const out: Vec2[] = []
  for (let i = 0; i < n; i++) {
    const s = start + i * STALL_WIDTH
    out.push(along === 'y' ? [(rect.x0 + rect.x1) / 2, rect.y0 + s] : [rect.x0 + s, (rect.y0 + rect.y1) / 2])
  }
  return out
}

/**
 * Garage stall centres, south to north and west to east: a perimeter aisle, then pairs of back-to-back stall rows,
 * each row facing an aisle. Stalls that would overlap a hole (tower cores, pump rooms, ramp landings) are skipped.
 */
export function garageStalls(rect: Rect, holes: readonly Rect[]): Vec2[] {
  const out: Vec2[] = []
  const across = Math.floor((rect.x1 - rect.x0 - 2 * AISLE) / STALL_WIDTH)
  let y = rect.y0 + AISLE
  while (y + STALL_DEPTH <= rect.y1 - AISLE) {
    for (let r = 0; r < 2 && y + STALL_DEPTH <= rect.y1 - AISLE; r++) {
      for (let i = 0; i < across; i++) {
        const x = rect.x0 + AISLE + i * STALL_WIDTH
        const stall = { x0: x, y0: y, x1: x + STALL_WIDTH, y1: y + STALL_DEPTH }
        if (!holes.some((h) => rectsOverlap(h, stall))) out.push([x + STALL_WIDTH / 2, y + STALL_DEPTH / 2])
      }
      y += STALL_DEPTH
    }
    y += AISLE
  }
  return out
}

/** The pieces of [from, to] left after removing the `clear` intervals, keeping those long enough for a lot. */
export function freeStretches(
  from: number,
  to: number,
  clear: readonly (readonly [number, number])[],
): [number, number][] {
  let pieces: [number, number][] = [[from, to]]
  for (const [a, b] of clear) {
    pieces = pieces.flatMap(([p, q]): [number, number][] => {
      if (b <= p || a >= q) return [[p, q]]
      const out: [number, number][] = []
      if (a > p) out.push([p, a])
      if (b < q) out.push([b, q])
      return out
    })
  }
  return pieces.filter(([p, q]) => q - p >= MIN_STRIP)
}

export interface StripContext {
  readonly width: number
  readonly depth: number
  readonly ringSouth: number
  readonly ringNorth: number
  /** No street-side strip when shops line the south wall. */
  readonly hasCommercial: boolean
  readonly keepClear: Readonly<
    Record<'north' | 'south' | 'east' | 'west', readonly (readonly [number, number])[]>
  >
  /** Branch roads behind walk-up rows: their north verge takes a strip (how older estates park). */
  readonly walkupBranches: readonly number[]
}

/** Every surface strip the site offers, nearest-first order is decided later by the allocator. */
export function planStrips(ctx: StripContext): StripPlan[] {
  const { width: w, depth: d } = ctx
  const outer = RING_INSET - RING_WIDTH / 2
  const strips: StripPlan[] = []
  // Side strips stop short of the corners, which keeps them clear of the chamfered corner and the shops.
  const yFrom = ctx.ringSouth + 14
  const yTo = d - 22
  for (const [a, b] of freeStretches(yFrom, yTo, ctx.keepClear.east)) {
    strips.push({
      rect: { x0: w - outer, y0: a, x1: w - WALL_GREEN, y1: b },
      along: 'y',
      roadPoint: [w - RING_INSET, (a + b) / 2],
    })
  }
  for (const [a, b] of freeStretches(yFrom, yTo, ctx.keepClear.west)) {
    strips.push({
      rect: { x0: WALL_GREEN, y0: a, x1: outer, y1: b },
      along: 'y',
      roadPoint: [RING_INSET, (a + b) / 2],
    })
  }
  for (const [a, b] of freeStretches(22, w - 22, ctx.keepClear.north)) {
    strips.push({
      rect: { x0: a, y0: d - outer, x1: b, y1: d - WALL_GREEN },
      along: 'x',
      roadPoint: [(a + b) / 2, ctx.ringNorth],
    })
  }
  if (!ctx.hasCommercial) {
    for (const [a, b] of freeStretches(22, w - 22, ctx.keepClear.south)) {
      strips.push({
        rect: { x0: a, y0: WALL_GREEN, x1: b, y1: outer },
        along: 'x',
        roadPoint: [(a + b) / 2, ctx.ringSouth],
      })
    }
  }
  const axis = w / 2
  for (const y of ctx.walkupBranches) {
    const y0 = y + BRANCH_WIDTH / 2 + 0.5
    for (const [a, b] of [
      [X_MARGIN, axis - 4],
      [axis + 4, w - X_MARGIN],
    ] as const) {
      strips.push({
        rect: { x0: a, y0, x1: b, y1: y0 + STALL_DEPTH },
        along: 'x',
        roadPoint: [(a + b) / 2, y],
      })
    }
  }
  return strips
}

/** Depth of a walk-up branch strip measured from the branch centreline: bands begin beyond it. */
export const BRANCH_STRIP_REACH = BRANCH_WIDTH / 2 + 0.5 + STALL_DEPTH
