/**
 * Model inputs for a set of samples, by sample mode (see spec.ts): the base row (+ rolling statistics), a device
 * summary, or a sequence window. The statistics blocks are standardised with `derived`, fitted on the training
 * samples by `fitDerived`; base features are already standardised.
 */
import type { BaseMatrix } from './base.ts'
import { ROW_STATS, SUMMARY_STATS, writeWindowStats } from './rolling.ts'
import type { SampleMode } from './spec.ts'
import { sequenceWindows } from './windows.ts'

/** Inputs for `count` samples, row-major, each `size` floats shaped `shape`. */
export interface Inputs {
  readonly values: Float32Array
  readonly count: number
  readonly shape: readonly number[]
  readonly size: number
}

/** Which inputs to build. */
export interface InputLayout {
  readonly mode: SampleMode
  readonly window: number
  readonly rolling: number
}

/** Where the statistics block sits in an input vector: [start, start + length). Empty for sequences. */
export function derivedBlock(
  layout: InputLayout,
  base: Pick<BaseMatrix, 'width' | 'numericWidth'>,
): [number, number] {
  switch (layout.mode) {
    case 'row':
      return [base.width, layout.rolling > 0 ? base.numericWidth * ROW_STATS.length : 0]
    case 'group':
      return [0, base.numericWidth * SUMMARY_STATS.length]
    case 'sequence':
      return [0, 0]
  }
}

/** The per-sample input shape. */
export function inputShape(layout: InputLayout, base: Pick<BaseMatrix, 'width' | 'numericWidth'>): number[] {
  switch (layout.mode) {
    case 'row':
      return [base.width + derivedBlock(layout, base)[1]]
    case 'group':
      return [base.numericWidth * SUMMARY_STATS.length + base.width - base.numericWidth]
    case 'sequence':
      return [layout.window, base.width]
  }
}

/**
 * Builds the inputs for samples ending at sorted `positions` (group mode: each device's last position).
 * `groupStart` maps a position to its device's first position.
 */
export function buildInputs(
  base: BaseMatrix,
  groupStart: Int32Array,
  positions: Int32Array,
  layout: InputLayout,
  derived: { readonly mean: readonly number[]; readonly std: readonly number[] } | null,
): Inputs {
  const shape = inputShape(layout, base)
  const size = shape.reduce((a, b) => a * b, 1)
  const count = positions.length
  if (layout.mode === 'sequence') {
    return { values: sequenceWindows(base, groupStart, positions, layout.window), count, shape, size }
  }
  const values = new Float32Array(count * size)
  const { width, numericWidth } = base
  for (let s = 0; s < count; s++) {
    const p = positions[s]!
    const o = s * size
    if (layout.mode === 'row') {
      values.set(base.values.subarray(p * width, (p + 1) * width), o)
      if (layout.rolling > 0)
        writeWindowStats(base, groupStart[p]!, p, layout.rolling, ROW_STATS, values, o + width)
    } else {
      writeWindowStats(base, groupStart[p]!, p, layout.window, SUMMARY_STATS, values, o)
      const statsWidth = numericWidth * SUMMARY_STATS.length
      values.set(base.values.subarray(p * width + numericWidth, (p + 1) * width), o + statsWidth)
    }
  }
  if (derived !== null) applyDerived(values, size, derivedBlock(layout, base)[0], derived)
  return { values, count, shape, size }
}

/** Fits mean/std of the statistics block over the (unscaled) training inputs. */
export function fitDerived(
  inputs: Inputs,
  block: [number, number],
): { mean: number[]; std: number[] } | null {
  const [start, length] = block
  if (length === 0) return null
  const mean = new Array<number>(length).fill(0)
  const std = new Array<number>(length).fill(0)
  const { values, size, count } = inputs
  for (let s = 0; s < count; s++) for (let j = 0; j < length; j++) mean[j]! += values[s * size + start + j]!
  for (let j = 0; j < length; j++) mean[j] = count > 0 ? mean[j]! / count : 0
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < length; j++) {
      const d = values[s * size + start + j]! - mean[j]!
      std[j]! += d * d
    }
  }
  // A statistic that never varies (e.g. slope of a one-row history) gets std 1: it is then just a centred zero.
  for (let j = 0; j < length; j++)
    std[j] = count > 0 && std[j]! > 1e-12 * count ? Math.sqrt(std[j]! / count) : 1
  return { mean, std }
}

/** Standardises the statistics block in place. */
export function applyDerived(
  values: Float32Array,
  size: number,
  start: number,
  derived: { readonly mean: readonly number[]; readonly std: readonly number[] },
): void {
  const length = derived.mean.length
  for (let o = 0; o < values.length; o += size) {
    for (let j = 0; j < length; j++)
      values[o + start + j] = (values[o + start + j]! - derived.mean[j]!) / derived.std[j]!
  }
}
