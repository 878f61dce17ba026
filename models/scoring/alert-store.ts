/**
 * PostgreSQL side of the scoring job (migration 0030): scoring runs, predictive alerts with their lifecycle,
 * and the alert policy's per-device state. Deduplication is the unique index on active alerts; cooldown is the
 * state's `last_raised_at`. Every query has its parameters bound; lists take the caller's community scope.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import type { AlertState } from '../fleet/alert-policy.ts'
import type { Evidence } from '../fleet/evidence.ts'

/** The communities a caller may see. */
export type CommunityScope = 'all' | ReadonlySet<string>

export const alertStates = ['open', 'acknowledged', 'cleared', 'resolved'] as const
export type AlertLifecycle = (typeof alertStates)[number]

/** A stored predictive alert. Times are epoch ms. */
export interface StoredAlert {
  readonly id: number
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly model: string
  readonly modelVersion: string
  readonly state: AlertLifecycle
  readonly risk: number
  readonly peakRisk: number
  readonly lastRisk: number
  readonly ttfHours: number | null
  readonly predictedFailureAt: number | null
  readonly evidence: readonly Evidence[]
  readonly raisedAt: number
  readonly lastSeenAt: number
  readonly occurrences: number
  readonly acknowledgedAt: number | null
  readonly acknowledgedBy: string | null
  readonly clearedAt: number | null
  readonly resolvedAt: number | null
  readonly resolvedBy: string | null
  readonly note: string | null
  readonly workOrderRef: string | null
  readonly runId: number | null
}

/** One scoring run as recorded. */
export interface RunRecord {
  readonly id: number
  readonly deviceKind: string
  readonly model: string
  readonly modelVersion: string
  readonly trigger: 'schedule' | 'manual'
  readonly windowEnd: number
  readonly startedAt: number
  readonly finishedAt: number
  readonly scored: number
  readonly skipped: number
  readonly highRisk: number
  readonly anomalous: number
  readonly alertsRaised: number
  readonly alertsCleared: number
  readonly featureMs: number
  readonly scoreMs: number
  readonly totalMs: number
}

/** A device's policy state plus its active alert, if any. */
export interface DeviceAlertState extends AlertState {
  readonly activeAlertId: number | null
}

export class AlertNotFoundError extends Error {
  override readonly name = 'AlertNotFoundError'
}

export class AlertTransitionError extends Error {
  override readonly name = 'AlertTransitionError'
}

type Row = Record<string, unknown>

const ms = (v: unknown): number | null =>
  v === null || v === undefined ? null : new Date(v as string).getTime()
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

function alertFrom(r: Row): StoredAlert {
  return {
    id: Number(r.id),
    communityId: r.community_id as string,
    deviceId: r.device_id as string,
    deviceKind: r.device_kind as string,
    model: r.model as string,
    modelVersion: r.model_version as string,
    state: r.state as AlertLifecycle,
    risk: Number(r.risk),
    peakRisk: Number(r.peak_risk),
    lastRisk: Number(r.last_risk),
    ttfHours: r.ttf_hours === null ? null : Number(r.ttf_hours),
    predictedFailureAt: ms(r.predicted_failure_at),
    evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as Evidence[],
    raisedAt: ms(r.raised_at)!,
    lastSeenAt: ms(r.last_seen_at)!,
    occurrences: Number(r.occurrences),
    acknowledgedAt: ms(r.acknowledged_at),
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    clearedAt: ms(r.cleared_at),
    resolvedAt: ms(r.resolved_at),
    resolvedBy: (r.resolved_by as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    workOrderRef: (r.work_order_ref as string | null) ?? null,
    runId: r.run_id === null ? null : Number(r.run_id),
  }
}

function runFrom(r: Row): RunRecord {
  return {
    id: Number(r.id),
    deviceKind: r.device_kind as string,
    model: r.model as string,
    modelVersion: r.model_version as string,
    trigger: r.trigger as 'schedule' | 'manual',
    windowEnd: ms(r.window_end)!,
    startedAt: ms(r.started_at)!,
    finishedAt: ms(r.finished_at)!,
    scored: Number(r.scored),
    skipped: Number(r.skipped),
    highRisk: Number(r.high_risk),
    anomalous: Number(r.anomalous),
    alertsRaised: Number(r.alerts_raised),
    alertsCleared: Number(r.alerts_cleared),
    featureMs: Number(r.feature_ms),
    scoreMs: Number(r.score_ms),
    totalMs: Number(r.total_ms),
  }
}

/** `community_id` within the scope: a JSON array parameter (works the same on PGlite and node-postgres). */
function scopeClause(scope: CommunityScope, params: unknown[]): string {
  if (scope === 'all') return 'true'
  params.push(JSON.stringify([...scope]))
  return `community_id IN (SELECT jsonb_array_elements_text($${params.length}::jsonb))`
}

const INSERT_RUN = `INSERT INTO prediction_runs (device_kind, model, model_version, trigger, window_end, started_at,
  finished_at, scored, skipped, high_risk, anomalous, alerts_raised, alerts_cleared, feature_ms, score_ms, total_ms)
  VALUES ($1, $2, $3, $4, $5, $6, $6, 0, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id`

const FINISH_RUN = `UPDATE prediction_runs SET finished_at = $2, scored = $3, skipped = $4, high_risk = $5,
  anomalous = $6, alerts_raised = $7, alerts_cleared = $8, feature_ms = $9, score_ms = $10, total_ms = $11
  WHERE id = $1`

const STATES = `SELECT s.device_id, s.above, s.below, s.last_raised_at, a.id AS active_id
  FROM prediction_device_state s
  LEFT JOIN prediction_alerts a ON a.device_id = s.device_id AND a.device_kind = s.device_kind
    AND a.state IN ('open', 'acknowledged')
  WHERE s.device_kind = $1
  UNION ALL
  SELECT a.device_id, 0, 0, a.raised_at, a.id
  FROM prediction_alerts a
  WHERE a.device_kind = $1 AND a.state IN ('open', 'acknowledged')
    AND NOT EXISTS (SELECT 1 FROM prediction_device_state s WHERE s.device_id = a.device_id AND s.device_kind = $1)`

const SAVE_STATES = `INSERT INTO prediction_device_state (device_id, device_kind, above, below, last_raised_at, last_scored_at)
  SELECT x.device_id, $1, x.above, x.below, x.last_raised_at, x.last_scored_at
  FROM jsonb_to_recordset($2::jsonb)
    AS x(device_id text, above integer, below integer, last_raised_at timestamptz, last_scored_at timestamptz)
  ON CONFLICT (device_id, device_kind) DO UPDATE SET above = excluded.above, below = excluded.below,
    last_raised_at = excluded.last_raised_at, last_scored_at = excluded.last_scored_at`

const INSERT_ALERT = `INSERT INTO prediction_alerts (community_id, device_id, device_kind, model, model_version, state,
  risk, peak_risk, last_risk, ttf_hours, predicted_failure_at, evidence, raised_at, last_seen_at, run_id)
  VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $6, $7, $8, $9::jsonb, $10, $10, $11)
  ON CONFLICT (device_id, device_kind) WHERE state IN ('open', 'acknowledged') DO NOTHING
  RETURNING *`

const REPEAT_ALERT = `UPDATE prediction_alerts SET occurrences = occurrences + 1, last_risk = $2,
  peak_risk = GREATEST(peak_risk, $2), last_seen_at = $3, ttf_hours = $4, predicted_failure_at = $5
  WHERE id = $1 AND state IN ('open', 'acknowledged')`

const CLEAR_ALERT = `UPDATE prediction_alerts SET state = 'cleared', cleared_at = $2, last_risk = $3
  WHERE id = $1 AND state IN ('open', 'acknowledged') RETURNING *`

export class AlertStore {
  constructor(private readonly db: Postgres) {}

  /** Records the start of a run; returns its id. */
  async startRun(run: {
    deviceKind: string
    model: string
    modelVersion: string
    trigger: 'schedule' | 'manual'
    windowEnd: number
    startedAt: number
  }): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(INSERT_RUN, [
      run.deviceKind,
      run.model,
      run.modelVersion,
      run.trigger,
      iso(run.windowEnd),
      iso(run.startedAt),
    ])
    return Number(row!.id)
  }

  /** Records what a run did. */
  async finishRun(
    id: number,
    r: Omit<
      RunRecord,
      'id' | 'deviceKind' | 'model' | 'modelVersion' | 'trigger' | 'windowEnd' | 'startedAt'
    >,
  ): Promise<void> {
    await this.db.query(FINISH_RUN, [
      id,
      iso(r.finishedAt),
      r.scored,
      r.skipped,
      r.highRisk,
      r.anomalous,
      r.alertsRaised,
      r.alertsCleared,
      r.featureMs,
      r.scoreMs,
      r.totalMs,
    ])
  }

  /** Policy states of every device of a kind that has one (or an active alert). */
  async states(kind: string): Promise<Map<string, DeviceAlertState>> {
    const rows = await this.db.query<Row>(STATES, [kind])
    const out = new Map<string, DeviceAlertState>()
    for (const r of rows) {
      out.set(r.device_id as string, {
        above: Number(r.above),
        below: Number(r.below),
        open: r.active_id !== null,
        lastRaisedAt: ms(r.last_raised_at),
        activeAlertId: r.active_id === null ? null : Number(r.active_id),
      })
    }
    return out
  }

  /** Saves policy states in one statement. */
  async saveStates(
    kind: string,
    states: readonly { deviceId: string; state: AlertState; scoredAt: number }[],
  ): Promise<void> {
    if (states.length === 0) return
    const rows = states.map((s) => ({
      device_id: s.deviceId,
      above: s.state.above,
      below: s.state.below,
      last_raised_at: iso(s.state.lastRaisedAt),
      last_scored_at: iso(s.scoredAt),
    }))
    await this.db.query(SAVE_STATES, [kind, JSON.stringify(rows)])
  }

  /** Opens an alert; null when the device already has an active one (deduplicated). */
  async raise(a: {
    communityId: string
    deviceId: string
    deviceKind: string
    model: string
    modelVersion: string
    risk: number
    ttfHours: number | null
    predictedFailureAt: number | null
    evidence: readonly Evidence[]
    raisedAt: number
    runId: number
  }): Promise<StoredAlert | null> {
    const [row] = await this.db.query<Row>(INSERT_ALERT, [
      a.communityId,
      a.deviceId,
      a.deviceKind,
      a.model,
      a.modelVersion,
      a.risk,
      a.ttfHours,
      iso(a.predictedFailureAt),
      JSON.stringify(a.evidence),
      iso(a.raisedAt),
      a.runId,
    ])
    return row ? alertFrom(row) : null
  }

  /** An active alert seen again: counted, not re-announced. */
  async repeat(
    id: number,
    risk: number,
    at: number,
    ttfHours: number | null,
    failureAt: number | null,
  ): Promise<void> {
    await this.db.query(REPEAT_ALERT, [id, risk, iso(at), ttfHours, iso(failureAt)])
  }

  /** An active alert whose risk went back to normal. */
  async clear(id: number, at: number, risk: number): Promise<StoredAlert | null> {
    const [row] = await this.db.query<Row>(CLEAR_ALERT, [id, iso(at), risk])
    return row ? alertFrom(row) : null
  }

  async setWorkOrder(id: number, ref: string): Promise<void> {
    await this.db.query('UPDATE prediction_alerts SET work_order_ref = $2 WHERE id = $1', [id, ref])
  }

  /** One alert within the scope; AlertNotFoundError when missing or outside it (the same to the caller). */
  async get(id: number, scope: CommunityScope, tx: Sql = this.db): Promise<StoredAlert> {
    const params: unknown[] = [id]
    const rows = await tx.query<Row>(
      `SELECT * FROM prediction_alerts WHERE id = $1 AND ${scopeClause(scope, params)}`,
      params,
    )
    if (!rows[0]) throw new AlertNotFoundError(`alert ${id} not found`)
    return alertFrom(rows[0])
  }

  /** Alerts within the scope, newest first. */
  async list(
    scope: CommunityScope,
    filter: {
      communityId?: string
      deviceId?: string
      state?: AlertLifecycle
      active?: boolean
      limit: number
    },
  ): Promise<StoredAlert[]> {
    const params: unknown[] = []
    const where = [scopeClause(scope, params)]
    if (filter.communityId !== undefined) {
      params.push(filter.communityId)
      where.push(`community_id = $${params.length}`)
    }
    if (filter.deviceId !== undefined) {
      params.push(filter.deviceId)
      where.push(`device_id = $${params.length}`)
    }
    if (filter.state !== undefined) {
      params.push(filter.state)
      where.push(`state = $${params.length}`)
    }
    if (filter.active !== undefined)
      where.push(filter.active ? "state IN ('open', 'acknowledged')" : "state IN ('cleared', 'resolved')")
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT * FROM prediction_alerts WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map(alertFrom)
  }

  /** A person acknowledges or resolves an alert in their scope. */
  async act(
    id: number,
    action: 'acknowledge' | 'resolve',
    userId: string,
    scope: CommunityScope,
    at: number,
    note?: string,
  ): Promise<StoredAlert> {
    return this.db.transaction(async (tx) => {
      const alert = await this.get(id, scope, tx)
      const allowed: readonly AlertLifecycle[] =
        action === 'acknowledge' ? ['open'] : ['open', 'acknowledged', 'cleared']
      if (!allowed.includes(alert.state))
        throw new AlertTransitionError(`cannot ${action} an alert that is ${alert.state}`)
      const [row] =
        action === 'acknowledge'
          ? await tx.query<Row>(
              `UPDATE prediction_alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
                 note = COALESCE($4, note) WHERE id = $1 RETURNING *`,
              [id, iso(at), userId, note ?? null],
            )
          : await tx.query<Row>(
              `UPDATE prediction_alerts SET state = 'resolved', resolved_at = $2, resolved_by = $3,
                 note = COALESCE($4, note) WHERE id = $1 RETURNING *`,
              [id, iso(at), userId, note ?? null],
            )
      return alertFrom(row!)
    })
  }

  /** Recent runs, newest first (of a kind, or all). */
  async runs(limit: number, kind?: string): Promise<RunRecord[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM prediction_runs WHERE ($1::text IS NULL OR device_kind = $1) ORDER BY id DESC LIMIT $2`,
      [kind ?? null, limit],
    )
    return rows.map(runFrom)
  }

  /** Runs, device scores and alerts of one model version (for its alert rate). */
  async versionActivity(
    model: string,
    version: string,
  ): Promise<{ runs: number; scored: number; alerts: number; first: number | null; last: number | null }> {
    const [r] = await this.db.query<Row>(
      `SELECT count(*) AS runs, COALESCE(sum(scored), 0) AS scored, COALESCE(sum(alerts_raised), 0) AS alerts,
         min(window_end) AS first, max(window_end) AS last
       FROM prediction_runs WHERE model = $1 AND model_version = $2`,
      [model, version],
    )
    return {
      runs: Number(r!.runs),
      scored: Number(r!.scored),
      alerts: Number(r!.alerts),
      first: ms(r!.first),
      last: ms(r!.last),
    }
  }
}
