/**
 * Rows of residential buildings: how many buildings stand side by side, how wide the site must be for them, and
 * where each building goes within its row. Every row keeps a central corridor free for the landscape axis, so
 * half the buildings stand west of it and half east.
 */
import type { Rect } from './geometry.ts'
import type { ResidentialSpec } from './site.ts'
import { AXIS_HALF, X_MARGIN } from './site.ts'

export interface Row {
  readonly kind: 'walkup' | 'tower'
  readonly specs: readonly ResidentialSpec[]
  /** Minimum side gap between neighbours: fire spacing is 6 m for walk-ups and 13 m for towers, plus some air. */
  readonly spacing: number
}

export interface PlacedSpec {
  readonly spec: ResidentialSpec
  readonly rect: Rect
}

const WALKUP_SPACING = 10
const TOWER_SPACING = 15

function halves<T>(items: readonly T[]): [T[], T[]] {
  const west = Math.ceil(items.length / 2)
  return [items.slice(0, west), items.slice(west)]
}

function spanOf(specs: readonly ResidentialSpec[], spacing: number): number {
  if (specs.length === 0) return 0
  return specs.reduce((a, s) => a + s.width, 0) + spacing * (specs.length - 1)
}

/** The site width a row needs: both halves, the axis corridor and the margins to the ring road. */
export function rowWidth(row: Row): number {
  const [west, east] = halves(row.specs)
  return 2 * (X_MARGIN + Math.max(spanOf(west, row.spacing), spanOf(east, row.spacing))) + 2 * AXIS_HALF
}

function chunk<T>(items: readonly T[], rows: number): T[][] {
  const out: T[][] = []
  const base = Math.floor(items.length / rows)
  const extra = items.length % rows
  let at = 0
  for (let r = 0; r < rows; r++) {
    const n = base + (r < extra ? 1 : 0)
    out.push(items.slice(at, at + n))
    at += n
  }
  return out
}

/** Tower rows, south to north: about 1.6·√n per row (the rows are deep), never fewer than two rows. */
export function towerRows(towers: readonly ResidentialSpec[]): Row[] {
  const perRow = Math.max(
    1,
    Math.min(Math.round(1.6 * Math.sqrt(towers.length)), 8, Math.ceil(towers.length / 2)),
  )
  const count = Math.ceil(towers.length / perRow)
  return chunk(towers, count).map((specs) => ({ kind: 'tower', specs, spacing: TOWER_SPACING }))
}

/**
 * Walk-up rows that fill a site of the given width, south to north: as few rows as a greedy fill needs, then the
 * buildings spread evenly over that many rows when they still fit (so the last row is not a lone building).
 */
export function walkupRows(walkups: readonly ResidentialSpec[], siteWidth: number): Row[] {
  const row = (specs: readonly ResidentialSpec[]): Row => ({ kind: 'walkup', specs, spacing: WALKUP_SPACING })
  const greedy: Row[] = []
  let current: ResidentialSpec[] = []
  for (const spec of walkups) {
    if (current.length > 0 && rowWidth(row([...current, spec])) > siteWidth) {
      greedy.push(row(current))
      current = []
    }
    current.push(spec)
  }
  if (current.length > 0) greedy.push(row(current))
  const even = chunk(walkups, greedy.length).map(row)
  return even.every((r) => rowWidth(r) <= siteWidth) ? even : greedy
}

function placeHalf(
  specs: readonly ResidentialSpec[],
  spacing: number,
  x0: number,
  x1: number,
  y: number,
): PlacedSpec[] {
  if (specs.length === 0) return []
  const used = specs.reduce((a, s) => a + s.width, 0)
  const free = x1 - x0 - used
  // Spread a short row out a little, but not so far that it stops reading as a row.
  const gap = specs.length === 1 ? 0 : Math.min(free / (specs.length - 1), spacing * 2.5)
  let x = x0 + (free - gap * (specs.length - 1)) / 2
  return specs.map((spec) => {
    const rect = { x0: x, y0: y, x1: x + spec.width, y1: y + spec.depth }
    x += spec.width + gap
    return { spec, rect }
  })
}

/** Places a row's buildings with their south faces on `y`, in a site `siteWidth` wide. */
export function placeRow(row: Row, siteWidth: number, y: number): PlacedSpec[] {
  const [west, east] = halves(row.specs)
  const axis = siteWidth / 2
  return [
    ...placeHalf(west, row.spacing, X_MARGIN, axis - AXIS_HALF, y),
    ...placeHalf(east, row.spacing, axis + AXIS_HALF, siteWidth - X_MARGIN, y),
  ]
}

/** Tallest building in a row: it sets the sunlight gap to the next row. */
export function rowHeight(row: Row): number {
  return Math.max(...row.specs.map((s) => s.height))
}

/** Deepest building in a row: the row's north face. */
export function rowDepth(row: Row): number {
  return Math.max(...row.specs.map((s) => s.depth))
}
