// Tests for the site plan: building types and their proportions, rows, gates, pump rooms and the garage ramps.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Building } from './types.ts'
import { generateCommunity } from './generate.ts'
import { boundsOf, polygonArea } from './geometry.ts'

const communities = [1, 2, 3].flatMap((seed) => generateCommunity({ seed, profile: 'default' }).communities)
const all = (kind: Building['kind']) => communities.flatMap((c) => c.buildings.filter((b) => b.kind === kind))

describe('layoutSite', () => {
  it('builds 6-floor walk-ups with 2–3 entrances and no lifts', () => {
    const walkups = all('walkup')
    assert.ok(walkups.length > 0)
    for (const b of walkups) {
      assert.equal(b.floors, 6)
      assert.equal(b.elevatorCount, 0)
      assert.ok(b.entrances >= 2 && b.entrances <= 3)
      assert.ok(b.floorHeight >= 2.8 && b.floorHeight <= 3.0)
    }
  })

  it('builds 18–33-floor towers with 1–3 lifts per entrance and about 3 m floors', () => {
    for (const b of all('tower')) {
      assert.ok(b.floors >= 18 && b.floors <= 33, String(b.floors))
      const perEntrance = b.elevatorCount / b.entrances
      assert.ok(perEntrance >= 1 && perEntrance <= 3)
      assert.ok(b.floorHeight >= 2.9 && b.floorHeight <= 3.0)
      assert.ok(b.height >= b.floors * b.floorHeight)
    }
  })

  it('gives every community a clubhouse, a kindergarten, gatehouses, pump rooms and towers behind walk-ups', () => {
    for (const c of communities) {
      const kinds = new Set(c.buildings.map((b) => b.kind))
      for (const k of ['clubhouse', 'kindergarten', 'gatehouse', 'pump_room', 'tower'] as const)
        assert.ok(kinds.has(k), `${c.id} lacks ${k}`)
      const southOf = (kind: Building['kind']) =>
        Math.max(...c.buildings.filter((b) => b.kind === kind).map((b) => boundsOf(b.footprint).y1))
      const northOf = (kind: Building['kind']) =>
        Math.min(...c.buildings.filter((b) => b.kind === kind).map((b) => boundsOf(b.footprint).y0))
      if (kinds.has('walkup')) assert.ok(southOf('walkup') < northOf('tower'))
    }
  })

  it('puts pump rooms in the basement or a small building and tells which buildings each supplies', () => {
    for (const c of communities) {
      const rooms = c.buildings.filter((b) => b.kind === 'pump_room')
      assert.ok(rooms.some((r) => r.floors === 0 && r.basementFloors === 1))
      const served = new Set(rooms.flatMap((r) => r.servedBuildingIds ?? []))
      for (const b of c.buildings.filter((x) => x.kind === 'tower' || x.kind === 'walkup'))
        assert.ok(served.has(b.id), b.id)
      for (const r of rooms) assert.ok(polygonArea(r.footprint) < 300)
    }
  })

  it('connects every entrance of a residential building to the road graph', () => {
    for (const c of communities) {
      const nodes = new Set(c.roads.nodes.map((n) => n.id))
      for (const b of c.buildings.filter((x) => x.kind === 'tower' || x.kind === 'walkup')) {
        assert.equal(b.entranceNodeIds?.length, b.entrances)
        assert.ok(b.entranceNodeIds?.every((id) => nodes.has(id)))
      }
    }
  })

  it('opens at least two pedestrian gates and one vehicle gate, each with lanes', () => {
    for (const c of communities) {
      assert.ok(c.gates.filter((g) => g.kind === 'pedestrian').length >= 2)
      assert.ok(c.gates.filter((g) => g.kind === 'vehicle').length >= 1)
      assert.ok(c.gates.every((g) => g.lanes >= 1))
    }
  })

  it('has main, branch, footpath and ramp roads, and green belts, fitness, playground, plaza and waste points', () => {
    for (const c of communities) {
      assert.deepEqual([...new Set(c.roads.edges.map((e) => e.kind))].sort(), [
        'branch',
        'footpath',
        'main',
        'ramp',
      ])
      const kinds = new Set(c.areas.map((a) => a.kind))
      for (const k of ['green_belt', 'fitness', 'playground', 'plaza', 'waste_station'] as const)
        assert.ok(kinds.has(k), `${c.id} lacks ${k}`)
    }
  })

  it('centres the site on the anchor, in a city district', () => {
    for (const c of communities) {
      const box = boundsOf(c.boundary)
      assert.ok(Math.abs(box.x0 + box.x1) < 1 && Math.abs(box.y0 + box.y1) < 1)
      assert.ok(c.anchor.lat > 20 && c.anchor.lat < 40 && c.anchor.lon > 100 && c.anchor.lon < 125)
      assert.ok(c.address.startsWith(c.city + c.district))
    }
  })
})
