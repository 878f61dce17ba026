import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { benchmarkHouseholds, type UnitInfo } from './benchmark.ts'

const unit = (n: number, area: number, bedrooms: number): UnitInfo => ({
  unitId: `u${n}`,
  householdId: `h${n}`,
  buildingId: 'b1',
  number: String(n),
  area,
  bedrooms,
})

describe('benchmarkHouseholds', () => {
  it('compares each household with the median of similar units and ranks the heaviest users first', () => {
    const units = [unit(1, 85, 2), unit(2, 88, 2), unit(3, 90, 2), unit(4, 120, 3), unit(5, 95, 2)]
    const usage = [
      { deviceId: 'm1', unitId: 'u1', kwh: 100 },
      { deviceId: 'm2', unitId: 'u2', kwh: 200 },
      { deviceId: 'm3', unitId: 'u3', kwh: 300 },
      { deviceId: 'm4', unitId: 'u4', kwh: 400 },
    ]
    // u5 has no meter reading: left out. With minPeers 3: u1–u3 share the 80 m² band; u4 falls back to "3br".
    const found = benchmarkHouseholds(usage, units, 3)
    assert.deepEqual(
      found.map((b) => [b.householdId, b.peerGroup, b.peers, b.peerMedianKwh, b.ratio, b.percentile]),
      [
        ['h3', '2br/80m2', 3, 200, 1.5, 1],
        ['h2', '2br/80m2', 3, 200, 1, 0.5],
        ['h4', '3br', 1, 400, 1, 0],
        ['h1', '2br/80m2', 3, 200, 0.5, 0],
      ],
    )
    assert.equal(found.find((b) => b.householdId === 'h1')?.kwhPerM2, 1.176)
  })
})
