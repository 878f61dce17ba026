/**
 * The commercial strip (底商) along the street wall: two-storey shop blocks of at most 60 m either side of the main
 * gate, their fronts on the street and a service door towards the ring road. Each shop bay becomes one unit.
 */
import type { Rect } from './geometry.ts'
import type { Rng } from './rng.ts'

export const COMMERCIAL = { y0: 2, y1: 14, floors: 2, floorHeight: 4.2 } as const

/** Longest block, and the gap between blocks (a fire break and a way through). */
const MAX_BLOCK = 60
const BLOCK_GAP = 6
const MIN_BLOCK = 20

export interface ShopBlock {
  readonly name: string
  readonly rect: Rect
  /** Width of one shop bay; the block holds a whole number of them. */
  readonly shopWidth: number
}

/** The shop blocks of a site `width` wide, leaving the main gate (around the axis) open. */
export function planShops(rng: Rng, width: number): ShopBlock[] {
  const axis = width / 2
  const bay = Math.round(rng.float(6, 8) * 10) / 10
  const blocks: ShopBlock[] = []
  for (const [a, b] of [
    [BLOCK_GAP, axis - 22],
    [axis + 18, width - BLOCK_GAP],
  ] as const) {
    const count = Math.ceil((b - a + BLOCK_GAP) / (MAX_BLOCK + BLOCK_GAP))
    const len = (b - a - BLOCK_GAP * (count - 1)) / count
    if (len < MIN_BLOCK) continue
    for (let k = 0; k < count; k++) {
      const x0 = a + k * (len + BLOCK_GAP)
      blocks.push({
        name: `商业${String.fromCharCode(65 + blocks.length)}座`,
        rect: { x0, y0: COMMERCIAL.y0, x1: x0 + len, y1: COMMERCIAL.y1 },
        shopWidth: len / Math.floor(len / bay),
      })
    }
  }
  return blocks
}
