/**
 * The worker_threads entry: receives one run request, answers through the worker protocol. Started by
 * `runInWorker` in Node; the browser uses browser-worker.ts, which shares the protocol.
 */
import { parentPort } from 'node:worker_threads'
import type { WorkerRequest } from './worker-protocol.ts'
import { handleRequest } from './worker-protocol.ts'

parentPort?.on('message', (request: WorkerRequest) => {
  handleRequest(request, (m) => parentPort?.postMessage(m))
})
