// Tests for open areas: ids and numbered names, and the bands they fill staying clear of the axis.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { finishAreas } from './areas.ts'
import { generateCommunity } from './generate.ts'
import { boundsOf } from './geometry.ts'

describe('finishAreas', () => {
  it('numbers repeated names and gives ids in order', () => {
    const rect = { x0: 0, y0: 0, x1: 1, y1: 1 }
    const areas = finishAreas(
      [
        { kind: 'green_belt', name: '宅间绿地', rect },
        { kind: 'plaza', name: '中心广场', rect },
        { kind: 'green_belt', name: '宅间绿地', rect },
      ],
      'c02',
    )
    assert.deepEqual(
      areas.map((a) => [a.id, a.name]),
      [
        ['c02-a01', '宅间绿地1'],
        ['c02-a02', '中心广场'],
        ['c02-a03', '宅间绿地2'],
      ],
    )
  })
})

describe('fillBands', () => {
  it('leaves the landscape axis open and sets out about one waste point per 350 households', () => {
    const c = generateCommunity({ seed: 6, profile: 'default' }).communities[0] as ReturnType<
      typeof generateCommunity
    >['communities'][number]
    for (const a of c.areas.filter((x) => x.kind !== 'plaza')) {
      const box = boundsOf(a.polygon)
      assert.ok(box.x1 <= -2 || box.x0 >= 2, `${a.id} ${a.name} crosses the axis`)
    }
    const points = c.areas.filter((a) => a.kind === 'waste_station').length
    assert.ok(points >= Math.ceil(c.households.length / 350) - 2, String(points))
  })
})
