/**
 * Training targets of feature samples from the ground truth of injected failures: "fails within the horizon"
 * for the classifier and hours to failure (capped) for the remaining-useful-life regressor. Samples taken while
 * a device is failed, under repair or just back (its last 24 h still hold the failure) are excluded: a model
 * must not learn that a silent device is a healthy one, nor score a lift that is already known to be broken.
 */

const HOUR = 3_600_000

/** One failure of one device: degradation onset, failure, back in service (epoch ms). */
export interface FailureRecord {
  readonly deviceId: string
  readonly onset: number
  readonly failure: number
  readonly end: number
  readonly fault?: string
}

export interface LabelOptions {
  /** Positive when the device fails within this many hours after T. */
  readonly horizonHours: number
  /** Remaining useful life is capped here (hours): "at least this long". */
  readonly rulCapHours: number
  /** Samples are excluded from the failure until this many hours after the repair. */
  readonly afterRepairHours: number
  /**
   * Positive only once the degradation has begun (T ≥ onset): the hours of the horizon before the onset look
   * healthy in every signal, so calling them positive only teaches the classifier noise. They are left out of
   * training (neither label is true to what the data shows). Default false: positive on the horizon alone.
   */
  readonly fromOnset?: boolean
}

export interface Labels {
  /** 1 = fails within the horizon. */
  readonly y: Float32Array
  /** Hours to the next failure, capped; NaN when unknown (the history ends first, censored). */
  readonly rul: Float32Array
  /** 0 = leave the sample out (failed, repairing, just repaired). */
  readonly keep: Uint8Array
}

/**
 * Labels for samples (device id, time T). `historyEnd` is the end of the observed history: a device with no
 * failure before it has a known RUL only if the history runs at least the cap past T.
 */
export function labelSamples(
  deviceIds: readonly string[],
  times: Float64Array,
  failures: readonly FailureRecord[],
  historyEnd: number,
  options: LabelOptions,
): Labels {
  const byDevice = new Map<string, FailureRecord[]>()
  for (const f of failures) {
    const list = byDevice.get(f.deviceId)
    if (list) list.push(f)
    else byDevice.set(f.deviceId, [f])
  }
  for (const list of byDevice.values()) list.sort((a, b) => a.failure - b.failure)
  const n = times.length
  const y = new Float32Array(n)
  const rul = new Float32Array(n)
  const keep = new Uint8Array(n)
  const cap = options.rulCapHours
  for (let i = 0; i < n; i++) {
    const t = times[i]!
    const list = byDevice.get(deviceIds[i]!) ?? []
    let ok = 1
    let next: FailureRecord | null = null
    for (const f of list) {
      if (t >= f.failure && t < f.end + options.afterRepairHours * HOUR) ok = 0
      if (f.failure > t && (next === null || f.failure < next.failure)) next = f
    }
    const hours = next === null ? Number.POSITIVE_INFINITY : (next.failure - t) / HOUR
    const within = hours <= options.horizonHours
    // Within the horizon but before the onset: nothing to see yet (see `fromOnset`).
    if (within && options.fromOnset === true && t < next!.onset) ok = 0
    keep[i] = ok
    y[i] = within ? 1 : 0
    if (Number.isFinite(hours)) rul[i] = Math.min(cap, hours)
    else rul[i] = (historyEnd - t) / HOUR >= cap ? cap : Number.NaN
  }
  return { y, rul, keep }
}
