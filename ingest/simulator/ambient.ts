/**
 * Devices that report on a fixed clock and depend on the weather or the hour rather than on individual residents:
 * environment sensors (temperature, humidity, PM2.5, noise, with evening square dancing on plazas), street lights
 * (on at dusk, dimmed after 23:00, `light.on` / `light.off` events), smoke detectors (hourly heartbeat, rare
 * cooking false alarms), fire panels, and the plaza people counters (morning exercise, children after school,
 * evening dancing).
 */
import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  dayOf,
  dayOfYear,
  dayStart,
  hourOf,
  isWeekend,
  nextOnGrid,
} from './calendar.ts'
import type { Climate } from './climate.ts'
import type { Emitter } from './emitter.ts'
import { telemetryShape } from './payload.ts'
import { signedHash, smoothNoise, unitHash } from './rng.ts'
import type { Rng } from './rng.ts'
import type { Actor } from './scheduler.ts'

export const ENV_SHAPE = telemetryShape({ temperature_c: 1, humidity_pct: 1, pm25_ugm3: 0, noise_db: 1 })
export const LIGHT_SHAPE = telemetryShape({ lamp_on: 0, dimming_pct: 0, power_w: 1 })
export const SMOKE_SHAPE = telemetryShape({ smoke_db_m: 3, temperature_c: 1, battery_v: 2 })
export const FIRE_PANEL_SHAPE = telemetryShape({
  alarms_active: 0,
  faults_active: 0,
  supply_v: 2,
  battery_v: 2,
})
export const PLAZA_COUNTER_SHAPE = telemetryShape({ present: 0, in_count: 0, out_count: 0 })

/** A device that reports every `period` and may have events at other times. */
abstract class Periodic implements Actor {
  next = 0
  private tick: number
  protected eventAt = Infinity

  constructor(
    protected readonly device: number,
    private readonly period: number,
    start: number,
    key: number,
  ) {
    this.tick = nextOnGrid(start, period, Math.floor(unitHash(key, 7) * (period / SECOND)) * SECOND)
  }

  /** Call at the end of the subclass constructor, once `eventAt` is set. */
  protected begin(): void {
    this.next = Math.min(this.tick, this.eventAt)
  }

  step(out: Emitter): void {
    const t = this.next
    if (t === this.eventAt) this.onEvent(out, t)
    if (t === this.tick) {
      this.report(out, t)
      this.tick = t + this.period
    }
    this.next = Math.min(this.tick, this.eventAt)
  }

  protected abstract report(out: Emitter, t: number): void
  /** Handles the event at `eventAt` and sets the next one. */
  protected onEvent(_out: Emitter, _t: number): void {
    this.eventAt = Infinity
  }
}

/** Shared context of ambient devices. */
export interface AmbientContext {
  readonly climate: Climate
  /** Community-wide key (pollution episodes). */
  readonly communityKey: number
  readonly latitude: number
}

export class EnvSensorActor extends Periodic {
  private readonly values = new Float64Array(4)
  private readonly offsetC: number

  constructor(
    device: number,
    period: number,
    start: number,
    private readonly key: number,
    private readonly ctx: AmbientContext,
    private readonly plaza: boolean,
  ) {
    super(device, period, start, key)
    this.offsetC = 0.8 * signedHash(key, 1) - (plaza ? 0 : 0.4)
    this.begin()
  }

  protected report(out: Emitter, t: number): void {
    const c = this.ctx
    const h = hourOf(t)
    const winter = Math.max(0, Math.cos((2 * Math.PI * (dayOfYear(t) - 15)) / 365.2425))
    const base = 18 + 0.9 * Math.max(0, c.latitude - 28) * (1 + winter)
    const episode = 1 + 0.7 * smoothNoise(c.communityKey, t / (2 * DAY))
    const v = this.values
    v[0] = c.climate.outdoorC(t) + this.offsetC + 0.15 * signedHash(this.key, t / MINUTE)
    v[1] = c.climate.humidityPct(t) + 1.5 * signedHash(this.key, t / MINUTE + 1e6)
    v[2] = Math.max(
      3,
      base * episode * (h < 7 || h > 21 ? 1.15 : 1) + 3 * signedHash(this.key, t / MINUTE + 2e6),
    )
    const activity = h < 6 ? 0 : h < 7 ? 0.5 : h < 22 ? 1 : 0.4
    const dancing = this.plaza && h >= 19 && h < 21 ? 14 : 0
    v[3] = 37 + 14 * activity + dancing + 2.5 * signedHash(this.key, t / MINUTE + 3e6)
    out.telemetry(this.device, t, ENV_SHAPE, v)
  }
}

export class StreetLightActor extends Periodic {
  private readonly values = new Float64Array(3)

  constructor(
    device: number,
    period: number,
    start: number,
    private readonly key: number,
    private readonly climate: Climate,
  ) {
    super(device, period, start, key)
    this.eventAt = this.transitionAfter(start - 1)
    this.begin()
  }

  /** The first dusk or dawn switching time after `t`. */
  private transitionAfter(t: number): number {
    const day = dayOf(t)
    let best = Infinity
    for (let d = day; d <= day + 1; d++) {
      const { rise, set } = this.climate.sunHours(d)
      for (const h of [rise - 0.25, set + 0.25]) {
        const at = Math.round(dayStart(d) + h * HOUR + 60 * SECOND * signedHash(this.key, d))
        if (at > t && at < best) best = at
      }
    }
    return best
  }

  private dimming(t: number): number {
    const h = hourOf(t)
    return h >= 23 || h < 5 ? 50 : 100
  }

  protected override onEvent(out: Emitter, t: number): void {
    out.event(this.device, t, this.climate.isDark(t + MINUTE) ? 'light.on' : 'light.off', {
      reason: 'schedule',
    })
    this.eventAt = this.transitionAfter(t)
  }

  protected report(out: Emitter, t: number): void {
    const on = this.climate.isDark(t)
    const v = this.values
    v[0] = on ? 1 : 0
    v[1] = on ? this.dimming(t) : 0
    v[2] = on ? 60 * (v[1] / 100) * (1 + 0.02 * signedHash(this.key, t / MINUTE)) + 1.2 : 1.2
    out.telemetry(this.device, t, LIGHT_SHAPE, v)
  }
}

/** About one cooking false alarm per detector every five years. */
const SMOKE_ALARMS_PER_DAY = 1 / (5 * 365)

export class SmokeDetectorActor extends Periodic {
  private readonly values = new Float64Array(3)
  private alarm: { start: number; end: number } | null = null

  constructor(
    device: number,
    period: number,
    start: number,
    private readonly key: number,
    private readonly climate: Climate,
    private readonly installed: number,
  ) {
    super(device, period, start, key)
    this.planFrom(start)
    this.begin()
  }

  /** The next alarm on or after `t`'s day (searching a few weeks ahead), as a pure function of the day. */
  private planFrom(t: number): void {
    this.alarm = null
    this.eventAt = Infinity
    for (let d = dayOf(t); d < dayOf(t) + 60; d++) {
      if (unitHash(this.key, d) >= SMOKE_ALARMS_PER_DAY) continue
      const start = Math.round(dayStart(d) + (7 + 14 * unitHash(this.key, -d)) * HOUR)
      if (start < t) continue
      this.alarm = { start, end: start + Math.round((2 + 6 * unitHash(this.key, d + 1e6)) * MINUTE) }
      this.eventAt = start
      return
    }
    this.eventAt = dayStart(dayOf(t) + 60)
  }

  protected override onEvent(out: Emitter, t: number): void {
    const a = this.alarm
    if (a && t === a.start) {
      out.event(this.device, t, 'alarm.smoke', { level: 'alarm' })
      this.eventAt = a.end
    } else if (a && t === a.end) {
      out.event(this.device, t, 'alarm.cleared', {})
      this.planFrom(t + 1)
    } else this.planFrom(t)
  }

  protected report(out: Emitter, t: number): void {
    const a = this.alarm
    const alarming = a !== null && t >= a.start && t < a.end
    const years = Math.max(0, (t - this.installed) / (365 * DAY))
    const v = this.values
    v[0] = (alarming ? 0.35 : 0.03) + 0.008 * signedHash(this.key, t / HOUR)
    v[1] = 20 + 0.4 * (this.climate.outdoorC(t) - 18) + 0.5 * signedHash(this.key, t / HOUR + 1e6)
    v[2] = Math.max(2.6, 3.05 - 0.04 * years + 0.02 * signedHash(this.key, 3))
    out.telemetry(this.device, t, SMOKE_SHAPE, v)
  }
}

export class FirePanelActor extends Periodic {
  private readonly values = new Float64Array(4)

  constructor(
    device: number,
    period: number,
    start: number,
    private readonly key: number,
  ) {
    super(device, period, start, key)
    this.begin()
  }

  protected report(out: Emitter, t: number): void {
    const v = this.values
    v[0] = 0
    v[1] = 0
    v[2] = 24.1 + 0.08 * signedHash(this.key, t / MINUTE)
    v[3] = 26.8 + 0.15 * signedHash(this.key, 1) + 0.03 * signedHash(this.key, t / HOUR)
    out.telemetry(this.device, t, FIRE_PANEL_SHAPE, v)
  }
}

/** Expected share of residents in a plaza, by hour: exercise at dawn, children after school, dancing at night. */
function plazaShare(h: number, weekend: boolean): number {
  const bump = (centre: number, width: number) => Math.exp(-(((h - centre) / width) ** 2))
  const base = 0.012 * bump(7, 1) + 0.004 * bump(10, 1.5) + 0.007 * bump(16.5, 1) + 0.02 * bump(20, 0.8)
  return (weekend ? 1.4 : 1) * base + 0.0005
}

export class PlazaCounterActor extends Periodic {
  private readonly values = new Float64Array(3)

  constructor(
    device: number,
    period: number,
    start: number,
    key: number,
    private readonly residents: number,
    private readonly rng: Rng,
  ) {
    super(device, period, start, key)
    this.begin()
  }

  protected report(out: Emitter, t: number): void {
    const mean = this.residents * plazaShare(hourOf(t), isWeekend(dayOf(t))) * 0.5
    const v = this.values
    v[0] = this.rng.poisson(mean)
    v[1] = this.rng.poisson(mean * 0.15)
    v[2] = this.rng.poisson(mean * 0.15)
    out.telemetry(this.device, t, PLAZA_COUNTER_SHAPE, v)
  }
}
