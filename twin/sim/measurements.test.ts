import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rimea1 } from './rimea-scenarios.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('measurements', () => {
  const r = runScenario(
    parseScenario({
      ...rimea1(),
      measure: {
        lines: [{ id: 'mid', from: [20, 0], to: [20, 2] }],
        areas: [
          {
            id: 'start',
            polygon: [
              [-1, 0],
              [1, 0],
              [1, 2],
              [-1, 2],
            ],
          },
        ],
        heatmap: { cell: 1, interval: 5 },
      },
    }),
  )

  it('counts a crossing of a line at the right time', () => {
    const f = r.flows[0]!
    assert.equal(f.count, 1)
    assert.ok(Math.abs(f.first! - 20 / 1.33) < 0.1)
  })

  it('records the density of an area over time', () => {
    const a = r.areas[0]!
    assert.equal(a.area, 4)
    assert.equal(a.density[0], 0.25)
    assert.equal(a.density.at(-1), 0)
  })

  it('records heatmap frames with one person per frame until arrival', () => {
    const h = r.heatmap!
    assert.equal(h.peak, 1)
    const totals = h.frames.map((f) => f.reduce((s, x) => s + x, 0))
    assert.deepEqual(totals.slice(0, 6), [1, 1, 1, 1, 1, 1])
  })
})
