import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fitView, heatColor, nearestOnOutline, rectAround, toCanvas, toWorld } from './plan-view.ts'

const square: [number, number][] = [
  [0, 0],
  [200, 0],
  [200, 100],
  [0, 100],
]

describe('plan view', () => {
  it('fits the boundary into the canvas, north up, and maps clicks back to metres', () => {
    const v = fitView(square, 1000, 600, 20)
    assert.equal(v.scale, 4.8)
    assert.deepEqual(toCanvas(v, 0, 100), [20, 20])
    assert.deepEqual(toCanvas(v, 200, 0), [980, 500])
    const [x, y] = toWorld(v, ...toCanvas(v, 123.4, 56.7))
    assert.ok(Math.abs(x - 123.4) < 1e-9 && Math.abs(y - 56.7) < 1e-9)
  })

  it('puts a new gate on the nearest point of the wall', () => {
    assert.deepEqual(nearestOnOutline(square, [150, 97]).point, [150, 100])
    assert.deepEqual(nearestOnOutline(square, [-5, 40]).point, [0, 40])
    assert.equal(nearestOnOutline(square, [150, 97]).distance, 3)
  })

  it('draws a lot as a rectangle around the click, and shades cells by count', () => {
    assert.deepEqual(rectAround([50, 50], 30, 20), [
      [35, 40],
      [65, 40],
      [65, 60],
      [35, 60],
    ])
    assert.notEqual(heatColor(1, 10), heatColor(10, 10))
    assert.equal(heatColor(20, 10), heatColor(10, 10), 'above the peak saturates')
  })
})
