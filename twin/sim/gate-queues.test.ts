import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { queueThrough } from './gate-queues.ts'
import { rimea1 } from './rimea-scenarios.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('gate queues', () => {
  it('serves first come, first served at the readers', () => {
    const { done, waits } = queueThrough([0, 0, 0, 10], 1, 2)
    assert.deepEqual(done, [2, 4, 6, 12])
    assert.deepEqual(waits, { n: 4, p50: 1, p95: 3.7, mean: 1.5, max: 4 })
  })

  it('spreads over lanes and keeps the input order in the output', () => {
    const { done } = queueThrough([5, 0, 0], 2, 3)
    assert.deepEqual(done, [8, 3, 3])
  })

  it('queues walkers going out and coming in through a controlled exit in a run', () => {
    const base = rimea1()
    const r = runScenario(
      parseScenario({
        ...base,
        exits: [{ ...base.exits![0]!, service: 3, lanes: 1 }],
        pedestrians: [
          { id: 'a', position: [38, 0.6], speed: 1, target: 'end' },
          { id: 'b', position: [38, 1.4], speed: 1, target: 'end' },
          { id: 'c', position: [10, 1], speed: 1, target: 'end', via: 'end' },
          { id: 'd', position: [10, 1.5], speed: 1, target: 'end', via: 'end' },
        ],
      }),
    )
    const q = r.gateQueues[0]!
    assert.equal(q.outbound.n, 4)
    assert.ok(q.outbound.max >= 2.5, 'the two who arrive together: one waits')
    assert.deepEqual([q.inbound.n, q.inbound.max], [2, 3])
    const d = r.arrivals.find((a) => a.id === 'd')!
    assert.equal(d.start, 6)
  })
})
