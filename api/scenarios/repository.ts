/**
 * The scenarios and scenario_results tables: SQL as named constants, rows mapped to the API's view. Access is
 * checked by the service (a scenario is in scope when its community is).
 */
import type { Sql } from '../../data/index.ts'
import type { ScenarioKpis, StudyInput } from '../../twin/sim/index.ts'

export type ScenarioStatus = 'draft' | 'queued' | 'running' | 'done' | 'failed'

/** A scenario as the API shows it. */
export interface ScenarioView {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly study: StudyInput
  readonly status: ScenarioStatus
  /** 0–100, of the current run. */
  readonly progress: number
  readonly error: string | null
  readonly createdBy: string
  readonly createdAt: string
  readonly updatedAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
}

export interface ScenarioRow {
  id: string
  community_id: string
  name: string
  study: StudyInput
  status: ScenarioStatus
  progress: number
  error: string | null
  runner: string | null
  created_by: string
  created_at: Date
  updated_at: Date
  started_at: Date | null
  finished_at: Date | null
}

const COLUMNS = `id, community_id, name, study, status, progress, error, runner, created_by, created_at, updated_at,
  started_at, finished_at`

export const SELECT_SCENARIO = `SELECT ${COLUMNS} FROM scenarios WHERE id = $1`
export const LIST_SCENARIOS = `SELECT ${COLUMNS} FROM scenarios WHERE community_id = $1
  ORDER BY created_at DESC, id DESC LIMIT $2`
export const INSERT_SCENARIO = `INSERT INTO scenarios (id, community_id, name, study, created_by)
  VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`
/** Queues a run unless one is queued or running (no row back: it was). */
export const QUEUE_SCENARIO = `UPDATE scenarios SET status = 'queued', progress = 0, error = NULL, runner = $2,
  queued_at = now(), started_at = NULL, finished_at = NULL, updated_at = now()
  WHERE id = $1 AND status NOT IN ('queued', 'running') RETURNING ${COLUMNS}`
export const START_SCENARIO = `UPDATE scenarios SET status = 'running', started_at = now(), updated_at = now()
  WHERE id = $1 AND runner = $2`
export const PROGRESS_SCENARIO = `UPDATE scenarios SET progress = $3, updated_at = now()
  WHERE id = $1 AND runner = $2 AND status = 'running'`
export const FINISH_SCENARIO = `UPDATE scenarios SET status = 'done', progress = 1, finished_at = now(),
  updated_at = now() WHERE id = $1 AND runner = $2`
export const FAIL_SCENARIO = `UPDATE scenarios SET status = 'failed', error = $3, finished_at = now(), updated_at = now()
  WHERE id = $1 AND runner = $2 AND status IN ('queued', 'running')`
/** A run whose process is gone (it restarted or crashed) is failed, so the planner can run it again. */
export const ORPHAN_SCENARIO = `UPDATE scenarios SET status = 'failed',
  error = 'the run was interrupted (the server restarted); run it again', finished_at = now(), updated_at = now()
  WHERE id = $1 AND status IN ('queued', 'running') AND runner IS NOT DISTINCT FROM $2 RETURNING ${COLUMNS}`
export const UPSERT_RESULT = `INSERT INTO scenario_results (scenario_id, kpis) VALUES ($1, $2)
  ON CONFLICT (scenario_id) DO UPDATE SET kpis = EXCLUDED.kpis, created_at = now()`
export const SELECT_RESULT = 'SELECT kpis FROM scenario_results WHERE scenario_id = $1'
export const DELETE_RESULT = 'DELETE FROM scenario_results WHERE scenario_id = $1'

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString())

/** The API's view of a row. */
export function scenarioView(row: ScenarioRow): ScenarioView {
  return {
    id: row.id,
    communityId: row.community_id,
    name: row.name,
    study: row.study,
    status: row.status,
    progress: Math.round(row.progress * 1000) / 10,
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  }
}

/** The stored KPIs of a scenario's last finished run. */
export async function selectResult(db: Sql, id: string): Promise<ScenarioKpis | null> {
  const [row] = await db.query<{ kpis: ScenarioKpis }>(SELECT_RESULT, [id])
  return row?.kpis ?? null
}
