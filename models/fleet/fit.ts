/**
 * Fitting a fleet model version for one device kind from histories (hourly aggregates + the failures that
 * happened in them): sample every device every hour after a warm-up, label the samples, train the networks on
 * the training histories, then calibrate the alert threshold on separate validation histories — the highest
 * recall of failures warned ≥ 48 h ahead within a false-alert budget per 100 device-days, replaying the very
 * policy the scoring job applies. What it returns is ready for `saveFleetBundle`.
 *
 * The same sampling and replay serve the benchmark's held-out evaluation (`scoreHistory` + `evaluateAlerts`).
 */
import { createHash } from 'node:crypto'
import type * as tf from '@tensorflow/tfjs'
import { rocAuc } from '../metrics/roc-auc.ts'
import { predictAll } from '../nets/predict.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'
import type { AlertPolicy } from './alert-policy.ts'
import type { FleetContent } from './bundle.ts'
import { CATALOG_VERSION, featureCatalog } from './catalog.ts'
import { evaluateAlerts } from './evaluate.ts'
import type { DeviceScores, EventMetrics } from './evaluate.ts'
import { labelSamples } from './labels.ts'
import type { FailureRecord, Labels } from './labels.ts'
import type { DeviceSeries, HourlyRow } from './series.ts'
import { inputDistributions } from './spec.ts'
import type { FleetSpec } from './spec.ts'
import { DEFAULT_FLEET_TRAINING, trainFleetNets } from './train.ts'
import type { FleetTrainOptions, TrainingSamples } from './train.ts'
import { buildInputs, catalogSeries, DEFAULT_GEOMETRY, inputNames } from './window-features.ts'
import type { InputMatrix, WindowGeometry } from './window-features.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A stretch of one kind's device history with its known failures. */
export interface History {
  /** Where it came from, recorded in the model's fingerprint. */
  readonly source: string
  readonly rows: readonly HourlyRow[]
  readonly failures: readonly FailureRecord[]
  /** First and (exclusive) last hour of the history, epoch ms. */
  readonly start: number
  readonly end: number
}

export interface FleetFitOptions {
  readonly training: FleetTrainOptions
  readonly geometry: WindowGeometry
  /** Hours reported in the last 24 h for a device to be scored. */
  readonly minHours: number
  /** Classifier target: failure within this many hours. */
  readonly horizonHours: number
  readonly rulCapHours: number
  readonly afterRepairHours: number
  /** Positive only from the degradation's onset (labels.ts). */
  readonly fromOnset: boolean
  /** No samples in the first days of a history (the baseline needs history). */
  readonly warmupDays: number
  /** The policy around the calibrated threshold. */
  readonly policy: Omit<AlertPolicy, 'threshold' | 'clearBelow'> & { readonly clearRatio: number }
  /** Calibration: false alerts per 100 device-days the threshold may cost on the validation histories. */
  readonly falseAlertBudget: number
  /** A failure counts as warned when alerted at least this many hours ahead. */
  readonly leadHours: number
  /** Failures closer than this to the start of a replay are not counted. */
  readonly minObservedHours: number
}

export const DEFAULT_FIT: FleetFitOptions = {
  training: DEFAULT_FLEET_TRAINING,
  geometry: DEFAULT_GEOMETRY,
  minHours: 12,
  horizonHours: 120,
  rulCapHours: 336,
  afterRepairHours: 24,
  fromOnset: true,
  warmupDays: 10,
  policy: { consecutive: 3, cooldownHours: 72, clearRatio: 0.6, clearRuns: 24 },
  falseAlertBudget: 0.5,
  leadHours: 48,
  minObservedHours: 72,
}

/** One history turned into labelled samples (every device, every hour after the warm-up). */
export interface SampledHistory {
  readonly source: string
  readonly series: readonly DeviceSeries[]
  readonly inputs: InputMatrix
  readonly labels: Labels
  readonly deviceIds: readonly string[]
  readonly failures: readonly FailureRecord[]
}

/** Samples and labels of one history. */
export function sampleHistory(
  kind: PredictiveKind,
  history: History,
  options: FleetFitOptions,
): SampledHistory {
  const catalog = featureCatalog(kind)
  const series = catalogSeries(history.rows, catalog, history.end)
  const first = Math.ceil((history.start + options.warmupDays * DAY) / HOUR) * HOUR
  const times: number[] = []
  for (let t = first; t <= history.end; t += HOUR) times.push(t)
  const inputs = buildInputs(series, catalog, () => times, options.geometry, options.minHours)
  const deviceIds = Array.from(inputs.device, (d) => series[d]!.deviceId)
  const labels = labelSamples(deviceIds, inputs.time, history.failures, history.end, options)
  return { source: history.source, series, inputs, labels, deviceIds, failures: history.failures }
}

/** Several sampled histories as one training set. */
export function concatSamples(list: readonly SampledHistory[]): TrainingSamples {
  const width = list[0]?.inputs.width ?? 0
  const count = list.reduce((n, s) => n + s.inputs.count, 0)
  const values = new Float32Array(count * width)
  const y = new Float32Array(count)
  const rul = new Float32Array(count)
  const keep = new Uint8Array(count)
  let k = 0
  for (const s of list) {
    values.set(s.inputs.values, k * width)
    y.set(s.labels.y, k)
    rul.set(s.labels.rul, k)
    keep.set(s.labels.keep, k)
    k += s.inputs.count
  }
  return { values, width, count, labels: { y, rul, keep } }
}

/** Risk of every sample of a history, grouped per device in time order (for the policy replay). */
export function scoreHistory(
  classifier: tf.LayersModel,
  sampled: SampledHistory,
): {
  devices: DeviceScores[]
  risk: Float32Array
} {
  const { inputs } = sampled
  const risk = predictAll(classifier, inputs.values, [inputs.width], inputs.count).values
  const byDevice = new Map<string, number[]>()
  for (let i = 0; i < inputs.count; i++) {
    const id = sampled.deviceIds[i]!
    const list = byDevice.get(id)
    if (list) list.push(i)
    else byDevice.set(id, [i])
  }
  const devices = [...byDevice].map(([deviceId, idx]) => ({
    deviceId,
    time: Float64Array.from(idx, (i) => inputs.time[i]!),
    risk: Float32Array.from(idx, (i) => risk[i]!),
  }))
  return { devices, risk }
}

/** The policy with a threshold. */
export function policyAt(threshold: number, options: FleetFitOptions): AlertPolicy {
  const { clearRatio, ...rest } = options.policy
  return { ...rest, threshold, clearBelow: threshold * clearRatio }
}

/** Event metrics over several scored histories at once. */
export function evaluateMany(
  scored: readonly { devices: readonly DeviceScores[]; failures: readonly FailureRecord[] }[],
  policy: AlertPolicy,
  options: FleetFitOptions,
): EventMetrics {
  const devices = scored.flatMap((s, h) => s.devices.map((d) => ({ ...d, deviceId: `${h}/${d.deviceId}` })))
  const failures = scored.flatMap((s, h) => s.failures.map((f) => ({ ...f, deviceId: `${h}/${f.deviceId}` })))
  return evaluateAlerts(devices, failures, policy, options)
}

/**
 * Thresholds tried by the calibration: even steps of the logit from 0.2 to 0.99999 (logit −1.4 … 11.6, steps
 * of 0.5). A classifier trained to separate degrading devices puts many healthy hours above 0.99 too, so the
 * grid must reach far into the tail; a grid ending at 0.999 left the calibration no choice but its last step.
 */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 27 }, (_, i) => {
  const p = 1 / (1 + Math.exp(-(-1.4 + 0.5 * i)))
  return Number(p.toPrecision(6))
})

/**
 * The threshold with the most failures warned in time whose false alerts stay within the budget (the highest
 * such threshold among equals: fewer alerts for the same recall). Without any within budget: the strictest.
 */
export function calibrateThreshold(
  scored: readonly { devices: readonly DeviceScores[]; failures: readonly FailureRecord[] }[],
  options: FleetFitOptions,
): { threshold: number; metrics: EventMetrics } {
  let best: { threshold: number; metrics: EventMetrics } | null = null
  for (const threshold of THRESHOLD_GRID) {
    const metrics = evaluateMany(scored, policyAt(threshold, options), options)
    if (metrics.falsePer100DeviceDays > options.falseAlertBudget) continue
    if (best === null || metrics.warned >= best.metrics.warned) best = { threshold, metrics }
  }
  if (best !== null) return best
  const strictest = THRESHOLD_GRID[THRESHOLD_GRID.length - 1]!
  return { threshold: strictest, metrics: evaluateMany(scored, policyAt(strictest, options), options) }
}

function fingerprintOf(samples: TrainingSamples, sources: readonly string[]): string {
  const hash = createHash('sha256')
  for (const s of sources) hash.update(s)
  hash.update(new Uint8Array(samples.values.buffer, samples.values.byteOffset, samples.values.byteLength))
  hash.update(new Uint8Array(samples.labels.y.buffer))
  return hash.digest('hex')
}

/** What a fit measured, besides the saved content. */
export interface FitReport {
  readonly trainSamples: number
  readonly trainPositives: number
  readonly validationSamples: number
  readonly trainSeconds: number
  readonly threshold: number
  readonly validation: EventMetrics
  readonly validationAuc: number
}

/**
 * Trains a kind's model on `train`, calibrates its threshold on `validation`, and assembles the content of a
 * model version (spec with policy, anomaly threshold and drift reference; metrics; fingerprint).
 */
export async function fitFleetModel(
  kind: PredictiveKind,
  train: readonly History[],
  validation: readonly History[],
  options: FleetFitOptions = DEFAULT_FIT,
): Promise<{ content: FleetContent; report: FitReport }> {
  const catalog = featureCatalog(kind)
  const sampledTrain = train.map((h) => sampleHistory(kind, h, options))
  const samples = concatSamples(sampledTrain)
  const nets = await trainFleetNets(samples, options.rulCapHours, options.training)

  const sampledValidation = validation.map((h) => sampleHistory(kind, h, options))
  const scored = sampledValidation.map((s) => ({ ...scoreHistory(nets.classifier, s), failures: s.failures }))
  const { threshold, metrics } = calibrateThreshold(scored, options)
  const truth: number[] = []
  const risk: number[] = []
  sampledValidation.forEach((s, h) => {
    for (let i = 0; i < s.inputs.count; i++) {
      if (s.labels.keep[i] === 0) continue
      truth.push(s.labels.y[i]!)
      risk.push(scored[h]!.risk[i]!)
    }
  })
  const validationAuc = rocAuc(Int8Array.from(truth), Float32Array.from(risk))
  let positives = 0
  for (let i = 0; i < samples.count; i++) if (samples.labels.keep[i] === 1) positives += samples.labels.y[i]!

  const spec: FleetSpec = {
    format: 'pdm-fleet-spec/1',
    kind,
    catalogVersion: CATALOG_VERSION,
    features: catalog.map((f) => f.name),
    inputNames: inputNames(catalog),
    geometry: options.geometry,
    minHours: options.minHours,
    horizonHours: options.horizonHours,
    rulCapHours: options.rulCapHours,
    policy: policyAt(threshold, options),
    anomaly: {
      threshold: nets.anomalyThreshold,
      quantile: options.training.anomalyQuantile,
      errorScale: nets.errorScale,
    },
    drift: inputDistributions(samples.values, samples.width, samples.count),
  }
  const sources = train.map((h) => h.source)
  const report: FitReport = {
    trainSamples: samples.count,
    trainPositives: positives,
    validationSamples: sampledValidation.reduce((n, s) => n + s.inputs.count, 0),
    trainSeconds: nets.seconds,
    threshold,
    validation: metrics,
    validationAuc,
  }
  const { leads: _leads, ...validationSummary } = metrics
  return {
    content: {
      spec,
      plans: nets.plans,
      classifier: nets.classifier,
      rul: nets.rul,
      anomaly: nets.anomaly,
      fingerprint: {
        sha256: fingerprintOf(samples, sources),
        sources,
        samples: samples.count,
        positives,
      },
      metrics: {
        validation: validationSummary,
        validationAuc,
        validationSources: validation.map((h) => h.source),
        trainSamples: samples.count,
        trainPositives: positives,
        trainSeconds: nets.seconds,
        training: options.training,
      },
    },
    report,
  }
}
