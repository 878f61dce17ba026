/**
 * K-fold cross-validation over devices (with a group column) or rows (without): a seeded shuffle of the units,
 * dealt round-robin into K folds; each fold's model is fitted (spec and network) on the other folds only and
 * scores its own fold. Metrics are computed once on the pooled out-of-fold predictions (more stable than a mean
 * of per-fold metrics when folds are small); per-fold sample counts are reported alongside.
 */
import type { Table } from '../csv/table.ts'
import { DataError, UsageError } from '../errors.ts'
import type { TargetSpec } from '../features/spec.ts'
import { Rng, range } from '../rng.ts'
import { prepare } from './dataset.ts'
import { DEFAULT_SEED } from './options.ts'
import type { TaskOptions } from './options.ts'
import { predictionMetrics } from './predictions.ts'
import type { MetricValue } from './predictions.ts'
import { scoreTable } from './score.ts'
import { distinctClasses, labelColumnFor } from './target.ts'
import { trainPipeline } from './train.ts'

/** Cross-validation result. */
export interface CvResult {
  readonly folds: number
  readonly units: 'groups' | 'rows'
  readonly unitCount: number
  readonly samples: number
  readonly foldSamples: number[]
  readonly metrics: Record<string, MetricValue>
  readonly seconds: number
}

/** Runs K-fold cross-validation; throws UsageError for K out of range. */
export async function crossValidate(table: Table, options: TaskOptions, folds: number): Promise<CvResult> {
  const started = performance.now()
  const prepared = prepare(table, options.group, options.time)
  const byGroup = options.group !== undefined
  const unitCount = byGroup ? prepared.ordering.groupKeys.length : table.rowCount
  if (!Number.isInteger(folds) || folds < 2) throw new UsageError('--folds must be an integer >= 2')
  if (folds > unitCount) {
    throw new DataError(
      `--folds ${folds} is more than the ${unitCount} ${byGroup ? 'groups' : 'rows'} to split`,
    )
  }
  // One class list for every fold, so pooled class indices mean the same thing.
  let fixed = options
  if (options.task === 'classify') {
    const column = labelColumnFor(table, options)
    fixed = { ...options, classes: distinctClasses(column!) }
  }
  const units = new Rng(options.seed ?? DEFAULT_SEED).shuffle(range(unitCount))
  const foldOfUnit = new Int32Array(unitCount)
  units.forEach((u, i) => (foldOfUnit[u] = i % folds))
  const foldOfRow = new Int32Array(table.rowCount).fill(-1)
  if (byGroup) {
    const { order, groupStarts } = prepared.ordering
    for (let g = 0; g < unitCount; g++) {
      for (let p = groupStarts[g]!; p < groupStarts[g + 1]!; p++) foldOfRow[order[p]!] = foldOfUnit[g]!
    }
  } else {
    foldOfRow.set(foldOfUnit)
  }

  const truths: Float64Array[] = []
  const outputs: Float32Array[] = []
  const foldSamples: number[] = []
  let width = 1
  let target: TargetSpec | undefined
  for (let k = 0; k < folds; k++) {
    const train = Uint8Array.from(foldOfRow, (f) => (f >= 0 && f !== k ? 1 : 0))
    const test = Uint8Array.from(foldOfRow, (f) => (f === k ? 1 : 0))
    const trained = await trainPipeline(
      table,
      { ...fixed, seed: (options.seed ?? DEFAULT_SEED) + k },
      train,
      prepared,
    )
    const scored = scoreTable(trained.model, trained.spec, table, test)
    trained.model.dispose()
    const p = scored.predictions
    width = p.width
    target = trained.spec.target
    let output = p.output
    if (target.kind === 'anomaly') {
      // Folds have their own thresholds: pool scores relative to each fold's alarm level (flag = ratio > 1).
      const threshold = target.threshold
      output = Float32Array.from(p.output, (v) => v / threshold)
    }
    outputs.push(output)
    truths.push(p.truth ?? new Float64Array(output.length / width).fill(Number.NaN))
    foldSamples.push(output.length / width)
  }
  const total = foldSamples.reduce((a, b) => a + b, 0)
  const truth = new Float64Array(total)
  const output = new Float32Array(total * width)
  let offset = 0
  for (let k = 0; k < folds; k++) {
    truth.set(truths[k]!, offset)
    output.set(outputs[k]!, offset * width)
    offset += foldSamples[k]!
  }
  const pooledTarget = target!.kind === 'anomaly' ? { ...target!, threshold: 1 } : target!
  const metrics = predictionMetrics(pooledTarget, { truth, output, width })
  if (target!.kind === 'anomaly') delete metrics.threshold
  return {
    folds,
    units: byGroup ? 'groups' : 'rows',
    unitCount,
    samples: total,
    foldSamples,
    metrics,
    seconds: (performance.now() - started) / 1000,
  }
}
