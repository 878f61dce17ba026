/**
 * One training run: fit the feature spec on the training rows, build the samples, train the network (each
 * ensemble member with its own seed and shuffle), set the anomaly threshold from the training scores, and
 * measure on the training samples. Pure with respect to I/O: saving is the registry's job.
 */
import type * as tf from '@tensorflow/tfjs'
import type { Table } from '../csv/table.ts'
import { DataError } from '../errors.ts'
import { baseMatrix } from '../features/base.ts'
import { applyDerived, derivedBlock, fitDerived, inputShape } from '../features/inputs.ts'
import { ROW_STATS, SUMMARY_STATS, statNames } from '../features/rolling.ts'
import { baseFeatureNames, fitBaseFeatures } from '../features/spec.ts'
import type { FeatureSpec, TargetSpec } from '../features/spec.ts'
import { buildNetwork } from '../nets/network.ts'
import type { Head, NetworkPlan } from '../nets/network.ts'
import { TEMPORAL_CNN_DEFAULTS } from '../nets/temporal-cnn.ts'
import { fitModel } from '../nets/train.ts'
import type { LossKind } from '../nets/train.ts'
import { buildSamples, labelsConstantPerGroup, prepare, samplePositions } from './dataset.ts'
import type { Prepared, Samples } from './dataset.ts'
import {
  DEFAULT_SEED,
  DEFAULT_WINDOW,
  archFor,
  imputeFor,
  sampleModeFor,
  trainingSchedule,
  validateOptions,
} from './options.ts'
import type { TaskOptions } from './options.ts'
import { predictionMetrics, quantile } from './predictions.ts'
import type { MetricValue } from './predictions.ts'
import { runModel } from './score.ts'
import { encodeLabels, fitTarget } from './target.ts'

/** The result of a training run. */
export interface Trained {
  readonly spec: FeatureSpec
  readonly plan: NetworkPlan
  readonly model: tf.LayersModel
  /** Metrics on the training samples (in-sample: optimistic by construction). */
  readonly trainMetrics: Record<string, MetricValue>
  readonly samples: number
  readonly epochs: number
  readonly finalLoss: number
  readonly imputedCells: number
  readonly rowsWithoutGroup: number
  readonly seconds: number
}

function headFor(target: TargetSpec): Head {
  switch (target.kind) {
    case 'classes':
      return target.classes.length === 2
        ? { kind: 'binary' }
        : { kind: 'multiclass', classes: target.classes.length }
    case 'rul':
      return { kind: 'regression' }
    case 'anomaly':
      return { kind: 'reconstruction' }
  }
}

function lossFor(head: Head): LossKind {
  switch (head.kind) {
    case 'binary':
      return 'binary-crossentropy'
    case 'multiclass':
      return 'categorical-crossentropy'
    case 'regression':
    case 'reconstruction':
      return 'mse'
  }
}

/** Network targets for the samples: scaled RUL, 0/1 positive class, one-hot classes, or the inputs themselves. */
function targetsFor(target: TargetSpec, samples: Samples): { y: Float32Array; width: number } {
  const truth = samples.truth
  const n = samples.inputs.count
  switch (target.kind) {
    case 'rul':
      return { y: Float32Array.from(truth!, (v) => v / target.scale), width: 1 }
    case 'classes': {
      if (target.classes.length === 2) {
        const pos = target.classes.indexOf(target.positive!)
        return { y: Float32Array.from(truth!, (v) => (v === pos ? 1 : 0)), width: 1 }
      }
      const k = target.classes.length
      const y = new Float32Array(n * k)
      for (let i = 0; i < n; i++) if (truth![i]! >= 0) y[i * k + truth![i]!] = 1
      return { y, width: k }
    }
    case 'anomaly':
      return { y: samples.inputs.values, width: samples.inputs.size }
  }
}

/**
 * Restricts `include` to the first `fraction` of each device's rows in time order (the healthy reference period
 * an anomaly detector is fitted on); unchanged when fraction is 1.
 */
export function referenceRows(
  prepared: Prepared,
  fraction: number,
  include?: Uint8Array,
): Uint8Array | undefined {
  if (fraction >= 1) return include
  const { order, groupStarts } = prepared.ordering
  const out = new Uint8Array(prepared.table.rowCount)
  for (let g = 0; g + 1 < groupStarts.length; g++) {
    const start = groupStarts[g]!
    const end = start + Math.max(1, Math.ceil((groupStarts[g + 1]! - start) * fraction))
    for (let p = start; p < end; p++) {
      const r = order[p]!
      if (include === undefined || include[r] === 1) out[r] = 1
    }
  }
  return out
}

/**
 * Trains on `table` (only rows with include[row] = 1 when given, e.g. a cross-validation fold).
 * Throws UsageError / DataError for unusable options or data.
 */
export async function trainPipeline(
  table: Table,
  options: TaskOptions,
  include?: Uint8Array,
  prepared: Prepared = prepare(table, options.group, options.time),
): Promise<Trained> {
  const started = performance.now()
  validateOptions(options)
  if (options.timeAsFeature === true && options.time !== undefined) {
    const time = table.columns.find((c) => c.name === options.time)
    if (time !== undefined && time.kind !== 'numeric') {
      throw new DataError(`--time-feature needs a numeric time column; "${options.time}" holds text`)
    }
  }
  for (const name of options.exclude ?? []) {
    if (!table.columns.some((c) => c.name === name))
      throw new DataError(`--exclude names "${name}", which is not a column`)
  }
  include = referenceRows(prepared, options.reference ?? 1, include)
  const rows =
    include === undefined ? undefined : Int32Array.from(include.keys()).filter((r) => include[r] === 1)
  const reserved = new Set<string>()
  for (const c of [options.label, options.group, options.timeAsFeature === true ? undefined : options.time]) {
    if (c !== undefined) reserved.add(c)
  }
  const base = fitBaseFeatures(table, { reserved, excluded: new Set(options.exclude ?? []) }, rows)
  const target = fitTarget(table, options, rows)
  const labels = encodeLabels(table, options.label ?? null, target)
  const mode = sampleModeFor(options, labels === undefined || labelsConstantPerGroup(prepared, labels))
  const layout = {
    numeric: base.numeric,
    categorical: base.categorical,
    impute: imputeFor(options),
    mode,
    window: options.window ?? DEFAULT_WINDOW,
    rolling: mode === 'row' ? (options.rolling ?? 0) : 0,
    derived: null,
  }
  const matrix = baseMatrix(table, layout, prepared.ordering)
  const supervised = options.task !== 'anomaly'
  let positions = samplePositions(prepared, mode, include, supervised ? labels : undefined)
  // Drop labels outside the class list (possible only with a fixed list). Group samples were checked per group.
  if (supervised && labels !== undefined && mode !== 'group') {
    positions = positions.filter((p) => labels[prepared.ordering.order[p]!]! >= 0)
  }
  if (positions.length === 0) throw new DataError('no training samples: every label is missing')
  const samples = buildSamples(prepared, layout, positions, labels, matrix)
  const block = derivedBlock(layout, matrix)
  const derived = fitDerived(samples.inputs, block)
  if (derived !== null) applyDerived(samples.inputs.values, samples.inputs.size, block[0], derived)

  const baseNames = baseFeatureNames(base)
  const numericNames = base.numeric.map((f) => f.name)
  const categoricalNames = baseNames.slice(numericNames.length)
  const featureNames =
    mode === 'group'
      ? [...statNames(numericNames, SUMMARY_STATS), ...categoricalNames]
      : mode === 'row' && layout.rolling > 0
        ? [...baseNames, ...statNames(numericNames, ROW_STATS)]
        : baseNames
  const head = headFor(target)
  const arch = archFor(options.task, mode)
  const plan: NetworkPlan = {
    arch,
    inputShape: inputShape(layout, matrix),
    head,
    members: arch === 'autoencoder' ? 1 : (options.members ?? 1),
    ...(arch === 'temporal-cnn' ? { cnn: { ...TEMPORAL_CNN_DEFAULTS, ...options.cnn } } : {}),
    ...(arch === 'mlp' && options.hidden !== undefined ? { hidden: options.hidden } : {}),
    ...(arch === 'autoencoder' && options.autoencoder !== undefined
      ? { autoencoder: options.autoencoder }
      : {}),
  }
  const seed = options.seed ?? DEFAULT_SEED
  const network = buildNetwork(plan, seed)
  const schedule = trainingSchedule(arch, samples.inputs.count, options)
  const { y, width } = targetsFor(target, samples)
  let finalLoss = Number.NaN
  for (let m = 0; m < network.members.length; m++) {
    const losses = await fitModel(
      network.members[m]!,
      {
        x: samples.inputs.values,
        shape: samples.inputs.shape,
        y,
        targetWidth: width,
        count: samples.inputs.count,
      },
      {
        ...schedule,
        loss: lossFor(head),
        seed: seed * 7919 + m,
        onEpoch:
          options.onEpoch === undefined ? undefined : (epoch, loss) => options.onEpoch!(m, epoch, loss),
      },
    )
    finalLoss = losses[losses.length - 1]!
  }

  const draft: FeatureSpec = {
    format: 'pdm-feature-spec/1',
    task: options.task,
    mode,
    label: options.label ?? null,
    group: options.group ?? null,
    time: options.time ?? null,
    timeAsFeature: options.timeAsFeature === true,
    impute: layout.impute,
    numeric: base.numeric,
    categorical: base.categorical,
    dropped: base.dropped,
    window: layout.window,
    rolling: layout.rolling,
    derived,
    inputShape: plan.inputShape,
    featureNames,
    target,
  }
  const first = runModel(network.serving, draft, samples)
  let predictions = first.predictions
  let spec = draft
  if (target.kind === 'anomaly') {
    // Typical error per feature on the training samples, then the threshold on the scores scaled by it.
    const raw = first.perFeature!
    const size = samples.inputs.size
    const errorScale = new Array<number>(size).fill(0)
    for (let i = 0; i < raw.length; i++) errorScale[i % size]! += raw[i]!
    for (let j = 0; j < size; j++) errorScale[j] = Math.max(errorScale[j]! / samples.inputs.count, 1e-12)
    const scaled = { ...draft, target: { ...target, errorScale } }
    predictions = runModel(network.serving, scaled, samples).predictions
    spec = {
      ...scaled,
      target: { ...scaled.target, threshold: quantile(predictions.output, target.quantile) },
    }
  }
  return {
    spec,
    plan,
    model: network.serving,
    trainMetrics: predictionMetrics(spec.target, predictions),
    samples: samples.inputs.count,
    epochs: schedule.epochs,
    finalLoss,
    imputedCells: matrix.imputed,
    rowsWithoutGroup: prepared.ordering.rowsWithoutGroup,
    seconds: (performance.now() - started) / 1000,
  }
}
