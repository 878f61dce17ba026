/**
 * Applies a fitted spec's base features to a table: impute, standardise, one-hot, in sequence order, into one
 * row-major Float32Array. The same function serves training and scoring, which is the point.
 */
import type { Table } from '../csv/table.ts'
import { columnOf } from '../csv/table.ts'
import { DataError } from '../errors.ts'
import type { RowOrder } from './ordering.ts'
import type { FeatureSpec } from './spec.ts'

/** The base feature matrix in sequence order. */
export interface BaseMatrix {
  /** [positions × width], row-major. */
  readonly values: Float32Array
  readonly width: number
  /** Numeric feature columns come first: [0, numericWidth). One-hot columns follow. */
  readonly numericWidth: number
  /** Numeric feature cells that were missing or malformed and got imputed. */
  readonly imputed: number
}

/** Builds the base matrix for the rows in `ordering`; throws DataError if a spec column is absent or unusable. */
export function baseMatrix(
  table: Table,
  spec: Pick<FeatureSpec, 'numeric' | 'categorical' | 'impute'>,
  ordering: RowOrder,
): BaseMatrix {
  const numericWidth = spec.numeric.length
  let width = numericWidth
  for (const c of spec.categorical) width += c.categories.length
  const n = ordering.order.length
  const values = new Float32Array(n * width)
  const { order, groupStarts } = ordering
  let imputed = 0

  spec.numeric.forEach((feature, j) => {
    const column = columnOf(table, feature.name, 'feature column')
    if (column.kind !== 'numeric') {
      throw new DataError(`feature column "${feature.name}" was numeric in training but holds text here`)
    }
    const raw = column.values
    const inv = 1 / feature.std
    for (let g = 0; g + 1 < groupStarts.length; g++) {
      // Forward fill carries the device's last good reading; before the first one, the training mean.
      let last = feature.mean
      for (let p = groupStarts[g]!; p < groupStarts[g + 1]!; p++) {
        let v = raw[order[p]!]!
        if (Number.isNaN(v)) {
          imputed++
          v = spec.impute === 'ffill' ? last : feature.mean
        } else {
          last = v
        }
        values[p * width + j] = (v - feature.mean) * inv
      }
    }
  })

  let offset = numericWidth
  for (const feature of spec.categorical) {
    const cells = columnOf(table, feature.name, 'feature column').cells
    const index = new Map(feature.categories.map((value, k) => [value, k]))
    for (let p = 0; p < n; p++) {
      const k = index.get(cells[order[p]!]!)
      if (k !== undefined) values[p * width + offset + k] = 1
    }
    offset += feature.categories.length
  }
  return { values, width, numericWidth, imputed }
}
