/**
 * One place that makes TensorFlow.js usable in Node here: the wasm backend (tfjs-node cannot install on this
 * platform; the plain cpu backend is 4–40× slower), its .wasm binaries loaded from the installed package, and the
 * training kernels wasm lacks (see wasm-kernels.ts). Every entry point awaits `initBackend()` before touching tf.
 */
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { patchWasmKernels } from './wasm-kernels.ts'

let ready: Promise<void> | undefined

/**
 * The directory holding tfjs-backend-wasm's .wasm files, as a file path with a trailing separator. In Node the
 * emscripten loader reads `prefix + 'tfjs-backend-wasm-simd.wasm'` with fs.readFileSync, so a plain path works
 * (a URL would be fetched).
 */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/'
}

/**
 * Initialises tfjs on the wasm backend, once per process; later calls return the same promise. Rejects if the
 * backend cannot start (the message names the directory it tried).
 */
export function initBackend(): Promise<void> {
  ready ??= (async () => {
    const dir = wasmDistDir()
    setWasmPaths(dir)
    patchWasmKernels()
    const ok = await tf.setBackend('wasm')
    if (!ok) throw new Error(`tfjs wasm backend failed to initialise (wasm files looked up in ${dir})`)
    await tf.ready()
  })()
  return ready
}
