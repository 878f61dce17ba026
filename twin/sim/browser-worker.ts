/**
 * The Web Worker entry for the browser (Vite: `new Worker(new URL('./browser-worker.ts', import.meta.url),
 * { type: 'module' })`): the same protocol as the Node worker, over `self.postMessage`.
 */
import type { WorkerMessage, WorkerRequest } from './worker-protocol.ts'
import { handleRequest } from './worker-protocol.ts'

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null
  postMessage(m: WorkerMessage): void
}

const scope = globalThis as unknown as WorkerScope
scope.onmessage = (e) => handleRequest(e.data, (m) => scope.postMessage(m))
