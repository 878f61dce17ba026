import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inputDistributions, type FleetSpec } from '../fleet/spec.ts'
import { driftLevel, inputDrift, psi, validationAlertRate } from './drift.ts'

/** A spec carrying only what drift reads: input names and training distributions. */
function specOf(names: string[], training: Float32Array, count: number): FleetSpec {
  return {
    inputNames: names,
    drift: inputDistributions(training, names.length, count),
  } as unknown as FleetSpec
}

/** Row-major samples: column j of row i is f(i, j). */
function rows(count: number, width: number, f: (i: number, j: number) => number): Float32Array {
  const out = new Float32Array(count * width)
  for (let i = 0; i < count; i++) for (let j = 0; j < width; j++) out[i * width + j] = f(i, j)
  return out
}

describe('drift', () => {
  it('computes the population stability index by hand-checked values', () => {
    assert.equal(psi([0.5, 0.5], [0.5, 0.5]), 0)
    // 0.4·ln(1.8) + 0.4·ln(5) = 0.235115 + 0.643775
    assert.ok(Math.abs(psi([0.5, 0.5], [0.9, 0.1]) - 0.87889) < 1e-5)
    // An empty bin is floored at 1e-4, not infinite.
    assert.ok(Number.isFinite(psi([0.5, 0.5], [1, 0])))
    assert.throws(() => psi([1], [0.5, 0.5]), /different bins/)
  })

  it('reads the usual levels', () => {
    assert.equal(driftLevel(0.05), 'stable')
    assert.equal(driftLevel(0.1), 'moderate')
    assert.equal(driftLevel(0.25), 'moderate')
    assert.equal(driftLevel(0.26), 'significant')
  })

  it('finds the input that moved and leaves the others stable', () => {
    const count = 2000
    const training = rows(count, 3, (i, j) => ((i * 7919 + j * 104729) % 1000) / 10)
    const spec = specOf(['vibration', 'current', 'temperature'], training, count)
    // The same population: every input stable.
    const same = inputDrift(spec, training, count)
    assert.ok(same.every((d) => d.level === 'stable' && d.psi < 1e-9))
    // Temperature shifted up by half its range: that input alone is significant, and listed first.
    const shifted = rows(count, 3, (i, j) => training[i * 3 + j]! + (j === 2 ? 50 : 0))
    const moved = inputDrift(spec, shifted, count)
    assert.equal(moved[0]?.input, 'temperature')
    assert.equal(moved[0]?.level, 'significant')
    assert.ok(moved.slice(1).every((d) => d.level === 'stable'))
  })

  it('judges nothing without recent samples, and refuses inputs of the wrong width', () => {
    const spec = specOf(
      ['a', 'b'],
      rows(100, 2, (i) => i),
      100,
    )
    assert.deepEqual(
      inputDrift(spec, new Float32Array(0), 0).map((d) => d.psi),
      [0, 0],
    )
    assert.throws(() => inputDrift(spec, new Float32Array(5), 2), /expected 2 × 2 inputs/)
  })

  it("takes the validation alert rate from a version's metrics", () => {
    assert.equal(validationAlertRate({ validation: { alerts: 3, deviceDays: 40 } }), 7.5)
    assert.equal(validationAlertRate({ validation: { alerts: 3, deviceDays: 0 } }), null)
    assert.equal(validationAlertRate({}), null)
  })
})
