/**
 * Runs a scenario off the calling thread: in a worker_threads Worker under Node, in a module Web Worker in the
 * browser. Either way the engine code is the same (run.ts); only the transport differs.
 */
import type { SimResult } from './run.ts'
import type { WorkerMessage, WorkerRequest } from './worker-protocol.ts'

/** Options of {@link runInWorker}. */
export interface WorkerRunOptions {
  /** Progress callback (fraction of the simulated duration done). */
  readonly onProgress?: (fraction: number) => void
  /** Aborts the run (the worker is terminated). */
  readonly signal?: AbortSignal
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
  const isNode =
    typeof globalThis.process === 'object' && typeof globalThis.process.versions?.node === 'string'
  return isNode ? runInNodeWorker(scenario, options) : runInWebWorker(scenario, options)
}

function settle(
  on: (handler: (m: WorkerMessage) => void) => void,
  terminate: () => void,
  options: WorkerRunOptions,
): Promise<SimResult> {
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
      if (m.type === 'result') resolve(m.result)
      else reject(new WorkerRunError(m.name, m.message))
    })
  })
}

async function runInNodeWorker(scenario: unknown, options: WorkerRunOptions): Promise<SimResult> {
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
  const request: WorkerRequest = { type: 'run', scenario }
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

async function runInWebWorker(scenario: unknown, options: WorkerRunOptions): Promise<SimResult> {
  const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' })
  const request: WorkerRequest = { type: 'run', scenario }
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
