/** Metric functions against values worked out by hand (the arithmetic is in the comments). */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { accuracy, binaryScores, macroF1 } from './classification.ts'
import { macroRocAuc, rocAuc } from './roc-auc.ts'
import { mae, nasaScore, rmse } from './regression.ts'

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected}`)

describe('classification metrics', () => {
  // truth 1 1 1 0 0 0 0 0, predicted 1 1 0 1 0 0 0 0
  const truth = Int32Array.from([1, 1, 1, 0, 0, 0, 0, 0])
  const predicted = Int32Array.from([1, 1, 0, 1, 0, 0, 0, 0])

  it('accuracy: 6 of 8 right', () => close(accuracy(truth, predicted), 0.75))

  it('precision, recall, F1 of class 1: tp 2, fp 1, fn 1', () => {
    const s = binaryScores(truth, predicted, 1)
    close(s.precision, 2 / 3)
    close(s.recall, 2 / 3)
    close(s.f1, 2 / 3) // 2·2 / (2·2 + 1 + 1)
  })

  it('macro F1: class 0 has tp 4, fp 1, fn 1 -> 0.8; mean with 2/3', () => {
    close(macroF1(truth, predicted, 2), (0.8 + 2 / 3) / 2)
  })

  it('skips unseen true classes (index -1) and gives 0 for an empty class', () => {
    close(accuracy(Int32Array.from([-1, 1]), Int32Array.from([0, 1])), 1)
    assert.deepEqual(binaryScores(Int32Array.from([0, 0]), Int32Array.from([0, 0]), 1), {
      precision: 0,
      recall: 0,
      f1: 0,
    })
  })
})

describe('rocAuc', () => {
  it('matches the textbook example (scores .1 .4 .35 .8 -> 0.75)', () => {
    // Positive pairs won: (.35 > .1), (.8 > .1), (.8 > .4); lost: (.35 < .4) -> 3/4.
    close(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75)
  })

  it('counts ties as half', () => {
    // pos .5 vs neg .5: ½, vs neg .2: 1; pos .9 beats both -> 3.5 / 4.
    close(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875)
  })

  it('is NaN with a single class and 1 / 0 for perfect / reversed ranking', () => {
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])))
    close(rocAuc([0, 1], [0.1, 0.9]), 1)
    close(rocAuc([1, 0], [0.1, 0.9]), 0)
  })

  it('macro one-vs-rest over three classes', () => {
    // Probabilities rank each class's members first: every one-vs-rest AUC is 1.
    const probs = Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7])
    close(macroRocAuc([0, 1, 2], probs, 3), 1)
  })
})

describe('regression metrics', () => {
  // truth 10 20 30, predicted 12 17 30: errors +2 (late), -3 (early), 0
  const truth = [10, 20, 30]
  const predicted = [12, 17, 30]
  it('rmse = sqrt((4 + 9 + 0) / 3)', () => close(rmse(truth, predicted), 2.0816659994661326))
  it('mae = (2 + 3 + 0) / 3', () => close(mae(truth, predicted), 5 / 3))
  it('NASA score = (e^(2/10) - 1) + (e^(3/13) - 1) + 0', () => {
    close(nasaScore(truth, predicted), 0.22140275816016985 + 0.2595685362456337)
  })
  it('punishes late predictions more than early ones', () => {
    assert.ok(nasaScore([50], [60]) > nasaScore([50], [40]))
  })
})
