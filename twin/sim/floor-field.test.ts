import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rect } from './geometry.ts'
import { defaultModelParams } from './model-params.ts'
import { buildWorld } from './world.ts'

describe('FloorFields', () => {
  it('measures open-floor distances close to Euclidean (fast marching, not grid Dijkstra)', () => {
    const w = buildWorld(
      {
        walls: [],
        obstacles: [],
        targets: [{ id: 't', polygon: rect(-0.3, -0.3, 0.3, 0.3) }],
        extent: [
          [-30, -30],
          [30, 30],
        ],
      },
      defaultModelParams,
    )
    for (const [x, y] of [
      [20, 0],
      [14, 14],
      [0, -25],
      [-10, 17],
    ] as const) {
      const d = w.fields.distanceAt(0, x, y)
      const e = Math.hypot(x, y)
      assert.ok(Math.abs(d / e - 1) < 0.04, `(${x}, ${y}): ${d} vs ${e}`)
    }
  })

  it('routes around a wall, never through it', () => {
    const w = buildWorld(
      {
        walls: [
          [
            [5, -10],
            [5, 10],
          ],
        ],
        obstacles: [],
        targets: [{ id: 't', polygon: rect(9.5, -0.5, 10.5, 0.5) }],
        extent: [
          [0, -12],
          [12, 12],
        ],
      },
      defaultModelParams,
    )
    // From (0, 0) the way round the wall's end is sqrt(5² + 10²) + sqrt(5² + 10²) ≈ 22.4 m, not 10 m.
    const d = w.fields.distanceAt(0, 0, 0)
    assert.ok(d > 21, `distance ${d}`)
    const c = w.grid.cellOf(4, 0)
    const [dx, dy] = w.fields.directionOf(0, c)
    assert.ok(dy !== 0 || dx < 0, 'does not point through the wall')
  })

  it('points every free cell downhill towards the target', () => {
    const w = buildWorld(
      {
        walls: [],
        obstacles: [rect(3, -2, 4, 2)],
        targets: [{ id: 't', polygon: rect(8, -0.5, 9, 0.5) }],
        extent: [
          [0, -5],
          [10, 5],
        ],
      },
      defaultModelParams,
    )
    const { grid, fields } = w
    for (let i = 0; i < grid.cells; i++) {
      const d = fields.distanceOf(0, i)
      if (grid.blocked[i] === 1 || d === 0 || d === Infinity) continue
      assert.ok(Math.abs(Math.hypot(...fields.directionOf(0, i)) - 1) < 1e-5)
    }
  })
})
