/**
 * Devices outside buildings: turnstiles per pedestrian lane and barriers per vehicle lane at the gates and garage
 * ramps, people counters at gates and plazas, environment sensors over the open areas, the garage's meter, and
 * street lights every ~27 m along the main and branch roads.
 */
import type { Device, Gate, OpenArea, Vec2 } from './types.ts'
import type { Rng } from './rng.ts'
import type { Rect } from './geometry.ts'
import { boundsOf, pointAlong, polygonArea, polylineLength } from './geometry.ts'
import type { GatePlan, RampPlan, RoadLine } from './site.ts'
import { MODELS, makeDevice } from './device-catalog.ts'
import { GARAGE_LEVEL_HEIGHT } from './parking.ts'

/** Target spacing of street lights along a road, metres. */
const LIGHT_SPACING = 27
/** Lights stand this far beyond the carriageway edge. */
const LIGHT_SETBACK = 0.8
/** One environment sensor per this much green, square metres (at most three per area). */
const GREEN_PER_SENSOR = 2500

export interface SiteDeviceInput {
  readonly communityId: string
  /** Year the estate's grounds were finished (the first phase). */
  readonly builtYear: number
  /** Year the garage was finished (with the towers). */
  readonly garageYear: number
  readonly gates: readonly { readonly gate: Gate; readonly plan: GatePlan }[]
  readonly ramps: readonly RampPlan[]
  readonly garage: Rect
  readonly garageLotIds: readonly string[]
  readonly areas: readonly OpenArea[]
  readonly roads: readonly RoadLine[]
  /** Above-ground footprints that a light must not stand in. */
  readonly footprints: readonly Rect[]
}

function shift(p: Vec2, a: Vec2, da: number, b: Vec2, db: number): Vec2 {
  return [p[0] + a[0] * da + b[0] * db, p[1] + a[1] * da + b[1] * db]
}

function gateDevices(rng: Rng, input: SiteDeviceInput): Device[] {
  const cid = input.communityId
  const out: Device[] = []
  for (const { gate, plan } of input.gates) {
    const tag = gate.id.slice(gate.id.lastIndexOf('-') + 1)
    const base = { gateId: gate.id, builtYear: input.builtYear }
    for (let lane = 1; lane <= gate.lanes; lane++) {
      const across = lane - (gate.lanes + 1) / 2
      if (gate.kind === 'vehicle') {
        const [x, y] = shift(plan.inner, plan.along, across * 3.5, plan.inward, 3)
        out.push(
          makeDevice(rng, cid, {
            ...base,
            kind: 'parking_barrier',
            tail: `${tag}-l${lane}`,
            model: MODELS.barrier,
            position: [x, y, 0],
            spec: { lane, direction: lane % 2 === 1 ? 'in' : 'out', plateRecognition: 1 },
          }),
        )
      } else {
        const [x, y] = shift(plan.inner, plan.along, across * 1.2, plan.inward, 1)
        out.push(
          makeDevice(rng, cid, {
            ...base,
            kind: 'access_gate',
            tail: `${tag}-l${lane}`,
            model: MODELS.turnstile,
            position: [x, y, 0],
            spec: { lane, type: 'flap', auth: 'face+card' },
          }),
        )
      }
    }
    const [x, y] = shift(plan.inner, plan.along, 0, plan.inward, 2)
    out.push(
      makeDevice(rng, cid, {
        ...base,
        kind: 'people_counter',
        tail: tag,
        model: MODELS.peopleCounter,
        position: [x, y, 2.8],
        spec: { method: 'stereo-vision', mountHeightM: 2.8 },
      }),
    )
  }
  return out
}

function garageDevices(rng: Rng, input: SiteDeviceInput): Device[] {
  const cid = input.communityId
  const lotId = input.garageLotIds[0] as string
  const lotTag = lotId.slice(lotId.lastIndexOf('-') + 1)
  const out: Device[] = []
  const base = { lotId, builtYear: input.garageYear }
  input.ramps.forEach((ramp, i) => {
    // Ramps run east–west; the two lanes (in and out) sit side by side north and south of the centreline.
    for (let lane = 1; lane <= 2; lane++) {
      const y = ramp.bottom[1] + (lane === 1 ? -1.75 : 1.75)
      out.push(
        makeDevice(rng, cid, {
          ...base,
          kind: 'parking_barrier',
          tail: `${lotTag}-r${i + 1}-l${lane}`,
          model: MODELS.barrier,
          position: [ramp.bottom[0], y, -GARAGE_LEVEL_HEIGHT],
          spec: { lane, direction: lane === 1 ? 'in' : 'out', plateRecognition: 1 },
        }),
      )
    }
  })
  const cx = (input.garage.x0 + input.garage.x1) / 2
  const cy = (input.garage.y0 + input.garage.y1) / 2
  input.garageLotIds.forEach((id, i) => {
    const tag = id.slice(id.lastIndexOf('-') + 1)
    out.push(
      makeDevice(rng, cid, {
        lotId: id,
        builtYear: input.garageYear,
        kind: 'electricity_meter',
        tail: `${tag}-main`,
        model: MODELS.publicElectricity,
        position: [cx, cy, -(i + 1) * GARAGE_LEVEL_HEIGHT],
        public: true,
        spec: { phases: 3, purpose: 'garage', ratedCurrent: '1.5(6)A', comm: 'RS485' },
      }),
    )
  })
  return out
}

function areaDevices(rng: Rng, input: SiteDeviceInput): Device[] {
  const cid = input.communityId
  const out: Device[] = []
  for (const area of input.areas) {
    const tag = area.id.slice(area.id.lastIndexOf('-') + 1)
    const r = boundsOf(area.polygon)
    const sensors =
      area.kind === 'waste_station'
        ? 0
        : area.kind === 'green_belt'
          ? Math.min(3, Math.max(1, Math.round(polygonArea(area.polygon) / GREEN_PER_SENSOR)))
          : area.kind === 'plaza'
            ? 2
            : 1
    for (let k = 0; k < sensors; k++) {
      const x = r.x0 + ((k + 0.5) * (r.x1 - r.x0)) / sensors
      out.push(
        makeDevice(rng, cid, {
          builtYear: input.builtYear,
          kind: 'env_sensor',
          tail: `${tag}-${k + 1}`,
          model: MODELS.envSensor,
          position: [x, (r.y0 + r.y1) / 2, 3],
          spec: { metrics: 'temperature,humidity,pm25,noise', comm: 'LoRaWAN' },
        }),
      )
    }
    if (area.kind === 'plaza') {
      for (let k = 1; k <= 2; k++) {
        const x = k === 1 ? r.x0 + 2 : r.x1 - 2
        out.push(
          makeDevice(rng, cid, {
            builtYear: input.builtYear,
            kind: 'people_counter',
            tail: `${tag}-${k}`,
            model: MODELS.peopleCounter,
            position: [x, r.y0 + 2, 4],
            spec: { method: 'stereo-vision', mountHeightM: 4 },
          }),
        )
      }
    }
  }
  return out
}

function lightDevices(rng: Rng, input: SiteDeviceInput): Device[] {
  const cid = input.communityId
  const out: Device[] = []
  const blocked = (p: Vec2) =>
    input.footprints.some(
      (f) => p[0] > f.x0 - 0.5 && p[0] < f.x1 + 0.5 && p[1] > f.y0 - 0.5 && p[1] < f.y1 + 0.5,
    )
  for (const road of input.roads) {
    if (road.lights === 'none') continue
    const length = polylineLength(road.points)
    const count = Math.max(1, Math.round(length / LIGHT_SPACING))
    const side = road.lights === 'left' ? 1 : -1
    const reach = road.width / 2 + LIGHT_SETBACK
    for (let k = 0; k < count; k++) {
      const { point, dir } = pointAlong(road.points, ((k + 0.5) * length) / count)
      // Left of the travel direction is the direction rotated a quarter turn anticlockwise.
      const p: Vec2 = [point[0] - dir[1] * reach * side, point[1] + dir[0] * reach * side]
      if (blocked(p)) continue
      out.push(
        makeDevice(rng, cid, {
          builtYear: input.builtYear,
          kind: 'street_light',
          tail: String(out.length + 1).padStart(4, '0'),
          model: MODELS.streetLight,
          position: [p[0], p[1], 6],
          spec: { powerW: 60, poleHeightM: 6, control: 'NB-IoT' },
        }),
      )
    }
  }
  return out
}

/** Every device outside the buildings. */
export function siteDevices(rng: Rng, input: SiteDeviceInput): Device[] {
  return [
    ...gateDevices(rng, input),
    ...garageDevices(rng, input),
    ...areaDevices(rng, input),
    ...lightDevices(rng, input),
  ]
}
