/**
 * The message contract between a caller and a simulation worker (worker_threads in Node, a Web Worker in the
 * browser): one request with a scenario, progress messages, then one result or one error. Pure: both worker
 * entries call `handleRequest` with their own `post`.
 */
import type { Community } from '../../data/community/types.ts'
import type { ScenarioKpis } from './kpis.ts'
import type { SimResult } from './run.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'
import type { StudyInput } from './study.ts'
import { runStudy } from './study-run.ts'

/** What the caller sends: a scenario to run, or a planner's study of a community. */
export type WorkerRequest =
  | {
      readonly type: 'run'
      /** The scenario as JSON-like data (parsed and checked inside the worker). */
      readonly scenario: unknown
    }
  | { readonly type: 'study'; readonly community: Community; readonly study: StudyInput }

/** What the worker sends back. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'result'; readonly result: SimResult }
  | { readonly type: 'kpis'; readonly kpis: ScenarioKpis }
  | { readonly type: 'error'; readonly name: string; readonly message: string }

/** Runs one request, reporting through `post`; never throws (errors become an `error` message). */
export function handleRequest(request: WorkerRequest, post: (m: WorkerMessage) => void): void {
  try {
    const onProgress = (fraction: number): void => post({ type: 'progress', fraction })
    if (request.type === 'study') {
      post({ type: 'kpis', kpis: runStudy(request.community, request.study, onProgress) })
      return
    }
    const result = runScenario(parseScenario(request.scenario), { onProgress })
    post({ type: 'result', result })
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e))
    post({ type: 'error', name: err.name, message: err.message })
  }
}
