/**
 * The static world of a run: wall segments in their grid, the walkable raster, and one floor field per target.
 * Built once from plain geometry before the first step; everything the step loop reads is a typed array here.
 */
import type { Point } from './geometry.ts'
import { emptyBounds, growBounds, longestEdge } from './geometry.ts'
import { FloorFields } from './floor-field.ts'
import type { ModelParams } from './model-params.ts'
import { NavGrid } from './nav-grid.ts'
import { SegmentGrid, toSegments } from './segment-grid.ts'

/** A target agents walk to and leave the simulation at (an exit, a gate, a facility). */
export interface TargetSpec {
  readonly id: string
  readonly polygon: readonly Point[]
  /** Clear width for the capacity estimate, metres (default: the polygon's longest edge). */
  readonly width?: number
}

/** Plain geometry of a run. */
export interface WorldSpec {
  readonly walls: readonly (readonly Point[])[]
  readonly obstacles: readonly (readonly Point[])[]
  readonly targets: readonly TargetSpec[]
  /** Points that must lie on the grid too (agent positions, source polygons). */
  readonly extent?: readonly Point[]
  /** Floor-field cell size, metres; default: 0.25 for rooms, coarser for large sites (≤ ~1.5 M cells). */
  readonly cell?: number
  /** Periodic boundary along x over [x0, x1) (fundamental-diagram corridors). */
  readonly periodicX?: readonly [number, number]
}

/** What a target became in the world. */
export interface TargetInfo {
  readonly id: string
  readonly field: number
  /** Estimated discharge capacity, persons per second. */
  readonly capacity: number
  readonly polygon: readonly Point[]
}

/** The built world. */
export interface World {
  readonly walls: SegmentGrid
  readonly grid: NavGrid
  readonly fields: FloorFields
  readonly targets: readonly TargetInfo[]
  readonly targetIndex: ReadonlyMap<string, number>
  readonly periodicX: readonly [number, number] | null
}

/** Builds the world: segment grid, raster, floor fields. Throws a RangeError naming a target that is unusable. */
export function buildWorld(spec: WorldSpec, params: ModelParams): World {
  const segments = toSegments(spec.walls, spec.obstacles)
  const bounds = emptyBounds()
  for (const w of spec.walls) growBounds(bounds, w)
  for (const o of spec.obstacles) growBounds(bounds, o)
  for (const t of spec.targets) growBounds(bounds, t.polygon)
  if (spec.extent) growBounds(bounds, spec.extent)
  if (!Number.isFinite(bounds.minX)) throw new RangeError('world: nothing to simulate (no geometry)')
  const pad = 1
  bounds.minX -= pad
  bounds.minY -= pad
  bounds.maxX += pad
  bounds.maxY += pad
  const area = (bounds.maxX - bounds.minX) * (bounds.maxY - bounds.minY)
  const cell = spec.cell ?? autoCell(area)
  const reach = Math.max(params.wallReach, 1, cell)
  const walls = new SegmentGrid(segments, reach, Math.max(1, cell))
  const grid = new NavGrid(bounds, walls, spec.obstacles, { cell, wallAvoidance: 0.6, wallPenalty: 2 })
  const fields = new FloorFields(grid, spec.targets.length)
  const targets: TargetInfo[] = []
  const targetIndex = new Map<string, number>()
  for (const t of spec.targets) {
    if (targetIndex.has(t.id)) throw new RangeError(`world: duplicate target id "${t.id}"`)
    const seeds = grid.cellsInPolygon(t.polygon)
    if (seeds.length === 0) throw new RangeError(`world: target "${t.id}" covers no walkable cell`)
    const field = fields.add(seeds)
    const width = t.width ?? longestEdge(t.polygon)
    targetIndex.set(t.id, targets.length)
    targets.push({ id: t.id, field, capacity: params.specificFlow * width, polygon: t.polygon })
  }
  return { walls, grid, fields, targets, targetIndex, periodicX: spec.periodicX ?? null }
}

/** 0.25 m up to ~90,000 m², then as fine as keeps the raster near 1.5 M cells (a whole community at ~0.5–1 m). */
function autoCell(area: number): number {
  const h = Math.sqrt(area / 1_500_000)
  return h <= 0.25 ? 0.25 : Math.ceil(h * 20) / 20
}
