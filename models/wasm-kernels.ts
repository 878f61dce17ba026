/**
 * Training kernels the tfjs wasm backend lacks or runs slowly, rebuilt from its fast forward kernels.
 *
 * Measured on this 2-core machine (tfjs 4.22, wasm SIMD, batch 256 × 30 steps × 32 channels, ms per call):
 *
 * | kernel                                   | stock wasm          | here |
 * |------------------------------------------|---------------------|------|
 * | Conv2DBackpropFilter (conv1d weight grad) | not registered      | 5.4  |
 * | Conv2DBackpropInput                       | 26.1                | 2.6  |
 * | BatchMatMul with transposeA (dense grad)  | 29.3                | 5.7  |
 * | BatchMatMul with transposeB (dense grad)  | 31.3                | 2.3  |
 * | Tanh, [256, 40, 10]                       | 2.0                 | 0.24 |
 *
 * Without the first one a Conv1D layer cannot train on wasm at all; the others made a C-MAPSS CNN epoch take 22 s
 * instead of ~2 s. Each replacement is an exact identity (checked against naive loops in wasm-kernels.test.ts):
 *
 * - matmul with a transposed operand = explicit Transpose, then the untransposed (XNNPACK) matmul;
 * - dx of a stride-1 convolution = forward convolution of dy with the filter rotated 180° and its in/out channels
 *   swapped, padded by (k - 1 - pad) on each side;
 * - dW of a stride-1 convolution = forward convolution of x (batch moved to channels) with dy as the filter;
 * - tanh(x) = 2·sigmoid(2x) − 1 (wasm's Sigmoid is vectorised, its Tanh is not; absolute error < 1e-6).
 *
 * Strided or NCHW cases fall back to the stock kernel (or fail loudly where there is none); our models use neither.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'

type Info = tf.TensorInfo
type Backend = {
  disposeData(dataId: object): boolean
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): Info
}
type Pad = 'same' | 'valid' | number | number[][]
interface ConvAttrs {
  strides: number | [number, number]
  pad: Pad
  dataFormat: string
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
  inputShape?: number[]
  filterShape?: number[]
}

let patched = false

function kernel(name: string): tf.KernelConfig {
  const found = tf.getKernel(name, 'wasm')
  if (found === undefined) throw new Error(`tfjs wasm backend has no ${name} kernel to build on`)
  return found
}

function unitStride(strides: number | [number, number]): boolean {
  return typeof strides === 'number' ? strides === 1 : strides[0] === 1 && strides[1] === 1
}

function asShape4(shape: readonly number[] | undefined): [number, number, number, number] {
  if (shape?.length !== 4) throw new Error(`expected a rank-4 shape, got ${JSON.stringify(shape)}`)
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!]
}

/**
 * Registers the replacements on the wasm backend, once per process. Call before the first training step (the
 * backend module calls it from `initBackend`).
 */
export function patchWasmKernels(): void {
  if (patched) return
  patched = true
  const conv2d = kernel('Conv2D')
  const transpose = kernel('Transpose')
  const reverse = kernel('Reverse')
  const matMul = kernel('BatchMatMul')
  const backpropInput = kernel('Conv2DBackpropInput')
  const tanh = kernel('Tanh')
  const multiply = kernel('Multiply')
  const sigmoid = kernel('Sigmoid')
  const subtract = kernel('Sub')

  const run = (k: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, backend: object, attrs: object): Info =>
    k.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info
  const swapLastTwo = (x: Info, backend: object): Info => {
    const perm = x.shape.map((_, i) => i)
    perm[perm.length - 1] = perm.length - 2
    perm[perm.length - 2] = perm.length - 1
    return run(transpose, { x }, backend, { perm })
  }

  tf.unregisterKernel('BatchMatMul', 'wasm')
  tf.registerKernel({
    ...matMul,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: Info; b: Info }
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
      if (!transposeA && !transposeB) return matMul.kernelFunc(args)
      const backend = args.backend as Backend
      const a2 = transposeA ? swapLastTwo(a, backend) : a
      const b2 = transposeB ? swapLastTwo(b, backend) : b
      const out = run(matMul, { a: a2, b: b2 }, backend, {
        ...args.attrs,
        transposeA: false,
        transposeB: false,
      })
      if (transposeA) backend.disposeData(a2.dataId)
      if (transposeB) backend.disposeData(b2.dataId)
      return out
    },
  })

  tf.unregisterKernel('Tanh', 'wasm')
  tf.registerKernel({
    ...tanh,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: Info }
      if (x.dtype !== 'float32') return tanh.kernelFunc(args)
      const backend = args.backend as Backend
      const two = backend.makeOutput([], 'float32', undefined, Float32Array.of(2))
      const one = backend.makeOutput([], 'float32', undefined, Float32Array.of(1))
      const doubled = run(multiply, { a: x, b: two }, backend, {})
      const s = run(sigmoid, { x: doubled }, backend, {})
      const s2 = run(multiply, { a: s, b: two }, backend, {})
      const out = run(subtract, { a: s2, b: one }, backend, {})
      for (const t of [two, one, doubled, s, s2]) backend.disposeData(t.dataId)
      return out
    },
  })

  tf.unregisterKernel('Conv2DBackpropInput', 'wasm')
  tf.registerKernel({
    ...backpropInput,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as ConvAttrs
      const { dy, filter } = args.inputs as { dy: Info; filter: Info }
      if (!unitStride(attrs.strides) || attrs.dataFormat !== 'NHWC') return backpropInput.kernelFunc(args)
      const [kh, kw] = filter.shape as [number, number]
      const info = tf.backend_util.computeConv2DInfo(
        asShape4(attrs.inputShape),
        asShape4(filter.shape),
        1,
        1,
        attrs.pad as 'same',
        attrs.dimRoundingMode,
      )
      const p = info.padInfo
      const pads = [kh - 1 - p.top, kh - 1 - p.bottom, kw - 1 - p.left, kw - 1 - p.right]
      if (pads.some((v) => v < 0)) return backpropInput.kernelFunc(args)
      const backend = args.backend as Backend
      const rotated = run(reverse, { x: filter }, backend, { dims: [0, 1] })
      const swapped = run(transpose, { x: rotated }, backend, { perm: [0, 1, 3, 2] })
      backend.disposeData(rotated.dataId)
      const out = run(conv2d, { x: dy, filter: swapped }, backend, {
        strides: 1,
        dilations: 1,
        dataFormat: 'NHWC',
        pad: [
          [0, 0],
          [pads[0], pads[1]],
          [pads[2], pads[3]],
          [0, 0],
        ],
      })
      backend.disposeData(swapped.dataId)
      return out
    },
  })

  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as ConvAttrs
      const { x, dy } = args.inputs as { x: Info; dy: Info }
      if (!unitStride(attrs.strides) || attrs.dataFormat !== 'NHWC') {
        throw new Error('Conv2DBackpropFilter on wasm supports stride 1, NHWC only')
      }
      const info = tf.backend_util.computeConv2DInfo(
        asShape4(x.shape),
        asShape4(attrs.filterShape),
        1,
        1,
        attrs.pad as 'same',
        attrs.dimRoundingMode,
      )
      const p = info.padInfo
      const backend = args.backend as Backend
      // [B, H, W, C] -> [C, H, W, B] and [B, OH, OW, F] -> [OH, OW, B, F]: the batch becomes the contracted axis.
      const xT = run(transpose, { x }, backend, { perm: [3, 1, 2, 0] })
      const dyT = run(transpose, { x: dy }, backend, { perm: [1, 2, 0, 3] })
      const grad = run(conv2d, { x: xT, filter: dyT }, backend, {
        strides: 1,
        dilations: 1,
        dataFormat: 'NHWC',
        pad: [
          [0, 0],
          [p.top, p.bottom],
          [p.left, p.right],
          [0, 0],
        ],
      })
      backend.disposeData(xT.dataId)
      backend.disposeData(dyT.dataId)
      // [C, kh, kw, F] -> [kh, kw, C, F]
      const out = run(transpose, { x: grad }, backend, { perm: [1, 2, 0, 3] })
      backend.disposeData(grad.dataId)
      return out
    },
  })
}
