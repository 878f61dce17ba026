/**
 * Runs a scenario off the calling thread: in a worker_threads Worker under Node, in a module Web Worker in the
 * browser. Either way the engine code is the same (run.ts); only the transport differs.
 */
import type { Community } from '../../data/community/types.ts'
import type { ScenarioKpis } from './kpis.ts'
import type { SimResult } from './run.ts'
import type { StudyInput } from './study.ts'
import type { WorkerMessage, WorkerRequest } from './worker-protocol.ts'

/** Options of {@link runInWorker}. */
export interface WorkerRunOptions {
  /** Progress callback (fraction of the simulated duration done). */
  readonly onProgress?: (fraction: number) => void
  /** Aborts the run (the worker is terminated). */
  readonly signal?: AbortSignal
  /**
   * Node only: the worker does not keep the process alive (a server that shuts down mid-run exits instead of
   * waiting). Leave it off where the run is all the process waits for (a CLI).
   */
  readonly unref?: boolean
}

/** The error a worker reports (a ScenarioError keeps its name). */
export class WorkerRunError extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

/** Runs `scenario` (JSON-like data; parsed in the worker) in a worker and resolves with its result. */
export async function runInWorker(scenario: unknown, options: WorkerRunOptions = {}): Promise<SimResult> {
  const m = await inWorker({ type: 'run', scenario }, options)
  if (m.type !== 'result') throw new WorkerRunError('Error', `unexpected worker answer "${m.type}"`)
  return m.result
}

/** Runs a planner's study of `community` in a worker and resolves with its KPIs. */
export async function runStudyInWorker(
  community: Community,
  study: StudyInput,
  options: WorkerRunOptions = {},
): Promise<ScenarioKpis> {
  const m = await inWorker({ type: 'study', community, study }, options)
  if (m.type !== 'kpis') throw new WorkerRunError('Error', `unexpected worker answer "${m.type}"`)
  return m.kpis
}

type Answer = Extract<WorkerMessage, { type: 'result' | 'kpis' }>

function inWorker(request: WorkerRequest, options: WorkerRunOptions): Promise<Answer> {
  const isNode =
    typeof globalThis.process === 'object' && typeof globalThis.process.versions?.node === 'string'
  return isNode ? runInNodeWorker(request, options) : runInWebWorker(request, options)
}

function settle(
  on: (handler: (m: WorkerMessage) => void) => void,
  terminate: () => void,
  options: WorkerRunOptions,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      terminate()
      reject(new WorkerRunError('AbortError', 'simulation aborted'))
    }
    if (options.signal?.aborted) return abort()
    options.signal?.addEventListener('abort', abort, { once: true })
    on((m) => {
      if (m.type === 'progress') return options.onProgress?.(m.fraction)
      options.signal?.removeEventListener('abort', abort)
      terminate()
      if (m.type === 'error') reject(new WorkerRunError(m.name, m.message))
      else resolve(m)
    })
  })
}

async function runInNodeWorker(request: WorkerRequest, options: WorkerRunOptions): Promise<Answer> {
  const { Worker } = await import('node:worker_threads')
  const url = new URL('./node-worker.ts', import.meta.url)
  // Run from TypeScript sources (tsx), a worker does not inherit the parent's loader hooks (Node 20 ignores
  // `--import tsx` in a worker's execArgv for its entry): a small bootstrap registers tsx, then loads the entry.
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`,
        { eval: true },
      )
    : new Worker(url)
  if (options.unref) worker.unref()
  const done = settle(
    (handler) => {
      worker.on('message', handler)
      worker.on('error', (e) => handler({ type: 'error', name: e.name, message: e.message }))
    },
    () => void worker.terminate(),
    options,
  )
  worker.postMessage(request)
  return done
}

async function runInWebWorker(request: WorkerRequest, options: WorkerRunOptions): Promise<Answer> {
  const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' })
  const done = settle(
    (handler) => {
      worker.onmessage = (e: MessageEvent<WorkerMessage>) => handler(e.data)
      worker.onerror = (e) => handler({ type: 'error', name: 'Error', message: e.message })
    },
    () => worker.terminate(),
    options,
  )
  worker.postMessage(request)
  return Promise.resolve(done)
}
