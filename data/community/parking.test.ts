// Tests for parking: capacity per household, space kinds and tenures, the garage under the towers.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateCommunity } from './generate.ts'
import { boundsOf, pointInPolygon, rectsOverlap } from './geometry.ts'

const sets = [1, 2].map((seed) => generateCommunity({ seed, profile: 'default' }))
const communities = sets.flatMap((s) => s.communities)

describe('planParking', () => {
  it('provides 0.8–1.2 spaces per household', () => {
    for (const c of communities) {
      const ratio = c.parkingSpaces.length / c.households.length
      assert.ok(ratio >= 0.8 && ratio <= 1.2, `${c.id} ${ratio}`)
    }
  })

  it('equips about a tenth of spaces with chargers and keeps a few accessible', () => {
    for (const c of communities) {
      const ev = c.parkingSpaces.filter((s) => s.kind === 'ev_charging').length / c.parkingSpaces.length
      assert.ok(ev > 0.06 && ev < 0.14, `${c.id} ${ev}`)
      assert.ok(c.parkingSpaces.some((s) => s.kind === 'accessible'))
    }
  })

  it('mixes owned, monthly and visitor tenure, visitors only on the surface', () => {
    for (const c of communities) {
      const lots = new Map(c.parkingLots.map((l) => [l.id, l]))
      const tenures = new Set(c.parkingSpaces.map((s) => s.tenure))
      assert.deepEqual([...tenures].sort(), ['monthly', 'owned', 'visitor'])
      for (const s of c.parkingSpaces.filter((x) => x.tenure === 'visitor'))
        assert.equal(lots.get(s.lotId)?.kind, 'surface')
    }
  })

  it('puts an underground garage at level -1 under the tower rows, entered by a ramp', () => {
    for (const c of communities) {
      const garage = c.parkingLots.find((l) => l.kind === 'underground' && l.level === -1)
      assert.ok(garage)
      const box = boundsOf(garage.polygon)
      assert.ok(
        c.buildings.some(
          (b) => b.kind === 'tower' && b.basementFloors > 0 && rectsOverlap(boundsOf(b.footprint), box),
        ),
      )
      const ramp = c.roads.edges.find(
        (e) => e.kind === 'ramp' && (e.to === garage.entranceNodeId || e.from === garage.entranceNodeId),
      )
      assert.ok(ramp, 'a ramp ends at the garage entrance')
      for (const s of c.parkingSpaces.filter((x) => x.lotId === garage.id))
        assert.ok(pointInPolygon(s.position, garage.polygon))
    }
  })

  it('lines surface spaces up inside their lots', () => {
    for (const c of communities) {
      const lots = new Map(c.parkingLots.map((l) => [l.id, l]))
      for (const s of c.parkingSpaces) {
        const lot = lots.get(s.lotId)
        assert.ok(lot && pointInPolygon(s.position, lot.polygon), s.id)
      }
    }
  })
})
