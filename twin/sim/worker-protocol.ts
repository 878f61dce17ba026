/**
 * The message contract between a caller and a simulation worker (worker_threads in Node, a Web Worker in the
 * browser): one request with a scenario, progress messages, then one result or one error. Pure: both worker
 * entries call `handleRequest` with their own `post`.
 */
import type { SimResult } from './run.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

/** What the caller sends. */
export interface WorkerRequest {
  readonly type: 'run'
  /** The scenario as JSON-like data (parsed and checked inside the worker). */
  readonly scenario: unknown
}

/** What the worker sends back. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'result'; readonly result: SimResult }
  | { readonly type: 'error'; readonly name: string; readonly message: string }

/** Runs one request, reporting through `post`; never throws (errors become an `error` message). */
export function handleRequest(request: WorkerRequest, post: (m: WorkerMessage) => void): void {
  try {
    const scenario = parseScenario(request.scenario)
    const result = runScenario(scenario, { onProgress: (fraction) => post({ type: 'progress', fraction }) })
    post({ type: 'result', result })
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e))
    post({ type: 'error', name: err.name, message: err.message })
  }
}
