/**
 * The planner's calls to the scenario API (api/routes/scenarios.ts): create, run, poll, read a result, compare.
 * Errors carry the server's message (a 400 says what is wrong with the study), so the planner can act on it.
 */
import { session } from '../auth/session.ts'
import type { ComparisonRow, ScenarioKpis, StudyInput } from '../../../sim/index.ts'

export type ScenarioStatus = 'draft' | 'queued' | 'running' | 'done' | 'failed'

/** A stored scenario and its run state. */
export interface ScenarioView {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly study: StudyInput
  readonly status: ScenarioStatus
  /** Percent of the current run. */
  readonly progress: number
  readonly error: string | null
  readonly createdAt: string
  readonly finishedAt: string | null
}

export interface ScenarioResult {
  readonly scenario: ScenarioView
  readonly kpis: ScenarioKpis
}

export interface Comparison {
  readonly a: ScenarioResult
  readonly b: ScenarioResult
  readonly rows: ComparisonRow[]
}

/** A refused call, with the server's reason. */
export class PlannerApiError extends Error {
  override readonly name = 'PlannerApiError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const BASE = '/api/v1/scenarios'

async function call<T>(url: string, init: RequestInit = {}, signal?: AbortSignal): Promise<T> {
  const response = await session.fetch(url, {
    ...init,
    ...(signal ? { signal } : {}),
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  if (!response.ok)
    throw new PlannerApiError(response.status, body?.error?.message ?? `HTTP ${response.status}`)
  return body as T
}

/** The scenario API. */
export const plannerApi = {
  list: (communityId: string, signal?: AbortSignal) =>
    call<{ items: ScenarioView[] }>(`${BASE}?communityId=${encodeURIComponent(communityId)}`, {}, signal),
  create: (communityId: string, name: string, study: StudyInput) =>
    call<ScenarioView>(BASE, { method: 'POST', body: JSON.stringify({ communityId, name, study }) }),
  run: (id: string) => call<ScenarioView>(`${BASE}/${encodeURIComponent(id)}/run`, { method: 'POST' }),
  get: (id: string, signal?: AbortSignal) =>
    call<ScenarioView>(`${BASE}/${encodeURIComponent(id)}`, {}, signal),
  result: (id: string, signal?: AbortSignal) =>
    call<ScenarioResult>(`${BASE}/${encodeURIComponent(id)}/result`, {}, signal),
  compare: (a: string, b: string, signal?: AbortSignal) =>
    call<Comparison>(`${BASE}/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, {}, signal),
}
