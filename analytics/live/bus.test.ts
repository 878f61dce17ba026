import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LiveBus } from './bus.ts'

describe('LiveBus', () => {
  it('gives events increasing ids and delivers them to subscribers', () => {
    const bus = new LiveBus(10, () => 1000)
    const seen: number[] = []
    const stop = bus.subscribe((e) => seen.push(e.id))
    const a = bus.publish('alarm', 'c1', { x: 1 })
    const b = bus.publish('kpi', 'c1', { y: 2 })
    stop()
    bus.publish('kpi', 'c1', {})
    assert.deepEqual(seen, [1, 2])
    assert.equal(a.permission, 'alarm:read')
    assert.equal(b.permission, 'kpi:read')
    assert.equal(b.at, 1000)
    assert.equal(bus.size, 0)
  })

  it('replays what a reconnecting client missed', () => {
    const bus = new LiveBus(10)
    for (let i = 0; i < 5; i++) bus.publish('alarm', 'c1', i)
    const backlog = bus.since(2)
    assert.deepEqual(
      backlog.events.map((e) => e.id),
      [3, 4, 5],
    )
    assert.equal(backlog.gap, false)
    assert.deepEqual(bus.since(5), { events: [], gap: false })
  })

  it('reports a gap when the buffer no longer reaches back to the last id', () => {
    const bus = new LiveBus(4)
    for (let i = 0; i < 10; i++) bus.publish('alarm', 'c1', i)
    const backlog = bus.since(3)
    assert.deepEqual(
      backlog.events.map((e) => e.id),
      [7, 8, 9, 10],
    )
    assert.equal(backlog.gap, true)
    assert.equal(bus.since(6).gap, false)
  })

  it('keeps publishing when a listener throws', () => {
    const errors: unknown[] = []
    const bus = new LiveBus(4, Date.now, (e) => errors.push(e))
    const seen: number[] = []
    bus.subscribe(() => {
      throw new Error('boom')
    })
    bus.subscribe((e) => seen.push(e.id))
    bus.publish('alarm', 'c1', null)
    assert.deepEqual(seen, [1])
    assert.equal(errors.length, 1)
  })
})
