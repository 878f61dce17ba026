/**
 * Why a device scored as it did: gradient × input of the classifier's logit. Every input is a deviation from the
 * device's own normal range (0 = normal), so x · ∂logit/∂x is how much that deviation moved the score away from
 * what a normal device would get (a first-order attribution; exact for a linear model). The three inputs of one
 * statistic (24 h, 6 h, trend) are summed into one contribution, context statistics are never offered as
 * evidence, and each item carries the recent value against the device's normal range, in its own unit.
 */
import * as tf from '@tensorflow/tfjs'
import type { FeatureDef } from './catalog.ts'
import type { RawReading } from './window-features.ts'

/** One piece of evidence for maintenance. */
export interface Evidence {
  readonly feature: string
  readonly label: string
  readonly unit: string
  /** Share of the positive contributions (0–1). */
  readonly share: number
  /** Contribution to the logit. */
  readonly contribution: number
  /** Last 24 h. */
  readonly value: number | null
  /** The device's normal range: median ± 2 spreads of its daily values 3–21 days ago. */
  readonly normal: { readonly median: number; readonly low: number; readonly high: number } | null
  /** (value − median) / spread. */
  readonly deviation: number | null
  /** Change per day over the last two days, in the unit. */
  readonly trendPerDay: number | null
}

/**
 * The classifier's logit as a function of its input. For a single network (a chain ending in a sigmoid dense
 * layer) the logit is that layer's pre-activation, whose gradient stays alive however sure the model is; the
 * logit of the output would be flat there, since a float32 sigmoid saturates to exactly 1 (and its gradient to
 * 0) well inside the risks an alert is raised at. Otherwise (an averaged ensemble) the logit of the output,
 * clipped away from 0 and 1.
 */
function logitOf(classifier: tf.LayersModel): (x: tf.Tensor) => tf.Tensor {
  const layers = classifier.layers.filter((l) => l.getClassName() !== 'InputLayer')
  const last = layers[layers.length - 1]
  const chain = layers.every(
    (l) => l.inboundNodes.length === 1 && l.inboundNodes[0]!.inboundLayers.length <= 1,
  )
  const config = last?.getConfig() as { activation?: string } | undefined
  if (last && chain && last.getClassName() === 'Dense' && config?.activation === 'sigmoid') {
    const [kernel, bias] = last.getWeights()
    return (x) => {
      let h = x
      for (const layer of layers.slice(0, -1)) h = layer.apply(h) as tf.Tensor
      return tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias!)
    }
  }
  return (x) => {
    const p = tf.clipByValue(classifier.apply(x) as tf.Tensor, 1e-6, 1 - 1e-6)
    return tf.log(tf.div(p, tf.sub(1, p)))
  }
}

/** Per-sample input gradients of the classifier's logit, [count × width]. */
export function logitGradients(
  classifier: tf.LayersModel,
  x: Float32Array,
  width: number,
  count: number,
): Float32Array {
  if (count === 0) return new Float32Array(0)
  const logit = logitOf(classifier)
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [count, width])
    const grad = tf.grad((v: tf.Tensor) => tf.sum(logit(v)))
    return grad(input).dataSync() as Float32Array
  })
}

const round = (x: number, digits: number): number | null =>
  Number.isFinite(x) ? Number(x.toFixed(digits)) : null

/**
 * The top `top` evidence items of one sample: inputs `x` and gradients `g` of that sample (3 per catalog
 * feature, in catalog order, context inputs after), and the raw readings per catalog feature.
 */
export function topEvidence(
  catalog: readonly FeatureDef[],
  x: ArrayLike<number>,
  g: ArrayLike<number>,
  raw: readonly RawReading[],
  trendLagHours: number,
  top = 3,
): Evidence[] {
  const items: { f: number; c: number }[] = []
  let positive = 0
  for (let f = 0; f < catalog.length; f++) {
    if (catalog[f]!.context === true) continue
    let c = 0
    for (let k = 0; k < 3; k++) c += x[3 * f + k]! * g[3 * f + k]!
    items.push({ f, c })
    if (c > 0) positive += c
  }
  items.sort((a, b) => b.c - a.c)
  const digits = (unitSpread: number) => Math.max(2, Math.min(6, 2 - Math.floor(Math.log10(unitSpread))))
  return items
    .filter((i) => i.c > 0)
    .slice(0, top)
    .map(({ f, c }) => {
      const def = catalog[f]!
      const r = raw[f]!
      const d = digits(Number.isFinite(r.spread) && r.spread > 0 ? r.spread : def.floor)
      const hasBase = Number.isFinite(r.median)
      return {
        feature: def.name,
        label: def.label,
        unit: def.unit,
        share: round(positive > 0 ? c / positive : 0, 3) ?? 0,
        contribution: round(c, 3) ?? 0,
        value: round(r.value, d),
        normal: hasBase
          ? {
              median: round(r.median, d) ?? 0,
              low: round(r.median - 2 * r.spread, d) ?? 0,
              high: round(r.median + 2 * r.spread, d) ?? 0,
            }
          : null,
        deviation: hasBase ? round((r.value - r.median) / r.spread, 2) : null,
        // The trend input is (24 h now − 24 h two days ago) / (2 spreads): back to units per day.
        trendPerDay: hasBase ? round((x[3 * f + 2]! * 2 * r.spread * 24) / trendLagHours, d) : null,
      } satisfies Evidence
    })
}
