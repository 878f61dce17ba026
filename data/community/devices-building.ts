/**
 * Devices inside buildings: an electricity and a water meter per unit, public meters per entrance (stair lighting,
 * lift power), lifts, door stations, smoke detectors in the public corridors and stairwells, a fire panel per
 * building, and the pump sets of the secondary water supply with their meters.
 */
import type { Device, Vec3 } from './types.ts'
import type { Rng } from './rng.ts'
import type { SiteBuilding } from './site.ts'
import type { PlacedUnit } from './units.ts'
import { ELEVATOR_MAKERS, MODELS, PUMP_MAKERS, makeDevice } from './device-catalog.ts'
import { GARAGE_LEVEL_HEIGHT } from './parking.ts'

/** Smoke detectors per floor in a tower entrance: lift lobby and both corridor arms. */
const TOWER_DETECTORS_PER_FLOOR = 3
const STANDARD_MOTORS_KW = [1.5, 2.2, 3, 4, 5.5, 7.5, 11, 15, 18.5, 22, 30, 37, 45, 55]
const STANDARD_FLOWS = [4, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 65, 80]

function b2(id: string): string {
  // Building part of device ids: "c01-b03" -> "b03".
  return id.slice(id.lastIndexOf('-') + 1)
}

function atLeast(values: readonly number[], x: number): number {
  return values.find((v) => v >= x) ?? (values[values.length - 1] as number)
}

function entranceCores(b: SiteBuilding): { x: number; y: number }[] {
  const widths = b.residential?.entranceWidths ?? [b.rect.x1 - b.rect.x0]
  let x = b.rect.x0
  // The stair and lift core sits behind the north-side entrance door.
  return widths.map((w) => {
    const core = { x: x + w / 2, y: b.rect.y1 - 3 }
    x += w
    return core
  })
}

function residentialDevices(rng: Rng, cid: string, b: SiteBuilding, units: readonly PlacedUnit[]): Device[] {
  const spec = b.residential
  if (spec === null) return []
  const out: Device[] = []
  const bid = b.id
  const tag = b2(bid)
  const base = { buildingId: bid, builtYear: b.builtYear }
  for (const { unit, at, elevation } of units) {
    const tail = `${tag}-e${unit.entrance}-${unit.number}`
    const position: Vec3 = [at[0], at[1], elevation]
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'electricity_meter',
        tail,
        model: MODELS.unitElectricity,
        position,
        unitId: unit.id,
        spec: { phases: 1, ratedCurrent: '5(60)A', accuracyClass: '2', comm: 'HPLC' },
      }),
      makeDevice(rng, cid, {
        ...base,
        kind: 'water_meter',
        tail,
        model: MODELS.unitWater,
        position,
        unitId: unit.id,
        spec: { caliberMm: 20, comm: 'NB-IoT' },
      }),
    )
  }
  const maker = rng.pick(ELEVATOR_MAKERS)
  const speed = spec.floors <= 18 ? rng.pick([1.5, 1.75]) : spec.floors <= 26 ? 2 : 2.5
  entranceCores(b).forEach((core, i) => {
    const e = i + 1
    const ground: Vec3 = [core.x, core.y, 0]
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'electricity_meter',
        tail: `${tag}-e${e}-light`,
        model: MODELS.publicElectricity,
        position: ground,
        public: true,
        spec: { phases: 3, purpose: 'lighting', ratedCurrent: '1.5(6)A', comm: 'RS485' },
      }),
    )
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'access_gate',
        tail: `${tag}-e${e}`,
        model: MODELS.doorStation,
        position: [core.x, b.rect.y1 - 0.3, 0],
        spec: { location: 'ground', auth: 'face+card' },
      }),
    )
    for (let level = 1; level <= b.basementFloors; level++) {
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'access_gate',
          tail: `${tag}-e${e}-b${level}`,
          model: MODELS.doorStation,
          position: [core.x, core.y, -level * GARAGE_LEVEL_HEIGHT],
          spec: { location: `B${level}`, auth: 'face+card' },
        }),
      )
    }
    if (spec.elevatorsPerEntrance > 0) {
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'electricity_meter',
          tail: `${tag}-e${e}-lift`,
          model: MODELS.publicElectricity,
          position: ground,
          public: true,
          spec: { phases: 3, purpose: 'elevator', ratedCurrent: '1.5(6)A', comm: 'RS485' },
        }),
      )
    }
    for (let k = 1; k <= spec.elevatorsPerEntrance; k++) {
      // The first lift of each entrance is the fire lift (消防电梯), sized for a stretcher.
      const fire = k === 1
      const load = fire ? 1050 : spec.unitsPerFloor >= 4 ? rng.pick([1000, 1350]) : rng.pick([800, 1000])
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'elevator',
          tail: `${tag}-e${e}-${k}`,
          model: `${maker.series}-${load}/${speed.toFixed(2)}`,
          position: [core.x - 3 + k * 1.8, core.y, -b.basementFloors * GARAGE_LEVEL_HEIGHT],
          spec: {
            brand: maker.brand,
            role: fire ? 'fire' : 'passenger',
            ratedLoadKg: load,
            ratedSpeedMs: speed,
            lowestFloor: b.basementFloors > 0 ? -b.basementFloors : 1,
            topFloor: spec.floors,
            floorsServed: spec.floors + b.basementFloors,
            entrance: e,
          },
        }),
      )
    }
    const perFloor = spec.kind === 'tower' ? TOWER_DETECTORS_PER_FLOOR : 1
    for (let floor = 1; floor <= spec.floors; floor++) {
      for (let k = 1; k <= perFloor; k++) {
        const ceiling = floor * spec.floorHeight - 0.1
        out.push(
          makeDevice(rng, cid, {
            ...base,
            kind: 'smoke_detector',
            tail: `${tag}-e${e}-f${floor}-${k}`,
            model: MODELS.smoke,
            position: [core.x + (k - (perFloor + 1) / 2) * 4, core.y, ceiling],
            spec: { floor, sensing: 'photoelectric', comm: 'NB-IoT' },
          }),
        )
      }
    }
    for (let level = 1; level <= b.basementFloors; level++) {
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'smoke_detector',
          tail: `${tag}-e${e}-fb${level}-1`,
          model: MODELS.smoke,
          position: [core.x, core.y, -(level - 1) * GARAGE_LEVEL_HEIGHT - 0.1],
          spec: { floor: -level, sensing: 'photoelectric', comm: 'NB-IoT' },
        }),
      )
    }
  })
  return out
}

function shopDevices(rng: Rng, cid: string, b: SiteBuilding, units: readonly PlacedUnit[]): Device[] {
  const base = { buildingId: b.id, builtYear: b.builtYear }
  return units.flatMap(({ unit, at }) => {
    const tail = `${b2(b.id)}-e1-${unit.number}`
    const position: Vec3 = [at[0], at[1], 0]
    return [
      makeDevice(rng, cid, {
        ...base,
        kind: 'electricity_meter',
        tail,
        model: MODELS.publicElectricity,
        position,
        unitId: unit.id,
        spec: { phases: 3, ratedCurrent: '10(60)A', accuracyClass: '1', comm: 'HPLC' },
      }),
      makeDevice(rng, cid, {
        ...base,
        kind: 'water_meter',
        tail,
        model: MODELS.unitWater,
        position,
        unitId: unit.id,
        spec: { caliberMm: 20, comm: 'NB-IoT' },
      }),
      makeDevice(rng, cid, {
        ...base,
        kind: 'smoke_detector',
        tail: `${tail}-1`,
        model: MODELS.smoke,
        position: [at[0], at[1], b.floorHeight - 0.1],
        spec: { floor: 1, sensing: 'photoelectric', comm: 'NB-IoT' },
      }),
    ]
  })
}

/**
 * A pump room's set: 2–4 identical pumps, one on standby. Flow is sized for the peak hour of the households it
 * serves (≈0.08 m³/h each), head for the tallest building plus residual pressure, power from ρgQH at 65 %.
 */
function pumpDevices(
  rng: Rng,
  cid: string,
  b: SiteBuilding,
  served: { households: number; height: number },
): Device[] {
  const tag = b2(b.id)
  const z = b.floors > 0 ? 0 : -b.floorHeight
  const cx = (b.rect.x0 + b.rect.x1) / 2
  const cy = (b.rect.y0 + b.rect.y1) / 2
  const count = served.households <= 150 ? 2 : served.households <= 600 ? 3 : 4
  const flow = atLeast(STANDARD_FLOWS, Math.max(4, (served.households * 0.08) / (count - 1)))
  const head = Math.round(served.height + 25)
  const power = atLeast(STANDARD_MOTORS_KW, (flow * head) / (367 * 0.65))
  const maker = rng.pick(PUMP_MAKERS)
  const base = { buildingId: b.id, builtYear: b.builtYear, public: true }
  const out: Device[] = []
  for (let k = 1; k <= count; k++) {
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'water_pump',
        tail: `${tag}-${k}`,
        model: `${maker.series}${flow}-${head}`,
        position: [b.rect.x0 + (k * (b.rect.x1 - b.rect.x0)) / (count + 1), cy, z],
        spec: {
          brand: maker.brand,
          role: k === count ? 'standby' : 'duty',
          ratedFlowM3h: flow,
          headM: head,
          powerKw: power,
          servedHouseholds: served.households,
          variableFrequency: 1,
        },
      }),
    )
  }
  out.push(
    makeDevice(rng, cid, {
      ...base,
      kind: 'electricity_meter',
      tail: `${tag}-pump`,
      model: MODELS.publicElectricity,
      position: [cx, cy, z],
      spec: { phases: 3, purpose: 'pump', ratedCurrent: '1.5(6)A', comm: 'RS485' },
    }),
    makeDevice(rng, cid, {
      ...base,
      kind: 'water_meter',
      tail: `${tag}-supply`,
      model: MODELS.supplyWater,
      position: [cx, cy, z],
      spec: { caliberMm: 100, purpose: 'supply', comm: 'NB-IoT' },
    }),
  )
  return out
}

/** Every device of one building. `served` gives, for pump rooms, the households and height they supply. */
export function buildingDevices(
  rng: Rng,
  cid: string,
  b: SiteBuilding,
  units: readonly PlacedUnit[],
  served: { households: number; height: number },
): Device[] {
  const tag = b2(b.id)
  const cx = (b.rect.x0 + b.rect.x1) / 2
  const cy = (b.rect.y0 + b.rect.y1) / 2
  const z = b.floors > 0 ? 0 : -b.floorHeight
  const base = { buildingId: b.id, builtYear: b.builtYear }
  const out: Device[] = []
  switch (b.kind) {
    case 'walkup':
    case 'tower':
      out.push(...residentialDevices(rng, cid, b, units))
      break
    case 'commercial':
      out.push(...shopDevices(rng, cid, b, units))
      break
    case 'pump_room':
      out.push(...pumpDevices(rng, cid, b, served))
      break
    case 'clubhouse':
    case 'kindergarten':
    case 'gatehouse': {
      // The clubhouse and gatehouses are the property company's own (public) consumption; the kindergarten is billed.
      const isPublic = b.kind !== 'kindergarten'
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'electricity_meter',
          tail: `${tag}-main`,
          model: MODELS.publicElectricity,
          position: [cx, cy, 0],
          public: isPublic,
          spec: { phases: 3, purpose: 'building', ratedCurrent: '10(60)A', comm: 'RS485' },
        }),
        makeDevice(rng, cid, {
          ...base,
          kind: 'water_meter',
          tail: `${tag}-main`,
          model: MODELS.unitWater,
          position: [cx, cy, 0],
          public: isPublic,
          spec: { caliberMm: 25, purpose: 'building', comm: 'NB-IoT' },
        }),
      )
      const perFloor = b.kind === 'gatehouse' ? 1 : 2
      for (let floor = 1; floor <= b.floors; floor++) {
        for (let k = 1; k <= perFloor; k++) {
          out.push(
            makeDevice(rng, cid, {
              ...base,
              kind: 'smoke_detector',
              tail: `${tag}-f${floor}-${k}`,
              model: MODELS.smoke,
              position: [cx + (k - (perFloor + 1) / 2) * 6, cy, floor * b.floorHeight - 0.1],
              spec: { floor, sensing: 'photoelectric', comm: 'NB-IoT' },
            }),
          )
        }
      }
      break
    }
  }
  if (b.kind !== 'gatehouse') {
    const core = entranceCores(b)[0] as { x: number; y: number }
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'fire_panel',
        tail: tag,
        model: MODELS.firePanel,
        position: [b.kind === 'pump_room' ? cx : core.x, b.kind === 'pump_room' ? cy : core.y, z],
        spec: { loops: b.kind === 'tower' ? 4 : 2, comm: 'RS485' },
      }),
    )
  }
  return out
}
