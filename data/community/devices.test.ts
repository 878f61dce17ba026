// Tests for devices: what each building, gate, lot, area and road gets, with sensible specs and positions.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Device } from './types.ts'
import { generateCommunity } from './generate.ts'
import { pointInPolygon, polylineLength } from './geometry.ts'

const c = generateCommunity({ seed: 5, profile: 'default' }).communities[0] as ReturnType<
  typeof generateCommunity
>['communities'][number]
const byKind = (kind: Device['kind']) => c.devices.filter((d) => d.kind === kind)
const buildings = new Map(c.buildings.map((b) => [b.id, b]))

describe('buildingDevices', () => {
  it('gives every unit exactly one electricity meter and one water meter, at its floor level', () => {
    const count = new Map<string, number>()
    for (const d of c.devices)
      if (d.unitId !== null) count.set(`${d.unitId}/${d.kind}`, (count.get(`${d.unitId}/${d.kind}`) ?? 0) + 1)
    const floorHeight = (id: string) => buildings.get(id)?.floorHeight ?? 0
    for (const u of c.units) {
      assert.equal(count.get(`${u.id}/electricity_meter`), 1, u.id)
      assert.equal(count.get(`${u.id}/water_meter`), 1, u.id)
      const meter = c.devices.find((d) => d.unitId === u.id && d.kind === 'water_meter')
      if (u.usage === 'residential')
        assert.ok(Math.abs((meter?.position[2] ?? -1) - (u.floor - 1) * floorHeight(u.buildingId)) < 0.02)
    }
  })

  it('adds public meters per entrance (lighting, and lift power in towers) and per pump room', () => {
    for (const b of c.buildings.filter((x) => x.kind === 'tower' || x.kind === 'walkup')) {
      const pub = c.devices.filter((d) => d.buildingId === b.id && d.public && d.kind === 'electricity_meter')
      assert.equal(pub.length, b.entrances * (b.kind === 'tower' ? 2 : 1), b.id)
    }
    for (const room of c.buildings.filter((b) => b.kind === 'pump_room')) {
      const meters = c.devices.filter(
        (d) =>
          d.buildingId === room.id &&
          d.public &&
          (d.kind === 'electricity_meter' || d.kind === 'water_meter'),
      )
      assert.equal(meters.length, 2)
    }
  })

  it('gives each tower one lift device per lift, with load, speed and the floors served', () => {
    for (const b of c.buildings.filter((x) => x.kind === 'tower')) {
      const lifts = byKind('elevator').filter((d) => d.buildingId === b.id)
      assert.equal(lifts.length, b.elevatorCount)
      for (const l of lifts) {
        assert.ok([800, 1000, 1050, 1350].includes(l.spec.ratedLoadKg as number))
        assert.ok((l.spec.ratedSpeedMs as number) >= 1 && (l.spec.ratedSpeedMs as number) <= 2.5)
        assert.equal(l.spec.topFloor, b.floors)
        assert.equal(l.spec.floorsServed, b.floors + b.basementFloors)
      }
      assert.equal(lifts.filter((l) => l.spec.role === 'fire').length, b.entrances)
    }
    assert.equal(
      byKind('elevator').filter((d) => buildings.get(d.buildingId ?? '')?.kind === 'walkup').length,
      0,
    )
  })

  it('fits each pump room with 2–4 pumps, one on standby, head above the tallest building served', () => {
    for (const room of c.buildings.filter((b) => b.kind === 'pump_room')) {
      const pumps = byKind('water_pump').filter((d) => d.buildingId === room.id)
      assert.ok(pumps.length >= 2 && pumps.length <= 4, room.id)
      assert.equal(pumps.filter((p) => p.spec.role === 'standby').length, 1)
      const tallest = Math.max(...(room.servedBuildingIds ?? []).map((id) => buildings.get(id)?.height ?? 0))
      for (const p of pumps) {
        assert.ok((p.spec.headM as number) > tallest)
        assert.ok((p.spec.powerKw as number) > 0 && (p.spec.ratedFlowM3h as number) > 0)
        if (room.floors === 0) assert.ok(p.position[2] < 0, 'a basement pump stands below ground')
      }
    }
  })

  it('hangs smoke detectors in every floor of every entrance: three per tower floor, one per walk-up landing', () => {
    for (const b of c.buildings.filter((x) => x.kind === 'tower' || x.kind === 'walkup')) {
      const n = byKind('smoke_detector').filter(
        (d) => d.buildingId === b.id && (d.spec.floor as number) > 0,
      ).length
      assert.equal(n, b.floors * b.entrances * (b.kind === 'tower' ? 3 : 1), b.id)
    }
  })

  it('gives every building but the gatehouses a fire panel and every entrance a door station', () => {
    for (const b of c.buildings) {
      const panels = byKind('fire_panel').filter((d) => d.buildingId === b.id).length
      assert.equal(panels, b.kind === 'gatehouse' ? 0 : 1, b.id)
      if (b.kind === 'tower' || b.kind === 'walkup') {
        const doors = byKind('access_gate').filter(
          (d) => d.buildingId === b.id && d.spec.location === 'ground',
        ).length
        assert.equal(doors, b.entrances)
      }
    }
  })
})

describe('siteDevices', () => {
  it('puts a turnstile on every pedestrian lane, a barrier on every vehicle lane and a counter at every gate', () => {
    for (const g of c.gates) {
      const own = c.devices.filter((d) => d.gateId === g.id)
      const lanes = own.filter(
        (d) => d.kind === (g.kind === 'vehicle' ? 'parking_barrier' : 'access_gate'),
      ).length
      assert.equal(lanes, g.lanes, g.id)
      assert.equal(own.filter((d) => d.kind === 'people_counter').length, 1)
    }
  })

  it('puts barriers underground at each garage ramp and counters on the plaza', () => {
    const garageBarriers = byKind('parking_barrier').filter((d) => d.lotId !== null)
    assert.equal(garageBarriers.length, 2 * c.roads.edges.filter((e) => e.kind === 'ramp').length)
    assert.ok(garageBarriers.every((d) => d.position[2] < 0))
    const plaza = c.areas.find((a) => a.kind === 'plaza')
    assert.ok(plaza)
    assert.ok(
      byKind('people_counter').some(
        (d) => d.gateId === null && pointInPolygon([d.position[0], d.position[1]], plaza.polygon),
      ),
    )
  })

  it('spreads environment sensors over the open areas', () => {
    const sensors = byKind('env_sensor')
    assert.ok(sensors.length >= 10)
    for (const s of sensors)
      assert.ok(
        c.areas.some((a) => pointInPolygon([s.position[0], s.position[1]], a.polygon)),
        s.id,
      )
    assert.ok(sensors.every((s) => String(s.spec.metrics).includes('pm25')))
  })

  it('lines main and branch roads with a street light every 25–30 m', () => {
    const nodes = new Map(c.roads.nodes.map((n) => [n.id, n.position]))
    const lit = c.roads.edges.filter((e) => e.kind === 'main' || e.kind === 'branch')
    const length = lit.reduce(
      (a, e) => a + polylineLength([nodes.get(e.from) ?? [0, 0], ...e.via, nodes.get(e.to) ?? [0, 0]]),
      0,
    )
    const spacing = length / byKind('street_light').length
    assert.ok(spacing >= 24 && spacing <= 31, String(spacing))
  })

  it('gives every device a model string, an install date and an MQTT-safe id', () => {
    for (const d of c.devices) {
      assert.ok(d.model.length > 0)
      assert.match(d.installDate, /^\d{4}-\d{2}-\d{2}$/)
      assert.match(d.id, /^c01-dev-[a-z]{2}-[A-Za-z0-9_-]+$/)
    }
  })
})
