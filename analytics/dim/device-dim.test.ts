import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deviceDimRows, type DimDevice } from './device-dim.ts'

const device = (
  id: string,
  kind: string,
  x: number,
  y: number,
  extra: Partial<DimDevice> = {},
): DimDevice => ({
  id,
  communityId: 'c1',
  kind,
  x,
  y,
  buildingId: null,
  unitId: null,
  gateId: null,
  lotId: null,
  public: false,
  ...extra,
})

describe('deviceDimRows', () => {
  const plaza = {
    id: 'c1-area-p1',
    communityId: 'c1',
    polygon: [
      [0, 0],
      [20, 0],
      [20, 10],
      [0, 10],
    ] as const,
  }

  it('puts gate counters in their gate zone and plaza counters in the area that holds them, with its area', () => {
    const rows = deviceDimRows(
      [
        device('pc-gate', 'people_counter', 100, 100, { gateId: 'g1' }),
        device('pc-plaza', 'people_counter', 2, 2),
        device('pc-nowhere', 'people_counter', 50, 50),
      ],
      [plaza],
      new Map(),
      7,
    )
    assert.deepEqual(
      rows.map((r) => [r.device_id, r.zone_id, r.zone_area_m2, r.version]),
      [
        ['pc-gate', 'g1', 0, 7],
        ['pc-plaza', 'c1-area-p1', 200, 7],
        ['pc-nowhere', '', 0, 7],
      ],
    )
  })

  it('gives barriers the capacity of their lot and keeps building, unit and public flags', () => {
    const [barrier, meter] = deviceDimRows(
      [
        device('pb1', 'parking_barrier', 0, 0, { lotId: 'L1' }),
        device('em1', 'electricity_meter', 0, 0, { buildingId: 'b1', unitId: 'u1', public: true }),
      ],
      [],
      new Map([['L1', 120]]),
      1,
    )
    assert.equal(barrier?.capacity, 120)
    assert.equal(barrier?.lot_id, 'L1')
    assert.deepEqual([meter?.building_id, meter?.unit_id, meter?.public, meter?.capacity], ['b1', 'u1', 1, 0])
  })
})
