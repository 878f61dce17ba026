/**
 * The feature spec: everything needed to turn rows of a CSV (or, later, a ClickHouse window) into model inputs
 * exactly as during training. It is fitted on training rows only and saved next to the model as
 * feature-spec.json; scoring never refits anything.
 *
 * Base features per row: numeric columns standardised with the training mean/std (missing and malformed cells
 * imputed first, by forward fill within the device or by the training mean), then string columns one-hot encoded.
 * The sample mode then decides what a model sees:
 * - `row`: one sample per row: the base features (+ rolling mean/std/slope/delta when `rolling` > 0);
 * - `group`: one sample per device: summary statistics (last, mean, std, slope, min, max) of the last `window`
 *   rows, plus the last row's one-hot columns;
 * - `sequence`: one sample per labelled row: the window of the last `window` base rows (left-padded with the
 *   device's first row).
 */
import type { Table } from '../csv/table.ts'
import { DataError } from '../errors.ts'

export type Task = 'classify' | 'rul' | 'anomaly'
export type SampleMode = 'row' | 'group' | 'sequence'
export type Impute = 'mean' | 'ffill'

/** A standardised numeric input. */
export interface NumericFeature {
  readonly name: string
  /** Training mean, in raw units: the fill value for missing cells and the centre for standardising. */
  readonly mean: number
  /** Training standard deviation (> 0; constant columns are dropped). */
  readonly std: number
}

/** A one-hot encoded text input; unseen or missing values encode as all zeros. */
export interface CategoricalFeature {
  readonly name: string
  readonly categories: readonly string[]
}

/** How model outputs map back to labels. */
export type TargetSpec =
  | { readonly kind: 'classes'; readonly classes: readonly string[]; readonly positive: string | null }
  | { readonly kind: 'rul'; readonly scale: number; readonly cap: number | null }
  | {
      readonly kind: 'anomaly'
      readonly threshold: number
      readonly quantile: number
      /**
       * Mean squared reconstruction error of each input feature on the training samples. Scores divide by it, so
       * a feature the autoencoder can never reconstruct (quantisation noise, e.g. a humidity step of 0.001 %)
       * does not dominate every score, and evidence names the feature that is unusual for *that* feature.
       */
      readonly errorScale: readonly number[] | null
    }

/** Everything scoring needs to rebuild the inputs; JSON-serialisable. */
export interface FeatureSpec {
  readonly format: 'pdm-feature-spec/1'
  readonly task: Task
  readonly mode: SampleMode
  readonly label: string | null
  readonly group: string | null
  readonly time: string | null
  readonly timeAsFeature: boolean
  readonly impute: Impute
  readonly numeric: readonly NumericFeature[]
  readonly categorical: readonly CategoricalFeature[]
  readonly dropped: readonly { readonly name: string; readonly reason: string }[]
  /** Sequence window, or the number of last rows a group summary covers. */
  readonly window: number
  /** Rolling-statistics window for row mode; 0 = none. */
  readonly rolling: number
  /** Standardisation of the rolling / summary statistics, fitted on the training samples. */
  readonly derived: { readonly mean: readonly number[]; readonly std: readonly number[] } | null
  readonly inputShape: readonly number[]
  /** Names of the model's input features (per step for sequences), for evidence in alerts. */
  readonly featureNames: readonly string[]
  readonly target: TargetSpec
}

/** The base-feature part of a spec. */
export interface BaseFeatures {
  readonly numeric: NumericFeature[]
  readonly categorical: CategoricalFeature[]
  readonly dropped: { name: string; reason: string }[]
}

/** Which columns may become features, and how to fit them. */
export interface BaseFitOptions {
  /** Columns with a role (label, group, time unless used as a feature) or excluded by the user. */
  readonly reserved: ReadonlySet<string>
  readonly excluded: ReadonlySet<string>
  /** More distinct values than this (or than half the rows) and a text column is dropped as an identifier. */
  readonly maxCategories?: number
}

/**
 * Fits standardisation and one-hot categories on the training rows (`rows`: row indices; all rows if omitted).
 * Drops constant, all-missing and identifier-like columns, saying why. Throws DataError when nothing is left.
 */
export function fitBaseFeatures(table: Table, options: BaseFitOptions, rows?: Int32Array): BaseFeatures {
  const maxCategories = options.maxCategories ?? 50
  const n = rows?.length ?? table.rowCount
  const rowAt = (i: number): number => (rows === undefined ? i : rows[i]!)
  const numeric: NumericFeature[] = []
  const categorical: CategoricalFeature[] = []
  const dropped: { name: string; reason: string }[] = []
  for (const column of table.columns) {
    if (options.reserved.has(column.name)) continue
    if (options.excluded.has(column.name)) {
      dropped.push({ name: column.name, reason: 'excluded' })
      continue
    }
    if (column.kind === 'numeric') {
      // Two-pass mean/variance in float64: sensor values like 9046.19 ± 0.02 lose everything in one pass.
      let count = 0
      let sum = 0
      for (let i = 0; i < n; i++) {
        const v = column.values[rowAt(i)]!
        if (!Number.isNaN(v)) {
          sum += v
          count++
        }
      }
      if (count === 0) {
        dropped.push({ name: column.name, reason: 'all missing' })
        continue
      }
      const mean = sum / count
      let ss = 0
      for (let i = 0; i < n; i++) {
        const v = column.values[rowAt(i)]!
        if (!Number.isNaN(v)) ss += (v - mean) * (v - mean)
      }
      const std = Math.sqrt(ss / count)
      if (!(std > 1e-9 * (Math.abs(mean) + 1))) {
        dropped.push({ name: column.name, reason: 'constant' })
        continue
      }
      numeric.push({ name: column.name, mean, std })
    } else {
      const counts = new Map<string, number>()
      for (let i = 0; i < n; i++) {
        const cell = column.cells[rowAt(i)]!
        if (cell !== '') counts.set(cell, (counts.get(cell) ?? 0) + 1)
      }
      if (counts.size === 0) {
        dropped.push({ name: column.name, reason: 'all missing' })
      } else if (counts.size > maxCategories || (counts.size > 2 && counts.size > n / 2)) {
        dropped.push({ name: column.name, reason: `identifier-like text (${counts.size} distinct values)` })
      } else if (counts.size === 1) {
        dropped.push({ name: column.name, reason: 'constant' })
      } else {
        categorical.push({ name: column.name, categories: [...counts.keys()].sort() })
      }
    }
  }
  if (numeric.length + categorical.length === 0) {
    const why = dropped.map((d) => `${d.name}: ${d.reason}`).join('; ')
    throw new DataError(`no usable feature columns${why === '' ? '' : ` (${why})`}`)
  }
  return { numeric, categorical, dropped }
}

/** Input feature names of the base matrix: numeric names, then `column=value` per one-hot category. */
export function baseFeatureNames(base: Pick<BaseFeatures, 'numeric' | 'categorical'>): string[] {
  const names = base.numeric.map((f) => f.name)
  for (const c of base.categorical) for (const value of c.categories) names.push(`${c.name}=${value}`)
  return names
}
