import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  complaintHotspots,
  elevatorAvailability,
  energyTrend,
  feeCollectionRate,
  parkingOccupancy,
  workOrderSla,
} from './kpi-figures.ts'

describe('KPI figures', () => {
  it('sums energy per hour across buildings, oldest first', () => {
    const rows = [
      { buildingId: 'b1', t: 2, kwh: 1 },
      { buildingId: 'b2', t: 1, kwh: 2 },
      { buildingId: 'b2', t: 2, kwh: 3 },
    ]
    assert.deepEqual(energyTrend({ rows }), [
      { t: 1, kwh: 2 },
      { t: 2, kwh: 4 },
    ])
    assert.equal(energyTrend({ rows: [] }), undefined)
    assert.equal(energyTrend(null), undefined)
  })

  it('ranks complaint places, and shows nothing before the table exists', () => {
    const row = (location: string, complaints: number) => ({
      buildingId: 'b',
      location,
      category: 'noise',
      t: 0,
      complaints,
    })
    const body = { available: true, rows: [row('A', 1), row('B', 4), row('A', 2)] }
    assert.deepEqual(complaintHotspots(body), [
      { name: 'B', count: 4 },
      { name: 'A', count: 3 },
    ])
    assert.equal(complaintHotspots({ available: false, rows: [] }), undefined)
  })

  it('computes fee collection, work-order SLA and elevator availability', () => {
    const fee = (due: number, paid: number) => ({ buildingId: 'b', month: '2026-11', due, paid })
    assert.equal(feeCollectionRate({ available: true, rows: [fee(100, 50), fee(100, 100)] }), 0.75)
    assert.equal(feeCollectionRate({ available: true, rows: [] }), undefined)
    const sla = { total: 4, resolved: 2, withinSla: 1, compliance: 0.5 }
    assert.equal(workOrderSla({ available: true, rows: [sla] }), 0.5)
    assert.equal(workOrderSla({ available: true, rows: [{ ...sla, compliance: null }] }), undefined)
    const rows = [
      { deviceId: 'e1', availability: 1 },
      { deviceId: 'e2', availability: 0.5 },
      { deviceId: 'e3', availability: null },
    ]
    assert.equal(elevatorAvailability({ rows }), 0.75)
  })

  it('takes each lot’s latest known occupancy', () => {
    const rows = [
      { lotId: 'L1', t: 1, capacity: 10, occupancy: 0.2 },
      { lotId: 'L1', t: 2, capacity: 10, occupancy: 0.6 },
      { lotId: 'G1', t: 2, capacity: 0, occupancy: null },
    ]
    assert.deepEqual([...(parkingOccupancy({ rows }) ?? [])], [['L1', 0.6]])
    assert.equal(parkingOccupancy(null), null)
  })
})
