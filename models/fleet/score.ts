/**
 * Scoring a window of hourly aggregates with a fleet model version: every device with enough recent data gets a
 * risk (P(failure within the horizon)), a predicted time to failure (the RUL regressor, capped), an anomaly score
 * (the autoencoder, for what the labelled faults do not cover) and its evidence. One batched `predict` per
 * network for all devices: the wasm backend pays per call, not per row. No I/O: the scoring job reads and
 * writes around this, and the benchmark times exactly this.
 */
import { DataError } from '../errors.ts'
import { reconstructionErrors } from '../nets/autoencoder.ts'
import { predictAll } from '../nets/predict.ts'
import type { FleetBundle } from './bundle.ts'
import { CATALOG_VERSION, featureCatalog } from './catalog.ts'
import { logitGradients, topEvidence } from './evidence.ts'
import type { Evidence } from './evidence.ts'
import type { DeviceSeries, HourlyRow } from './series.ts'
import { catalogSeries, justRepaired, writeInputs } from './window-features.ts'
import type { RawReading } from './window-features.ts'

const HOUR = 3_600_000

/** One device's score at one time. */
export interface DeviceScore {
  readonly deviceId: string
  readonly communityId: string
  readonly kind: FleetBundle['spec']['kind']
  /** End of the scored window (a whole hour), epoch ms. */
  readonly at: number
  readonly risk: number
  /** Predicted hours to failure (the regressor, 0 … cap). */
  readonly ttfHours: number
  /** True when the prediction is at the cap: "not within the cap". */
  readonly ttfCapped: boolean
  readonly anomaly: number
  readonly anomalous: boolean
  readonly hoursReported: number
  readonly evidence: readonly Evidence[]
  /** The model inputs (for drift monitoring). */
  readonly inputs: Float32Array
}

export interface ScoredWindow {
  readonly scores: DeviceScore[]
  /** Devices with too little data in the last 24 h to be scored. */
  readonly skipped: readonly string[]
  /** Milliseconds spent building inputs, predicting, and explaining. */
  readonly ms: { readonly inputs: number; readonly predict: number; readonly evidence: number }
}

/** Throws a DataError when a saved model does not match this code's feature catalog. */
export function checkCatalog(bundle: FleetBundle): void {
  if (bundle.spec.catalogVersion !== CATALOG_VERSION) {
    throw new DataError(
      `${bundle.dir}: trained on feature catalog v${bundle.spec.catalogVersion}, this code has v${CATALOG_VERSION}; retrain`,
    )
  }
}

/** Scores every series at `at` (a whole hour, exclusive end of the window). */
export function scoreSeries(bundle: FleetBundle, series: readonly DeviceSeries[], at: number): ScoredWindow {
  checkCatalog(bundle)
  const { spec } = bundle
  const catalog = featureCatalog(spec.kind)
  const width = spec.inputNames.length
  const t0 = performance.now()
  const x = new Float32Array(series.length * width)
  const raws: RawReading[][] = []
  const kept: DeviceSeries[] = []
  const hours: number[] = []
  const skipped: string[] = []
  for (const s of series) {
    if (justRepaired(s, at, spec.geometry)) {
      skipped.push(s.deviceId)
      continue
    }
    const raw: RawReading[] = []
    const present = writeInputs(s, catalog, at, spec.geometry, x, kept.length * width, raw)
    if (present < spec.minHours) {
      skipped.push(s.deviceId)
      continue
    }
    kept.push(s)
    raws.push(raw)
    hours.push(present)
  }
  const n = kept.length
  const inputs = x.subarray(0, n * width)
  const t1 = performance.now()
  const risk = predictAll(bundle.classifier, inputs, [width], n).values
  const rul = predictAll(bundle.rul, inputs, [width], n).values
  const recon = predictAll(bundle.anomaly, inputs, [width], n).values
  const anomaly = reconstructionErrors(inputs, recon, width, spec.anomaly.errorScale).score
  const t2 = performance.now()
  const grads = logitGradients(bundle.classifier, inputs, width, n)
  const cap = spec.rulCapHours
  const scores: DeviceScore[] = kept.map((s, i) => {
    const row = inputs.subarray(i * width, (i + 1) * width)
    const ttf = Math.min(cap, Math.max(0, rul[i]! * cap))
    return {
      deviceId: s.deviceId,
      communityId: s.communityId,
      kind: spec.kind,
      at,
      risk: risk[i]!,
      ttfHours: ttf,
      ttfCapped: ttf >= 0.95 * cap,
      anomaly: anomaly[i]!,
      anomalous: anomaly[i]! > spec.anomaly.threshold,
      hoursReported: hours[i]!,
      evidence: topEvidence(
        catalog,
        row,
        grads.subarray(i * width, (i + 1) * width),
        raws[i]!,
        spec.geometry.trendLagHours,
      ),
      inputs: row.slice(),
    }
  })
  const t3 = performance.now()
  return { scores, skipped, ms: { inputs: t1 - t0, predict: t2 - t1, evidence: t3 - t2 } }
}

/** Builds the series from hourly rows (the feature window) and scores them at `at`. */
export function scoreHourlyRows(bundle: FleetBundle, rows: readonly HourlyRow[], at: number): ScoredWindow {
  const t0 = performance.now()
  const catalog = featureCatalog(bundle.spec.kind)
  const series = catalogSeries(rows, catalog, Math.floor(at / HOUR) * HOUR)
  const built = performance.now() - t0
  const scored = scoreSeries(bundle, series, Math.floor(at / HOUR) * HOUR)
  return { ...scored, ms: { ...scored.ms, inputs: scored.ms.inputs + built } }
}
