/**
 * Wires one community into actors: the site index and climate, household and public consumption curves, a
 * register and an actor per meter, an actor per building entrance (door stations and lifts), per pump room, per
 * gate or garage ramp, and per ambient device. Each actor gets its own random stream keyed by (seed, what it is),
 * so what one device reports does not depend on which other devices exist.
 */
import type { Community, Device } from '../../data/index.ts'
import {
  EnvSensorActor,
  FirePanelActor,
  PlazaCounterActor,
  SmokeDetectorActor,
  StreetLightActor,
} from './ambient.ts'
import type { AmbientContext } from './ambient.ts'
import { DAY, EPOCH } from './calendar.ts'
import { SeasonTable, createClimate } from './climate.ts'
import { HealthTrack } from './degradation.ts'
import { Demand } from './demand.ts'
import { liftLifetime, liftSpec, liftTraits } from './elevator.ts'
import { EntranceActor } from './entrance.ts'
import type { InjectedFault } from './faults.ts'
import { GateActor } from './gate.ts'
import { LiftCar } from './lift-car.ts'
import { householdProfiles, publicProfile, sumProfiles } from './load-profiles.ts'
import type { PublicMeterContext } from './load-profiles.ts'
import { GridVoltage, MeterActor, MeterBank } from './meter.ts'
import type { ReportingPeriods } from './periods.ts'
import { pumpSpec, pumpTraits } from './pump.ts'
import { PumpRoomActor, lifetimeCounters } from './pump-room.ts'
import { Register } from './register.ts'
import type { LoadProfile } from './register.ts'
import { Rng, keyOf, unitHash } from './rng.ts'
import type { Actor } from './scheduler.ts'
import { SiteIndex } from './site-index.ts'

export interface CommunityWiring {
  readonly community: Community
  readonly seed: number
  readonly start: number
  readonly end: number
  readonly periods: ReportingPeriods
  /** Index of a device id in the simulation's device table. */
  readonly indexOf: ReadonlyMap<string, number>
  /** Whether a device's messages are kept. */
  readonly included: (device: Device) => boolean
  readonly faultsOf: (deviceId: string) => readonly InjectedFault[]
}

function ageYears(device: Device, t: number): number {
  return Math.max(0, (t - Date.parse(device.installDate)) / (365.2425 * DAY))
}

/** Every actor of one community. */
export function communityActors(w: CommunityWiring): Actor[] {
  const c = w.community
  const site = new SiteIndex(c)
  const climate = createClimate(c.anchor.lat, c.anchor.lon, keyOf(w.seed, 'climate', c.id))
  const table = new SeasonTable(climate)
  const renovations = c.devices.flatMap((d) =>
    w.faultsOf(d.id).filter((f) => f.fault === 'renovation_traffic'),
  )
  const demand = new Demand(site, w.seed, renovations)
  const idx = (d: Device | null | undefined) => (d ? (w.indexOf.get(d.id) ?? -1) : -1)
  const key = (d: Device) => keyOf(w.seed, 'device', d.id)
  const rngOf = (d: Device) => new Rng(keyOf(w.seed, 'stream', d.id))
  const actors: Actor[] = []

  // Consumption curves: households from their residents, pump rooms from the households they serve.
  const waterByBuilding = new Map<string, LoadProfile[]>()
  const profiles = new Map<string, { electricity: LoadProfile; water: LoadProfile }>()
  for (const h of site.households) {
    const p = householdProfiles(
      h.residents,
      h.unit.bedrooms,
      new Rng(keyOf(w.seed, 'household', h.household.id)),
    )
    profiles.set(h.unit.id, p)
    const list = waterByBuilding.get(h.unit.buildingId)
    if (list) list.push(p.water)
    else waterByBuilding.set(h.unit.buildingId, [p.water])
  }
  const servedWater = new Map<string, LoadProfile>()
  for (const b of c.buildings) {
    if (b.kind !== 'pump_room') continue
    servedWater.set(
      b.id,
      sumProfiles(
        (b.servedBuildingIds ?? []).flatMap((id) => waterByBuilding.get(id) ?? []),
        0.1,
      ),
    )
  }
  const grid = new GridVoltage(keyOf(w.seed, 'grid', c.id))
  const publicContext = (d: Device): PublicMeterContext => {
    const building = d.buildingId ? site.buildingById.get(d.buildingId) : undefined
    const lift = /-e(\d+)-lift$/.exec(d.id)?.[1]
    const sameBuilding = (x: Device) => x.buildingId !== null && x.buildingId === d.buildingId
    return {
      elevators: lift
        ? c.devices.filter(
            (x) => x.kind === 'elevator' && sameBuilding(x) && String(x.spec.entrance) === lift,
          ).length
        : 0,
      floors: building?.floors ?? 1,
      servedWater: (d.buildingId && servedWater.get(d.buildingId)) || null,
      pumpHeadM: Number(c.devices.find((x) => x.kind === 'water_pump' && sameBuilding(x))?.spec.headM ?? 60),
      spaces: d.lotId ? c.parkingSpaces.filter((s) => s.lotId === d.lotId).length : 0,
      buildingKind: building?.kind ?? null,
    }
  }

  const meters = new Map<number, MeterActor[]>()
  for (const d of c.devices) {
    if ((d.kind !== 'electricity_meter' && d.kind !== 'water_meter') || !w.included(d)) continue
    const water = d.kind === 'water_meter'
    const household = d.unitId ? profiles.get(d.unitId) : undefined
    const profile = household
      ? water
        ? household.water
        : household.electricity
      : publicProfile(d, publicContext(d), rngOf(d))
    const k = key(d)
    const leaks = w
      .faultsOf(d.id)
      .filter((f) => f.fault === 'meter_leak')
      .map((f) => ({ start: f.onset, end: f.end, rate: Number(f.detail.rateM3h ?? 0.02) }))
    // Readings at EPOCH: a few years of use before the simulated period.
    const offset = water ? 20 + 600 * unitHash(k, 9) : 300 + 9000 * unitHash(k, 9)
    const period = d.unitId
      ? water
        ? w.periods.householdWater
        : w.periods.householdElectricity
      : water
        ? w.periods.publicWater
        : w.periods.publicElectricity
    const meter = new MeterActor({
      device: idx(d),
      water,
      register: new Register(profile, climate, table, k, offset, leaks),
      period,
      start: w.start,
      key: k,
      grid,
      threePhase: Number(d.spec.phases ?? 1) === 3,
      installed: Date.parse(d.installDate),
    })
    const bank = meters.get(period)
    if (bank) bank.push(meter)
    else meters.set(period, [meter])
  }
  for (const bank of meters.values()) actors.push(new MeterBank(bank))

  for (const e of site.entrances) {
    const devices = [...e.elevators, e.groundDoor, e.basementDoor].filter((d): d is Device => d !== null)
    if (!devices.some(w.included)) continue
    actors.push(
      new EntranceActor({
        site: e,
        demand,
        climate,
        periods: w.periods,
        start: w.start,
        end: w.end,
        key: keyOf(w.seed, 'entrance', e.building.id, e.entrance),
        doors: { ground: idx(e.groundDoor), basement: idx(e.basementDoor) },
        cars: e.elevators.map((d) => {
          const k = key(d)
          const spec = liftSpec(d, e.building)
          const rng = rngOf(d)
          return {
            car: new LiftCar(
              idx(d),
              spec,
              liftTraits(rng, ageYears(d, w.start)),
              rng,
              w.start,
              climate.outdoorC(w.start) + 5,
              liftLifetime(ageYears(d, w.start), rng),
            ),
            health: new HealthTrack(w.faultsOf(d.id), k),
            key: k,
          }
        }),
      }),
    )
  }

  for (const b of c.buildings) {
    if (b.kind !== 'pump_room') continue
    const pumps = c.devices.filter((d) => d.kind === 'water_pump' && d.buildingId === b.id)
    if (!pumps.some(w.included)) continue
    actors.push(
      new PumpRoomActor({
        demand: servedWater.get(b.id) ?? sumProfiles([], 0.1),
        climate,
        periods: w.periods,
        start: w.start,
        end: w.end,
        key: keyOf(w.seed, 'pump-room', b.id),
        pumps: pumps.map((d) => {
          const k = key(d)
          const rng = rngOf(d)
          const counters = lifetimeCounters(ageYears(d, w.start), pumps.length, k)
          return {
            device: idx(d),
            spec: pumpSpec(d),
            traits: pumpTraits(rng, ageYears(d, w.start)),
            health: new HealthTrack(w.faultsOf(d.id), k),
            rng,
            key: k,
            runHours0: counters.runHours,
            starts0: counters.starts,
          }
        }),
      }),
    )
  }

  for (const p of site.points) {
    const devices = [...p.turnstiles, ...p.barriersIn, ...p.barriersOut, ...(p.counter ? [p.counter] : [])]
    if (!devices.some(w.included)) continue
    actors.push(
      new GateActor({
        point: p.index,
        demand,
        periods: w.periods,
        start: w.start,
        key: keyOf(w.seed, 'point', p.id),
        rng: new Rng(keyOf(w.seed, 'point-stream', p.id)),
        turnstiles: p.turnstiles.map(idx),
        barriersIn: p.barriersIn.map(idx),
        barriersOut: p.barriersOut.map(idx),
        counter: idx(p.counter),
      }),
    )
  }

  const ambient: AmbientContext = {
    climate,
    communityKey: keyOf(w.seed, 'air', c.id),
    latitude: c.anchor.lat,
  }
  const plazas = new Set(
    c.areas.filter((a) => a.kind === 'plaza').map((a) => a.id.slice(a.id.lastIndexOf('-') + 1)),
  )
  for (const d of c.devices) {
    if (!w.included(d)) continue
    const i = idx(d)
    const k = key(d)
    const p = w.periods
    switch (d.kind) {
      case 'env_sensor': {
        const area = /-es-(a\d+)-/.exec(d.id)?.[1] ?? ''
        actors.push(new EnvSensorActor(i, p.envSensor, w.start, k, ambient, plazas.has(area)))
        break
      }
      case 'street_light':
        actors.push(new StreetLightActor(i, p.streetLight, w.start, k, climate))
        break
      case 'smoke_detector':
        actors.push(
          new SmokeDetectorActor(i, p.smokeDetector, w.start, k, climate, Date.parse(d.installDate)),
        )
        break
      case 'fire_panel':
        actors.push(new FirePanelActor(i, p.firePanel, w.start, k))
        break
      case 'people_counter':
        if (!d.gateId)
          actors.push(new PlazaCounterActor(i, p.peopleCounter, w.start, k, c.residents.length, rngOf(d)))
        break
      case 'electricity_meter':
      case 'water_meter':
      case 'elevator':
      case 'water_pump':
      case 'access_gate':
      case 'parking_barrier':
        // Meters, lifts, pumps, doors, gates and barriers belong to the actors above.
        break
    }
  }
  return actors
}

/** Earliest start the simulator accepts (its calendar, climate tables and registers begin there). */
export const EARLIEST_START = EPOCH
