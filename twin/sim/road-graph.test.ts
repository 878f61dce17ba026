import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RoadGraph } from './road-graph.ts'

describe('RoadGraph', () => {
  const g = new RoadGraph({
    nodes: [
      { id: 'a', position: [0, 0] },
      { id: 'b', position: [100, 0] },
      { id: 'c', position: [100, 100] },
      { id: 'd', position: [500, 500] },
    ],
    edges: [
      { from: 'a', to: 'b', oneway: false },
      { from: 'b', to: 'c', speed: 10, oneway: false },
      { from: 'a', to: 'c', length: 1000, oneway: true },
    ],
  })
  const n = (id: string): number => g.nodeIndex.get(id)!

  it('finds the quickest route by free-flow time', () => {
    assert.ok(Math.abs(g.travelTime(n('a'), n('c')) - (100 / 5.5 + 100 / 10)) < 1e-9)
  })

  it('honours one-way edges and reports unreachable nodes', () => {
    assert.ok(Math.abs(g.travelTime(n('c'), n('a')) - (100 / 10 + 100 / 5.5)) < 1e-9)
    assert.equal(g.travelTime(n('a'), n('d')), Infinity)
  })

  it('names an edge with an unknown node', () => {
    assert.throws(
      () => new RoadGraph({ nodes: [], edges: [{ from: 'x', to: 'y', oneway: false }] }),
      /roads.edges\[0\]: unknown node "x"/,
    )
  })
})
