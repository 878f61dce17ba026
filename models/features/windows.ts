/**
 * Sequence windows for the temporal CNN: for each sample position, the last `window` base rows of its device,
 * oldest first, left-padded by repeating the device's first row (a unit with 20 cycles of history still gets a
 * 40-step window). One Float32Array for all samples, filled with block copies (TypedArray.set), no per-sample allocation.
 */
import type { BaseMatrix } from './base.ts'

/**
 * Fills `out` (or a new array) with windows [samples × window × width] ending at each of `positions`.
 * `groupStart[p]` is the first position of p's device (see rolling.groupStartOfPositions).
 */
export function sequenceWindows(
  base: BaseMatrix,
  groupStart: Int32Array,
  positions: Int32Array,
  window: number,
  out = new Float32Array(positions.length * window * base.width),
): Float32Array {
  const { values, width } = base
  const stride = window * width
  if (out.length < positions.length * stride) throw new RangeError('output array too small for the windows')
  for (let s = 0; s < positions.length; s++) {
    const p = positions[s]!
    const first = groupStart[p]!
    const from = p - window + 1
    let k = s * stride
    // Padding rows: copies of the device's first row.
    for (let q = from; q < first; q++, k += width)
      out.set(values.subarray(first * width, first * width + width), k)
    const start = Math.max(first, from)
    out.set(values.subarray(start * width, (p + 1) * width), k)
  }
  return out
}
