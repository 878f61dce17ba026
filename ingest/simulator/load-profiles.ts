/**
 * Mean consumption curves for every meter: a household's electricity and water from who lives there (the hours
 * they are home and awake, from the same routines that drive the movements), and the public meters' curves by
 * purpose (stair lighting, lifts, pumps, garage, clubhouse, kindergarten, gatehouse, shops, the pump room's supply).
 * Curves are kW or m³/h by local hour for weekdays and weekends; `Register` turns them into readings.
 */
import type { Device, Resident } from '../../data/index.ts'
import type { LoadProfile, Texture } from './register.ts'
import { awayShare } from './routines.ts'
import type { Rng } from './rng.ts'

/** Share of an hour a person at home is awake. */
const AWAKE = [
  0.04, 0.02, 0.02, 0.02, 0.02, 0.1, 0.55, 0.95, 1, 1, 1, 1, 1, 0.85, 0.95, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.35,
]
/** Electricity use of an awake person at home relative to the day's average: breakfast, lunch, the evening. */
const POWER_ACTIVITY = [
  0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 1.2, 1.5, 1.0, 0.7, 0.7, 1.0, 1.2, 0.8, 0.6, 0.6, 0.7, 1.0, 1.4, 1.6, 1.6,
  1.4, 1.0, 0.6,
]
/** Water use of an awake person at home, m³/h: morning wash, cooking, evening showers. */
const WATER_ACTIVITY = [
  0.002, 0.001, 0.001, 0.001, 0.001, 0.004, 0.03, 0.035, 0.015, 0.008, 0.008, 0.012, 0.015, 0.006, 0.005,
  0.005, 0.006, 0.012, 0.018, 0.025, 0.03, 0.03, 0.018, 0.008,
]
/** Water use of a sleeping person, m³/h (the occasional night-time flush). */
const WATER_ASLEEP = 0.0012
/** Flow of one running tap or shower, m³/h. */
const TAP_FLOW = 0.45

function profile(
  weekday: ArrayLike<number>,
  weekend: ArrayLike<number>,
  options: { seasonal: number; dayNoise: number; texture: Texture; burstRate?: number },
): LoadProfile {
  return {
    weekday: Float64Array.from(weekday),
    weekend: Float64Array.from(weekend),
    seasonal: options.seasonal,
    dayNoise: options.dayNoise,
    texture: options.texture,
    burstRate: options.burstRate ?? 1,
  }
}

function byHour(f: (hour: number) => number): Float64Array {
  return Float64Array.from({ length: 24 }, (_, h) => f(h))
}

/** Expected people at home (awake, asleep) per hour for a set of residents. */
function presence(
  residents: readonly Resident[],
  weekend: boolean,
): { awake: Float64Array; asleep: Float64Array } {
  const awake = new Float64Array(24)
  const asleep = new Float64Array(24)
  for (const r of residents) {
    const away = awayShare(r.occupation, weekend)
    for (let h = 0; h < 24; h++) {
      const home = 1 - (away[h] as number)
      awake[h] = (awake[h] as number) + home * (AWAKE[h] as number)
      asleep[h] = (asleep[h] as number) + home * (1 - (AWAKE[h] as number))
    }
  }
  return { awake, asleep }
}

/** A household's electricity (kW) and water (m³/h) curves. Vacant units keep a fridge-less standby and no water. */
export function householdProfiles(
  residents: readonly Resident[],
  bedrooms: number,
  rng: Rng,
): { electricity: LoadProfile; water: LoadProfile } {
  if (residents.length === 0) {
    const standby = rng.uniform(0.005, 0.03)
    const flat = byHour(() => standby)
    return {
      electricity: profile(flat, flat, { seasonal: 0, dayNoise: 0.1, texture: 'smooth' }),
      water: profile(new Float64Array(24), new Float64Array(24), {
        seasonal: 0,
        dayNoise: 0,
        texture: 'bursty',
      }),
    }
  }
  // Calibrated to 8–10 kWh a day for a typical household in spring, about half as much again in high summer.
  const base = 0.04 + 0.02 * bedrooms + rng.uniform(0, 0.04)
  const perPerson = rng.uniform(0.12, 0.22)
  const airCon = rng.uniform(0.3, 0.9) * (0.6 + 0.2 * bedrooms)
  const thirst = rng.uniform(0.45, 0.85)
  const curves = (weekend: boolean) => {
    const { awake, asleep } = presence(residents, weekend)
    return {
      power: byHour((h) => base + (awake[h] as number) * (POWER_ACTIVITY[h] as number) * perPerson),
      water: byHour(
        (h) =>
          thirst *
          ((awake[h] as number) * (WATER_ACTIVITY[h] as number) + (asleep[h] as number) * WATER_ASLEEP),
      ),
    }
  }
  const weekday = curves(false)
  const weekend = curves(true)
  return {
    electricity: profile(weekday.power, weekend.power, {
      seasonal: airCon,
      dayNoise: 0.3,
      texture: 'appliance',
    }),
    water: profile(weekday.water, weekend.water, {
      seasonal: 0.15,
      dayNoise: 0.25,
      texture: 'bursty',
      burstRate: TAP_FLOW,
    }),
  }
}

/** Sum of several curves (a pump room's supply is the sum of the households it serves), smooth texture. */
export function sumProfiles(profiles: readonly LoadProfile[], dayNoise: number): LoadProfile {
  const weekday = new Float64Array(24)
  const weekend = new Float64Array(24)
  let seasonal = 0
  let total = 0
  for (const p of profiles) {
    let day = 0
    for (let h = 0; h < 24; h++) {
      weekday[h] = (weekday[h] as number) + (p.weekday[h] as number)
      weekend[h] = (weekend[h] as number) + (p.weekend[h] as number)
      day += p.weekday[h] as number
    }
    seasonal += p.seasonal * day
    total += day
  }
  return profile(weekday, weekend, {
    seasonal: total > 0 ? seasonal / total : 0,
    dayNoise,
    texture: 'smooth',
  })
}

/** Relative lift traffic by hour: the morning and evening rush, deliveries at meal times. */
export const LIFT_TRAFFIC_WEEKDAY = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.05, 0.35, 0.9, 0.7, 0.35, 0.3, 0.45, 0.5, 0.35, 0.3, 0.35, 0.45, 0.6, 0.9,
  0.85, 0.6, 0.4, 0.2, 0.08,
]
export const LIFT_TRAFFIC_WEEKEND = [
  0.03, 0.02, 0.01, 0.01, 0.01, 0.03, 0.12, 0.3, 0.5, 0.6, 0.6, 0.6, 0.55, 0.45, 0.45, 0.5, 0.55, 0.6, 0.65,
  0.6, 0.5, 0.35, 0.2, 0.08,
]

/** What a public meter needs to know about what it measures. */
export interface PublicMeterContext {
  /** Lifts behind a lift meter. */
  readonly elevators: number
  /** Floors of the building (stair lighting grows with height). */
  readonly floors: number
  /** For pump-room meters: the demand of the households served (m³/h) and the pumps' head. */
  readonly servedWater: LoadProfile | null
  readonly pumpHeadM: number
  /** Parking spaces in a garage. */
  readonly spaces: number
  /** Kind of the building the meter is in, if any. */
  readonly buildingKind: string | null
}

/** The curve of a public or non-household meter, chosen by its purpose (spec.purpose) and kind. */
export function publicProfile(device: Device, ctx: PublicMeterContext, rng: Rng): LoadProfile {
  const purpose = String(device.spec.purpose ?? 'shop')
  const water = device.kind === 'water_meter'
  const scale = rng.uniform(0.8, 1.25)
  if (water) {
    if (purpose === 'supply' && ctx.servedWater) return sumProfiles([ctx.servedWater], 0.12)
    if (purpose === 'building') {
      const open = (from: number, to: number) => byHour((h) => scale * (h >= from && h < to ? 0.18 : 0.004))
      const weekday = ctx.buildingKind === 'gatehouse' ? open(6, 22) : open(8, 20)
      const weekend = ctx.buildingKind === 'kindergarten' ? open(0, 0) : weekday
      return profile(weekday, weekend, { seasonal: 0.2, dayNoise: 0.2, texture: 'bursty', burstRate: 1.2 })
    }
    const shop = byHour((h) => scale * (h >= 9 && h < 22 ? 0.05 : 0.002))
    return profile(shop, shop, { seasonal: 0.1, dayNoise: 0.25, texture: 'bursty', burstRate: TAP_FLOW })
  }
  switch (purpose) {
    case 'lighting': {
      // Motion-sensor stair lights: on in the evening and at night, a little by day in the stairwell.
      const perFloor = 0.012 * ctx.floors * scale
      const night = byHour((h) => perFloor * (h < 6 ? 0.6 : h < 7 ? 0.35 : h < 18 ? 0.08 : h < 23 ? 1 : 0.75))
      return profile(night, night, { seasonal: 0, dayNoise: 0.08, texture: 'smooth' })
    }
    case 'elevator': {
      const n = Math.max(1, ctx.elevators)
      const lift = (traffic: readonly number[]) =>
        byHour((h) => n * (0.35 + 2.4 * scale * (traffic[h] as number)))
      return profile(lift(LIFT_TRAFFIC_WEEKDAY), lift(LIFT_TRAFFIC_WEEKEND), {
        seasonal: 0.05,
        dayNoise: 0.12,
        texture: 'appliance',
      })
    }
    case 'pump': {
      const served = ctx.servedWater
      const kw = (flows: Float64Array | undefined) =>
        byHour((h) => 0.3 + ((flows?.[h] ?? 0) * ctx.pumpHeadM) / (367 * 0.55))
      return profile(kw(served?.weekday), kw(served?.weekend), {
        seasonal: served?.seasonal ?? 0,
        dayNoise: 0.1,
        texture: 'smooth',
      })
    }
    case 'garage': {
      const evening = (h: number) => (h >= 18 && h < 24 ? 1 : h < 6 ? 0.6 : 0.1)
      const garage = byHour((h) => scale * (4 + 0.004 * ctx.spaces + 0.02 * ctx.spaces * evening(h)))
      return profile(garage, garage, { seasonal: 0.15, dayNoise: 0.1, texture: 'smooth' })
    }
    case 'building': {
      // Gatehouses run around the clock; the kindergarten on weekdays; the clubhouse from morning to evening.
      if (ctx.buildingKind === 'gatehouse') {
        const flat = byHour((h) => scale * (h >= 19 || h < 6 ? 0.9 : 0.6))
        return profile(flat, flat, { seasonal: 0.6, dayNoise: 0.1, texture: 'appliance' })
      }
      if (ctx.buildingKind === 'kindergarten') {
        const open = byHour((h) => scale * (h >= 7 && h < 18 ? 9 : 1.2))
        const closed = byHour(() => scale * 1.2)
        return profile(open, closed, { seasonal: 0.5, dayNoise: 0.12, texture: 'appliance' })
      }
      const club = byHour((h) => scale * (h >= 9 && h < 21 ? 6 : 1))
      return profile(club, club, { seasonal: 0.5, dayNoise: 0.15, texture: 'appliance' })
    }
    default: {
      // A shop under the towers (底商): open 9–22 every day.
      const shop = byHour((h) => scale * (h >= 9 && h < 22 ? 3.5 : 0.35))
      return profile(shop, shop, { seasonal: 0.7, dayNoise: 0.2, texture: 'appliance' })
    }
  }
}
