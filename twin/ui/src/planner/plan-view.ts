/**
 * The planner's top-down plan: the transform between the community's metre frame (y north) and canvas pixels
 * (y down), fitted to the boundary; where a click lands on the boundary wall (a new gate goes there); and the
 * drawing of the plan, the pending layout changes and a heatmap frame on a 2D canvas. Pure functions of their
 * arguments, so the same drawing is exported as the report's PNG.
 */
import type { Scene } from '../api/scene-types.ts'
import type { CompactHeatmap, PlannerChange } from '../../../sim/index.ts'

type XY = readonly [number, number]

/** World → canvas transform. */
export interface PlanView {
  readonly scale: number
  readonly minX: number
  readonly maxY: number
  readonly margin: number
}

/** Fits the polygon's extent into `width` × `height` pixels with a margin. */
export function fitView(polygon: readonly XY[], width: number, height: number, margin = 24): PlanView {
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  if (!Number.isFinite(minX)) return { scale: 1, minX: 0, maxY: 0, margin }
  const scale = Math.min(
    (width - 2 * margin) / Math.max(1, maxX - minX),
    (height - 2 * margin) / Math.max(1, maxY - minY),
  )
  return { scale, minX, maxY, margin }
}

export function toCanvas(v: PlanView, x: number, y: number): [number, number] {
  return [v.margin + (x - v.minX) * v.scale, v.margin + (v.maxY - y) * v.scale]
}

export function toWorld(v: PlanView, px: number, py: number): [number, number] {
  return [v.minX + (px - v.margin) / v.scale, v.maxY - (py - v.margin) / v.scale]
}

/** The point of the closed polygon's outline nearest to `p`, and its distance. */
export function nearestOnOutline(
  polygon: readonly XY[],
  p: XY,
): { point: [number, number]; distance: number } {
  let best: [number, number] = [p[0], p[1]]
  let bestD = Infinity
  for (let k = 0; k < polygon.length; k++) {
    const a = polygon[k]!
    const b = polygon[(k + 1) % polygon.length]!
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    const len2 = dx * dx + dy * dy
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
    const q: [number, number] = [a[0] + t * dx, a[1] + t * dy]
    const d = Math.hypot(q[0] - p[0], q[1] - p[1])
    if (d < bestD) {
      bestD = d
      best = q
    }
  }
  return { point: [Math.round(best[0] * 10) / 10, Math.round(best[1] * 10) / 10], distance: bestD }
}

/** An axis-aligned rectangle of `w` × `h` metres centred on `c` (a new parking lot). */
export function rectAround(c: XY, w: number, h: number): [number, number][] {
  const r = (x: number): number => Math.round(x * 10) / 10
  return [
    [r(c[0] - w / 2), r(c[1] - h / 2)],
    [r(c[0] + w / 2), r(c[1] - h / 2)],
    [r(c[0] + w / 2), r(c[1] + h / 2)],
    [r(c[0] - w / 2), r(c[1] + h / 2)],
  ]
}

const COLORS = {
  ground: '#10202c',
  boundary: '#8fb3c9',
  building: '#4d6b82',
  area: '#1f4d38',
  water: '#1d3f66',
  lot: '#3b3b52',
  gate: '#f2c14e',
  closed: '#e5484d',
  added: '#3ddc97',
} as const

function path(ctx: CanvasRenderingContext2D, v: PlanView, polygon: readonly XY[]): void {
  ctx.beginPath()
  polygon.forEach(([x, y], k) => {
    const [px, py] = toCanvas(v, x, y)
    if (k === 0) ctx.moveTo(px, py)
    else ctx.lineTo(px, py)
  })
  ctx.closePath()
}

/** Draws the plan with the pending changes (closed gates crossed out, new gates and lots highlighted). */
export function drawPlan(
  ctx: CanvasRenderingContext2D,
  v: PlanView,
  scene: Scene,
  changes: readonly PlannerChange[],
): void {
  const { width, height } = ctx.canvas
  ctx.fillStyle = COLORS.ground
  ctx.fillRect(0, 0, width, height)
  for (const a of scene.areas) {
    ctx.fillStyle = a.kind === 'water' ? COLORS.water : COLORS.area
    path(ctx, v, a.polygon)
    ctx.fill()
  }
  for (const l of scene.parkingLots) {
    if (l.kind === 'underground') continue
    ctx.fillStyle = COLORS.lot
    path(ctx, v, l.polygon)
    ctx.fill()
  }
  ctx.fillStyle = COLORS.building
  for (const b of scene.buildings) {
    path(ctx, v, b.footprint)
    ctx.fill()
  }
  ctx.strokeStyle = COLORS.boundary
  ctx.lineWidth = 2
  path(ctx, v, scene.community.boundary)
  ctx.stroke()
  const closed = new Set(changes.flatMap((c) => (c.type === 'closeGate' ? [c.id] : [])))
  for (const g of scene.gates)
    marker(ctx, v, g.position, closed.has(g.id) ? COLORS.closed : COLORS.gate, closed.has(g.id))
  for (const c of changes) {
    if (c.type === 'addGate') marker(ctx, v, c.position, COLORS.added, false)
    if (c.type === 'addParking') {
      ctx.strokeStyle = COLORS.added
      ctx.lineWidth = 2
      path(ctx, v, c.polygon)
      ctx.stroke()
    }
  }
}

function marker(ctx: CanvasRenderingContext2D, v: PlanView, p: XY, color: string, crossed: boolean): void {
  const [x, y] = toCanvas(v, p[0], p[1])
  ctx.fillStyle = color
  ctx.beginPath()
  ctx.arc(x, y, 6, 0, Math.PI * 2)
  ctx.fill()
  if (!crossed) return
  ctx.strokeStyle = '#fff'
  ctx.lineWidth = 2
  ctx.beginPath()
  ctx.moveTo(x - 5, y - 5)
  ctx.lineTo(x + 5, y + 5)
  ctx.moveTo(x + 5, y - 5)
  ctx.lineTo(x - 5, y + 5)
  ctx.stroke()
}

/** Colour of a cell with `count` people against the run's `peak` (transparent blue → opaque red). */
export function heatColor(count: number, peak: number): string {
  const t = Math.min(1, count / Math.max(1, peak))
  const r = Math.round(60 + 195 * t)
  const g = Math.round(140 * (1 - t) + 60 * t)
  const b = Math.round(255 * (1 - t))
  return `rgba(${r}, ${g}, ${b}, ${(0.35 + 0.55 * t).toFixed(2)})`
}

/** Draws frame `index` of a heatmap over the plan; returns the people counted in it. */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  v: PlanView,
  h: CompactHeatmap,
  index: number,
): number {
  const frame = h.frames[index]
  if (!frame) return 0
  const size = h.cell * v.scale
  let people = 0
  for (let k = 0; k < frame.length; k += 2) {
    const cell = frame[k]!
    const count = frame[k + 1]!
    people += count
    const x = h.originX + (cell % h.cols) * h.cell
    const y = h.originY + Math.floor(cell / h.cols) * h.cell
    // The cell's north-west corner on the canvas (y grows downwards).
    const [px, py] = toCanvas(v, x, y + h.cell)
    ctx.fillStyle = heatColor(count, h.peak)
    ctx.fillRect(px, py, Math.max(1, size), Math.max(1, size))
  }
  return people
}
