/**
 * Sequential colour ramps for data layers, written into caller-owned arrays (no allocation): a value 0..1 maps to
 * a colour between fixed stops. The legend draws the same stops as a CSS gradient.
 */

export type Ramp = readonly (readonly [number, number, number])[]

/** Cool → hot, for loads and crowds (linear RGB). */
export const heatRamp: Ramp = [
  [0.02, 0.12, 0.35],
  [0.0, 0.45, 0.6],
  [0.55, 0.75, 0.1],
  [1.0, 0.55, 0.02],
  [1.0, 0.08, 0.05],
]

/** Green → amber → red, for risk and occupancy (linear RGB). */
export const riskRamp: Ramp = [
  [0.05, 0.55, 0.2],
  [0.9, 0.7, 0.02],
  [1.0, 0.08, 0.05],
]

/** Writes the ramp colour of `t` (clamped to 0..1) into `out` at `offset`. */
export function rampInto(ramp: Ramp, t: number, out: Float32Array, offset: number): void {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (ramp.length - 1)
  const i = Math.min(ramp.length - 2, Math.floor(x))
  const f = x - i
  const a = ramp[i]!
  const b = ramp[i + 1]!
  out[offset] = a[0] + (b[0] - a[0]) * f
  out[offset + 1] = a[1] + (b[1] - a[1]) * f
  out[offset + 2] = a[2] + (b[2] - a[2]) * f
}

/** The ramp as a CSS linear-gradient (sRGB approximated with a 1/2.2 gamma). */
export function rampCss(ramp: Ramp): string {
  const stops = ramp.map(([r, g, b], i) => {
    const c = (v: number) => Math.round(255 * Math.pow(v, 1 / 2.2))
    return `rgb(${c(r)}, ${c(g)}, ${c(b)}) ${Math.round((i / (ramp.length - 1)) * 100)}%`
  })
  return `linear-gradient(90deg, ${stops.join(', ')})`
}
