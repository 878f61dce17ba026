/**
 * From a table and a fitted spec to samples: which sorted positions are samples (every labelled row, or each
 * device's last row in group mode), their model inputs, their truth, and where they came from (row, device) so
 * predictions can be reported and pooled across cross-validation folds.
 */
import type { Table } from '../csv/table.ts'
import { baseMatrix } from '../features/base.ts'
import type { BaseMatrix } from '../features/base.ts'
import { buildInputs } from '../features/inputs.ts'
import type { Inputs } from '../features/inputs.ts'
import { groupOfPositions, orderRows } from '../features/ordering.ts'
import type { RowOrder } from '../features/ordering.ts'
import { groupStartOfPositions } from '../features/rolling.ts'
import type { FeatureSpec, SampleMode } from '../features/spec.ts'

/** A table in sequence order, independent of any fitted spec (shared by all cross-validation folds). */
export interface Prepared {
  readonly table: Table
  readonly ordering: RowOrder
  /** Sorted position -> first position of its group. */
  readonly groupStart: Int32Array
  /** Sorted position -> group index. */
  readonly groupOf: Int32Array
}

/** Orders the table's rows for the spec's (or options') group and time columns. */
export function prepare(
  table: Table,
  group: string | null | undefined,
  time: string | null | undefined,
): Prepared {
  const ordering = orderRows(table, group ?? undefined, time ?? undefined)
  return {
    table,
    ordering,
    groupStart: groupStartOfPositions(ordering.groupStarts),
    groupOf: groupOfPositions(ordering),
  }
}

/** Samples with inputs and provenance. */
export interface Samples {
  readonly inputs: Inputs
  /** Table row of each sample (group mode: the device's last row). */
  readonly rows: Int32Array
  /** Group index of each sample (into prepared.ordering.groupKeys). */
  readonly groups: Int32Array
  /** Encoded truth per sample (see target.encodeLabels), or undefined without labels. */
  readonly truth: Float64Array | undefined
  readonly base: BaseMatrix
}

/**
 * Sorted positions that are samples. `include` (by table row) restricts them to a fold; with `labels`, rows whose
 * label is missing are skipped (their features still feed their neighbours' windows). In group mode a device is
 * one sample, at its last row, labelled with its (constant) label.
 */
export function samplePositions(
  prepared: Prepared,
  mode: SampleMode,
  include: Uint8Array | undefined,
  labels: Float64Array | undefined,
): Int32Array {
  const { order, groupStarts } = prepared.ordering
  const out: number[] = []
  if (mode === 'group') {
    for (let g = 0; g + 1 < groupStarts.length; g++) {
      const last = groupStarts[g + 1]! - 1
      if (last < groupStarts[g]!) continue
      if (include !== undefined && include[order[last]!] !== 1) continue
      if (labels !== undefined && Number.isNaN(groupLabel(prepared, g, labels))) continue
      out.push(last)
    }
  } else {
    for (let p = 0; p < order.length; p++) {
      const r = order[p]!
      if (include !== undefined && include[r] !== 1) continue
      if (labels !== undefined && Number.isNaN(labels[r]!)) continue
      out.push(p)
    }
  }
  return Int32Array.from(out)
}

/** The label of group g: its last non-missing row label, NaN if none. */
export function groupLabel(prepared: Prepared, g: number, labels: Float64Array): number {
  const { order, groupStarts } = prepared.ordering
  for (let p = groupStarts[g + 1]! - 1; p >= groupStarts[g]!; p--) {
    const v = labels[order[p]!]!
    if (!Number.isNaN(v)) return v
  }
  return Number.NaN
}

/** True when every group's non-missing labels agree (classify with --group then has one sample per group). */
export function labelsConstantPerGroup(prepared: Prepared, labels: Float64Array): boolean {
  const { order, groupStarts } = prepared.ordering
  for (let g = 0; g + 1 < groupStarts.length; g++) {
    let seen = Number.NaN
    for (let p = groupStarts[g]!; p < groupStarts[g + 1]!; p++) {
      const v = labels[order[p]!]!
      if (Number.isNaN(v)) continue
      if (Number.isNaN(seen)) seen = v
      else if (v !== seen) return false
    }
  }
  return true
}

/** Builds the samples at `positions` with the spec's base features and (fitted or null) derived scaling. */
export function buildSamples(
  prepared: Prepared,
  spec: Pick<FeatureSpec, 'numeric' | 'categorical' | 'impute' | 'mode' | 'window' | 'rolling' | 'derived'>,
  positions: Int32Array,
  labels: Float64Array | undefined,
  base: BaseMatrix = baseMatrix(prepared.table, spec, prepared.ordering),
): Samples {
  const inputs = buildInputs(base, prepared.groupStart, positions, spec, spec.derived)
  const { order } = prepared.ordering
  const rows = new Int32Array(positions.length)
  const groups = new Int32Array(positions.length)
  const truth = labels === undefined ? undefined : new Float64Array(positions.length)
  for (let s = 0; s < positions.length; s++) {
    const p = positions[s]!
    rows[s] = order[p]!
    groups[s] = prepared.groupOf[p]!
    if (truth !== undefined) {
      truth[s] = spec.mode === 'group' ? groupLabel(prepared, groups[s]!, labels!) : labels![order[p]!]!
    }
  }
  return { inputs, rows, groups, truth, base }
}
