import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ScenarioInput } from './scenario.ts'
import { parseScenario } from './scenario.ts'
import { searchDuration, simulateVehicles } from './vehicles.ts'

/** A straight road: lot -- 100 m -- gate. */
function road(extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'road',
    seed: 1,
    dt: 0.1,
    duration: 3600,
    roads: {
      nodes: [
        { id: 'lotNode', position: [0, 0] },
        { id: 'gateNode', position: [100, 0] },
      ],
      edges: [{ from: 'lotNode', to: 'gateNode', speed: 5 }],
    },
    gates: [{ id: 'g', node: 'gateNode', lanes: 1, service: 10 }],
    parking: [{ id: 'lot', node: 'lotNode', capacity: 2, occupied: 0, searchTime: 20 }],
    ...extra,
  }
}

describe('simulateVehicles', () => {
  it('queues vehicles at a barrier first come, first served', () => {
    // Three cars reach the gate together (20 s drive); the barrier takes 10 s each: waits 0, 10, 20.
    const s = parseScenario(
      road({ vehicles: [0, 1, 2].map((k) => ({ id: `v${k}`, from: 'lotNode', to: 'g', depart: 0 })) }),
    )
    const r = simulateVehicles(s)
    assert.deepEqual(r.gates[0]!.outbound, { n: 3, p50: 10, p95: 19, mean: 10, max: 20 })
    assert.equal(r.gates[0]!.served, 3)
  })

  it('spreads a queue over two lanes', () => {
    const s = parseScenario(
      road({
        gates: [{ id: 'g', node: 'gateNode', lanes: 2, service: 10 }],
        vehicles: [0, 1, 2].map((k) => ({ id: `v${k}`, from: 'lotNode', to: 'g', depart: 0 })),
      }),
    )
    assert.equal(simulateVehicles(s).gateWait.max, 10)
  })

  it('parks until the lot is full, then counts a failed park', () => {
    const s = parseScenario(
      road({ vehicles: [0, 1, 2].map((k) => ({ id: `v${k}`, from: 'g', to: 'lot', depart: k * 60 })) }),
    )
    const r = simulateVehicles(s)
    assert.equal(r.parking[0]!.peakOccupancy, 2)
    assert.equal(r.failedParks, 1)
    assert.equal(r.searchTime.n, 3)
  })

  it('frees the space when a visitor leaves after the dwell', () => {
    const s = parseScenario(
      road({
        vehicles: [{ id: 'v', from: 'g', to: 'lot', depart: 0, dwell: 600, then: 'g', kind: 'visitor' }],
      }),
    )
    const r = simulateVehicles(s, 60)
    assert.equal(r.parking[0]!.peakOccupancy, 1)
    assert.equal(r.parking[0]!.occupancy.at(-1), 0)
    assert.equal(r.gates[0]!.served, 2)
  })

  it('sends trips for a closed gate to an open one', () => {
    const s = parseScenario(
      road({
        gates: [
          { id: 'g', node: 'gateNode', closed: true },
          { id: 'g2', node: 'lotNode' },
        ],
        vehicles: [{ id: 'v', from: 'lot', to: 'g', depart: 0 }],
      }),
    )
    const r = simulateVehicles(s)
    assert.equal(r.gates.find((g) => g.id === 'g2')!.served, 1)
    assert.equal(r.unroutable, 0)
  })

  it('lengthens the search as the lot fills', () => {
    const lot = { id: 'l', node: 'n', capacity: 100, occupied: 0, searchTime: 20 }
    assert.equal(searchDuration(lot, 0), 20)
    assert.equal(searchDuration(lot, 50), 40)
    assert.equal(searchDuration(lot, 99), 200)
  })
})
