// Tests for the road-graph builder: splitting at stops, bends as via points, shared junction nodes.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { RoadLine } from './site.ts'
import { buildRoadGraph, isConnected } from './roads.ts'

const ring: RoadLine = {
  kind: 'main',
  width: 7,
  points: [
    [50, 0],
    [100, 0],
    [100, 100],
    [0, 100],
    [0, 0],
    [50, 0],
  ],
  stops: [
    [100, 50],
    [0, 50],
  ],
  lights: 'right',
}
const branch: RoadLine = {
  kind: 'branch',
  width: 5,
  points: [
    [0, 50],
    [100, 50],
  ],
  stops: [[40, 50]],
  lights: 'left',
}

describe('buildRoadGraph', () => {
  const { graph, nodeAt } = buildRoadGraph([ring, branch], 'c01')

  it('splits lines at their stops and joins lines that share a point', () => {
    // Ring: start, two stops; branch: its two ends are the ring's stops, plus one stop in the middle.
    assert.equal(graph.nodes.length, 4)
    assert.equal(graph.edges.length, 5)
    assert.equal(nodeAt([0, 50]), graph.edges.find((e) => e.kind === 'branch')?.from)
  })

  it('keeps bends between stops as via points and measures along them', () => {
    const corner = graph.edges.find((e) => e.via.length === 2)
    assert.ok(corner)
    assert.deepEqual(corner.via, [
      [100, 100],
      [0, 100],
    ])
    assert.equal(corner.length, 200)
    assert.equal(
      graph.edges.reduce((a, e) => a + (e.kind === 'main' ? e.length : 0), 0),
      400,
    )
  })

  it('closes a ring back onto its first node and names ids after the community', () => {
    const first = graph.nodes[0]?.id
    assert.ok(graph.edges.some((e) => e.to === first && e.kind === 'main'))
    assert.ok(graph.nodes.every((n) => /^c01-n\d{4}$/.test(n.id)))
    assert.ok(graph.edges.every((e) => /^c01-e\d{4}$/.test(e.id)))
  })

  it('throws for a stop that is not on its line, and for an unknown point', () => {
    assert.throws(() => buildRoadGraph([{ ...branch, stops: [[40, 52]] }], 'c01'), /off a branch road/)
    assert.throws(() => nodeAt([3, 3]), /no road node/)
  })
})

describe('isConnected', () => {
  it('tells a connected graph from one with an island', () => {
    const { graph } = buildRoadGraph([ring, branch], 'c01')
    assert.equal(isConnected(graph), true)
    const island = buildRoadGraph(
      [
        ring,
        {
          ...branch,
          points: [
            [200, 0],
            [300, 0],
          ],
          stops: [],
        },
      ],
      'c01',
    ).graph
    assert.equal(isConnected(island), false)
  })
})
