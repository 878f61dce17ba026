/**
 * The scoring job: rates every lift and pump with the newest model version of its kind, on a schedule
 * (schedule.ts) and on demand (the API). Per kind and run:
 *
 * 1. refresh the hourly features of the last hours from raw telemetry (the first run backfills the lookback);
 * 2. read the feature window of every device of the kind in one query;
 * 3. score them all at once (fleet/score.ts): risk, predicted time to failure, anomaly score, evidence;
 * 4. store the scores (ClickHouse) and apply the alert policy per device (PostgreSQL state): a raised alert is
 *    stored, opens a work order carrying its evidence (`WorkOrderOpener`) and is published (`AlertSink`, the
 *    live bus); a repeat updates the active alert (deduplicated); a cleared one is published as cleared.
 *
 * Runs never overlap: a run asked for while one is going waits for it. A kind without a saved model is skipped
 * and reported as such.
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import { initBackend } from '../backend.ts'
import { stepAlert } from '../fleet/alert-policy.ts'
import type { AlertState } from '../fleet/alert-policy.ts'
import { disposeFleetBundle, latestFleetDir, loadFleetBundle } from '../fleet/bundle.ts'
import type { FleetBundle } from '../fleet/bundle.ts'
import { scoreHourlyRows } from '../fleet/score.ts'
import type { DeviceScore } from '../fleet/score.ts'
import { PREDICTIVE_KINDS } from '../telemetry/hourly-sql.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'
import { AlertStore } from './alert-store.ts'
import { FeatureStore } from './feature-store.ts'
import { ScoreStore } from './score-store.ts'
import { driftLevel, inputDrift, validationAlertRate, type DriftReport } from './drift.ts'
import { RecordingAlertSink, RecordingWorkOrderOpener } from './sinks.ts'
import type { AlertSink, PredictiveAlert, PredictiveWorkOrderRequest, WorkOrderOpener } from './sinks.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface ScoringJobOptions {
  readonly clickhouse: ClickHouse
  readonly postgres: Postgres
  /** Where the model registry lives (`<dataDir>/models/pdm-<kind>/vN`). */
  readonly dataDir: string
  readonly alerts?: AlertSink
  readonly workOrders?: WorkOrderOpener
  readonly kinds?: readonly PredictiveKind[]
  /** Hours of features recomputed before each run (late data). Default 3. */
  readonly refreshHours?: number
  readonly now?: () => number
  /** Failures that do not stop a run (a work order that could not be opened), reported here. */
  readonly onError?: (error: unknown, context: string) => void
}

/** What one run did for one kind. */
export interface KindRunReport {
  readonly kind: PredictiveKind
  /** Null when the kind has no saved model (then nothing else is set). */
  readonly model: string | null
  readonly version: string | null
  readonly runId: number | null
  readonly windowEnd: number
  readonly scored: number
  readonly skipped: number
  readonly highRisk: number
  readonly anomalous: number
  readonly raised: readonly number[]
  readonly cleared: readonly number[]
  readonly ms: { readonly features: number; readonly score: number; readonly total: number }
}

function severityOf(score: DeviceScore): 'major' | 'critical' {
  return !score.ttfCapped && score.ttfHours <= 48 ? 'critical' : 'major'
}

const KIND_TITLES: Readonly<Record<string, readonly [string, string]>> = {
  elevator: ['电梯', 'Elevator'],
  water_pump: ['水泵', 'Water pump'],
}

/** What a predictive work order's title is made of (a fresh score, or a stored alert). */
export interface TitleFacts {
  readonly kind: string
  readonly deviceId: string
  readonly risk: number
  /** Predicted hours to failure; null when none is expected within the regressor's cap. */
  readonly ttfHours: number | null
  readonly evidence: readonly { readonly label: string }[]
}

/** The work order's one-line title, zh-CN then English. */
export function workOrderTitle(facts: TitleFacts): string {
  const [zh, en] = KIND_TITLES[facts.kind] ?? ['设备', 'Device']
  const pct = Math.round(facts.risk * 100)
  const top = facts.evidence[0]?.label ?? ''
  const hours = facts.ttfHours === null ? null : Math.round(facts.ttfHours)
  const when = hours === null ? '' : ` · 预计${hours}小时内 / within ~${hours} h`
  return `${zh}${facts.deviceId}故障风险${pct}%${when} — ${en} ${facts.deviceId} failure risk ${pct}%${top ? `: ${top}` : ''}`
}

export class ScoringJob {
  readonly alerts: AlertSink
  readonly workOrders: WorkOrderOpener
  readonly alertStore: AlertStore
  readonly scoreStore: ScoreStore
  readonly featureStore: FeatureStore
  private readonly bundles = new Map<PredictiveKind, FleetBundle>()
  private queue: Promise<unknown> = Promise.resolve()
  private readonly now: () => number

  constructor(private readonly options: ScoringJobOptions) {
    this.alerts = options.alerts ?? new RecordingAlertSink()
    this.workOrders = options.workOrders ?? new RecordingWorkOrderOpener()
    this.alertStore = new AlertStore(options.postgres)
    this.scoreStore = new ScoreStore(options.clickhouse)
    this.featureStore = new FeatureStore(options.clickhouse)
    this.now = options.now ?? Date.now
  }

  /** The model version a kind is served by (loading the newest saved one), or null when none is saved. */
  async bundle(kind: PredictiveKind): Promise<FleetBundle | null> {
    const dir = await latestFleetDir(this.options.dataDir, kind)
    const current = this.bundles.get(kind)
    if (dir === null) return null
    if (current?.dir === dir) return current
    await initBackend()
    const loaded = await loadFleetBundle(dir)
    this.bundles.set(kind, loaded)
    if (current) disposeFleetBundle(current)
    return loaded
  }

  /**
   * Scores every kind (or `kinds`) at `at` (default now; the window ends at the last whole hour). Waits for a
   * run in progress first.
   */
  run(
    options: { kinds?: readonly PredictiveKind[]; at?: number; trigger?: 'schedule' | 'manual' } = {},
  ): Promise<KindRunReport[]> {
    const next = this.queue.then(async () => {
      const reports: KindRunReport[] = []
      for (const kind of options.kinds ?? this.options.kinds ?? PREDICTIVE_KINDS) {
        reports.push(await this.runKind(kind, options.at ?? this.now(), options.trigger ?? 'manual'))
      }
      return reports
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Drift of the version serving `kind`: its inputs over the last `runs` scoring runs against its training
   * distribution, and its alert rate in service against validation. Null when no version is saved.
   */
  async drift(kind: PredictiveKind, runs = 24): Promise<DriftReport | null> {
    const bundle = await this.bundle(kind)
    if (!bundle) return null
    const { name, version } = bundle.manifest
    const [recent, activity] = await Promise.all([
      this.scoreStore.recentInputs(name, version, runs),
      this.alertStore.versionActivity(name, version),
    ])
    const inputs = inputDrift(bundle.spec, recent.values, recent.count)
    const maxPsi = inputs[0]?.psi ?? 0
    const deviceDays = activity.scored / 24
    return {
      kind,
      model: name,
      version,
      runs: Math.min(runs, activity.runs),
      samples: recent.count,
      level: driftLevel(maxPsi),
      maxPsi,
      inputs,
      alertRate: {
        runs: activity.runs,
        deviceDays: Math.round(deviceDays * 100) / 100,
        alerts: activity.alerts,
        per100DeviceDays:
          deviceDays > 0 ? Math.round(((100 * activity.alerts) / deviceDays) * 1000) / 1000 : null,
        validationPer100DeviceDays: validationAlertRate(bundle.metrics),
        since: activity.first,
        until: activity.last,
      },
    }
  }

  /** Frees the loaded models. */
  close(): void {
    for (const b of this.bundles.values()) disposeFleetBundle(b)
    this.bundles.clear()
  }

  private async runKind(
    kind: PredictiveKind,
    at: number,
    trigger: 'schedule' | 'manual',
  ): Promise<KindRunReport> {
    const started = performance.now()
    const startedAt = this.now()
    const windowEnd = Math.floor(at / HOUR) * HOUR
    const bundle = await this.bundle(kind)
    if (bundle === null) {
      return {
        kind,
        model: null,
        version: null,
        runId: null,
        windowEnd,
        scored: 0,
        skipped: 0,
        highRisk: 0,
        anomalous: 0,
        raised: [],
        cleared: [],
        ms: { features: 0, score: 0, total: 0 },
      }
    }
    const { spec, manifest } = bundle
    const lookback = (spec.geometry.baselineDays + 1) * DAY
    const latest = await this.featureStore.latestHour(kind)
    const refreshFrom =
      latest === null
        ? windowEnd - lookback
        : Math.max(
            windowEnd - lookback,
            Math.min(latest, windowEnd) - (this.options.refreshHours ?? 3) * HOUR,
          )
    await this.featureStore.refresh(kind, refreshFrom, windowEnd)
    const rows = await this.featureStore.window(kind, windowEnd - lookback, windowEnd)
    const t1 = performance.now()
    const scored = scoreHourlyRows(bundle, rows, windowEnd)
    const t2 = performance.now()

    const runId = await this.alertStore.startRun({
      deviceKind: kind,
      model: manifest.name,
      modelVersion: manifest.version,
      trigger,
      windowEnd,
      startedAt,
    })
    await this.scoreStore.write(
      { id: runId, model: manifest.name, version: manifest.version, scoredAt: this.now() },
      scored.scores,
    )
    const { raised, cleared } = await this.applyPolicy(bundle, scored.scores, runId, windowEnd)
    const highRisk = scored.scores.filter((s) => s.risk >= spec.policy.threshold).length
    const anomalous = scored.scores.filter((s) => s.anomalous).length
    const total = performance.now() - started
    await this.alertStore.finishRun(runId, {
      finishedAt: this.now(),
      scored: scored.scores.length,
      skipped: scored.skipped.length,
      highRisk,
      anomalous,
      alertsRaised: raised.length,
      alertsCleared: cleared.length,
      featureMs: t1 - started,
      scoreMs: t2 - t1,
      totalMs: total,
    })
    return {
      kind,
      model: manifest.name,
      version: manifest.version,
      runId,
      windowEnd,
      scored: scored.scores.length,
      skipped: scored.skipped.length,
      highRisk,
      anomalous,
      raised,
      cleared,
      ms: { features: t1 - started, score: t2 - t1, total },
    }
  }

  private async applyPolicy(
    bundle: FleetBundle,
    scores: readonly DeviceScore[],
    runId: number,
    at: number,
  ): Promise<{ raised: number[]; cleared: number[] }> {
    const { spec } = bundle
    const states = await this.alertStore.states(spec.kind)
    const raised: number[] = []
    const cleared: number[] = []
    const next: { deviceId: string; state: AlertState; scoredAt: number }[] = []
    for (const score of scores) {
      const before = states.get(score.deviceId)
      const state: AlertState = before ?? { above: 0, below: 0, open: false, lastRaisedAt: null }
      const step = stepAlert(state, score.risk, at, spec.policy)
      const ttf = score.ttfCapped ? null : score.ttfHours
      const failureAt = ttf === null ? null : at + ttf * HOUR
      let after = step.state
      if (step.action === 'raise') {
        const id = await this.raise(bundle, score, runId, at, ttf, failureAt)
        // Already active (a concurrent writer): the alert exists, so this run only saw it again.
        if (id === null) after = { ...after, open: true }
        else raised.push(id)
      } else if (step.action === 'repeat' && before?.activeAlertId != null) {
        await this.alertStore.repeat(before.activeAlertId, score.risk, at, ttf, failureAt)
      } else if (step.action === 'clear' && before?.activeAlertId != null) {
        const alert = await this.alertStore.clear(before.activeAlertId, at, score.risk)
        if (alert) {
          cleared.push(alert.id)
          this.publish({ ...alert, change: 'cleared', raisedAt: alert.raisedAt })
        }
      }
      next.push({ deviceId: score.deviceId, state: after, scoredAt: at })
    }
    await this.alertStore.saveStates(spec.kind, next)
    return { raised, cleared }
  }

  private async raise(
    bundle: FleetBundle,
    score: DeviceScore,
    runId: number,
    at: number,
    ttf: number | null,
    failureAt: number | null,
  ): Promise<number | null> {
    const { manifest } = bundle
    const alert = await this.alertStore.raise({
      communityId: score.communityId,
      deviceId: score.deviceId,
      deviceKind: score.kind,
      model: manifest.name,
      modelVersion: manifest.version,
      risk: score.risk,
      ttfHours: ttf,
      predictedFailureAt: failureAt,
      evidence: score.evidence,
      raisedAt: at,
      runId,
    })
    if (alert === null) return null
    const request: PredictiveWorkOrderRequest = {
      alertId: alert.id,
      communityId: score.communityId,
      deviceId: score.deviceId,
      deviceKind: score.kind,
      severity: severityOf(score),
      title: workOrderTitle({ ...score, ttfHours: score.ttfCapped ? null : score.ttfHours }),
      risk: score.risk,
      predictedFailureAt: failureAt,
      evidence: score.evidence,
      model: manifest.name,
      modelVersion: manifest.version,
      raisedAt: at,
    }
    let ref: string | null = null
    try {
      ref = await this.workOrders.open(request)
      if (ref !== null) await this.alertStore.setWorkOrder(alert.id, ref)
    } catch (error) {
      // The alert stands; its work order can be opened again through the API.
      this.options.onError?.(error, `work order for predictive alert ${alert.id}`)
    }
    this.publish({ ...alert, workOrderRef: ref, change: 'raised' })
    return alert.id
  }

  private publish(a: Omit<PredictiveAlert, 'ttfHours'> & { ttfHours: number | null }): void {
    const alert: PredictiveAlert = {
      id: a.id,
      communityId: a.communityId,
      deviceId: a.deviceId,
      deviceKind: a.deviceKind,
      model: a.model,
      modelVersion: a.modelVersion,
      change: a.change,
      risk: a.risk,
      ttfHours: a.ttfHours,
      predictedFailureAt: a.predictedFailureAt,
      evidence: a.evidence,
      raisedAt: a.raisedAt,
      workOrderRef: a.workOrderRef,
    }
    try {
      this.alerts.publish(alert)
    } catch (error) {
      this.options.onError?.(error, `publishing predictive alert ${alert.id}`)
    }
  }
}
