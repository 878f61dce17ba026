// Tests for moving a community to the anchor frame: shifted, rounded to the centimetre, lengths recomputed.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Community } from './types.ts'
import { shiftCommunity } from './frame.ts'

const site: Community = {
  id: 'c01',
  name: 't',
  city: 'c',
  district: 'd',
  address: 'a',
  anchor: { lat: 31, lon: 121 },
  boundary: [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ],
  builtYear: 2000,
  buildings: [],
  units: [],
  households: [],
  residents: [],
  vehicles: [],
  roads: {
    nodes: [
      { id: 'n1', position: [1.004, 1] },
      { id: 'n2', position: [4.001, 5] },
    ],
    edges: [{ id: 'e1', from: 'n1', to: 'n2', width: 5, kind: 'branch', length: 999, via: [] }],
  },
  gates: [],
  parkingLots: [],
  parkingSpaces: [],
  areas: [],
  devices: [],
}

describe('shiftCommunity', () => {
  const moved = shiftCommunity(site, -5, -5)

  it('moves the site centre to the origin', () => {
    assert.deepEqual(moved.boundary[0], [-5, -5])
    assert.deepEqual(moved.boundary[2], [5, 5])
  })

  it('rounds to centimetres and recomputes edge lengths from the rounded points', () => {
    assert.deepEqual(moved.roads.nodes[0]?.position, [-4, -4])
    assert.equal(moved.roads.edges[0]?.length, 5)
  })

  it('never writes negative zero', () => {
    const p = moved.roads.nodes.map((n) => n.position).flat()
    assert.ok(p.every((v) => !Object.is(v, -0)))
    assert.ok(shiftCommunity(site, -1.004, 0).roads.nodes[0]?.position.every((v) => !Object.is(v, -0)))
  })
})
