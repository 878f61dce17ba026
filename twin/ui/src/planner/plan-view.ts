/**
 * The planner's geometry on the 3D twin (metres, z up): where a click lands on the boundary wall (a new gate goes
 * there), which existing gate a click is on, the rectangle of a new parking lot, and one heatmap frame painted
 * into the RGBA texels of the texture laid on the ground. Pure functions of their arguments.
 */
import type { CompactHeatmap } from '../../../sim/index.ts'
import { heatRamp } from '../scene/color-ramp.ts'

type XY = readonly [number, number]

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

/** The index of the gate nearest to `p` within `radius` metres, or -1. */
export function nearestGate(gates: readonly { readonly position: XY }[], p: XY, radius: number): number {
  let best = -1
  let bestD = radius
  gates.forEach((g, i) => {
    const d = Math.hypot(g.position[0] - p[0], g.position[1] - p[1])
    if (d <= bestD) {
      bestD = d
      best = i
    }
  })
  return best
}

/** The heat ramp in sRGB bytes, 256 steps (built once: painting a frame only looks colours up). */
const RAMP_BYTES = (() => {
  const out = new Uint8Array(256 * 3)
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (heatRamp.length - 1)
    const k = Math.min(heatRamp.length - 2, Math.floor(x))
    const f = x - k
    for (let c = 0; c < 3; c++) {
      const linear = heatRamp[k]![c]! + (heatRamp[k + 1]![c]! - heatRamp[k]![c]!) * f
      out[i * 3 + c] = Math.round(255 * Math.pow(linear, 1 / 2.2))
    }
  }
  return out
})()

/**
 * Paints frame `index` of `h` into `out` (RGBA, `cols` × `rows` texels, row 0 the southernmost): empty cells
 * transparent, the others coloured and more opaque with their count against the run's peak. Returns the people
 * counted in the frame (0 for a frame that does not exist).
 */
export function paintHeatFrame(h: CompactHeatmap, index: number, out: Uint8Array): number {
  out.fill(0)
  const frame = h.frames[index]
  if (!frame) return 0
  const peak = Math.max(1, h.peak)
  let people = 0
  for (let k = 0; k + 1 < frame.length; k += 2) {
    const cell = frame[k]!
    const count = frame[k + 1]!
    if (cell < 0 || cell >= h.cols * h.rows || count <= 0) continue
    people += count
    // Square root: a few people in a cell still show next to the peak.
    const t = Math.min(1, Math.sqrt(count / peak))
    const step = Math.round(t * 255) * 3
    const o = cell * 4
    out[o] = RAMP_BYTES[step]!
    out[o + 1] = RAMP_BYTES[step + 1]!
    out[o + 2] = RAMP_BYTES[step + 2]!
    out[o + 3] = Math.round(255 * (0.55 + 0.45 * t))
  }
  return people
}
