/**
 * The stream alarm engine: a stream observer (structurally the ingest's `StreamObserver`) that evaluates alarm
 * rules on every accepted message in O(1) — two Map lookups to find the rules of the device's kind and id, typed
 * arrays for per-(rule, device) state, nothing allocated when no rule matches. Conditions that start or end are
 * handed to an `AlarmSink` (the alarm service, which writes PostgreSQL off the hot path).
 *
 * Stale/offline detection runs on a timer (`checkStale`, with an injected clock), not per message: a message only
 * stamps its device's slot.
 */
import { buildIndex, compare, type CompiledRule, type ObservedDevice, type RuleIndex } from './compiled.ts'
import type { AlarmRule } from './rules.ts'

/** A condition that started (`raise`) or ended (`clear`) for one rule on one device. */
export interface AlarmTrigger {
  readonly rule: AlarmRule
  readonly device: ObservedDevice
  /** Device time of the message (check time for stale devices), epoch ms. */
  readonly ts: number
  readonly value: number | null
  readonly message: string
}

/** Where triggers go. Called synchronously from the stream: must not block. */
export interface AlarmSink {
  raise(trigger: AlarmTrigger): void
  clear(trigger: AlarmTrigger): void
}

export interface AlarmEngineOptions {
  readonly sink: AlarmSink
  /** Receipt clock for staleness (tests pass a fake). */
  readonly now?: () => number
  /** Devices known up front, so a device that never reports at all still goes stale. */
  readonly devices?: readonly ObservedDevice[]
  /** Reports a sink that threw; the stream goes on. */
  readonly onError?: (error: unknown) => void
}

const INITIAL_CAPACITY = 1024

export class AlarmEngine {
  private index: RuleIndex
  private readonly slots = new Map<string, number>()
  private readonly devices: ObservedDevice[] = []
  private capacity = INITIAL_CAPACITY
  private lastSeen = new Float64Array(INITIAL_CAPACITY)
  private offline = new Uint8Array(INITIAL_CAPACITY)
  private readonly now: () => number
  private readonly sink: AlarmSink
  private readonly onError: (error: unknown) => void
  /** Messages evaluated against at least one rule (metrics). */
  evaluated = 0

  constructor(options: AlarmEngineOptions) {
    this.sink = options.sink
    this.now = options.now ?? Date.now
    this.onError = options.onError ?? (() => undefined)
    this.index = buildIndex([], this.capacity)
    for (const device of options.devices ?? []) this.slotOf(device)
  }

  /** Replaces the rule set (on a change in PostgreSQL); unchanged rules keep their state. */
  setRules(rules: readonly AlarmRule[]): void {
    this.index = buildIndex(rules, this.capacity, this.index.all)
  }

  /** The compiled rules by id (tests, diagnostics). */
  get rules(): ReadonlyMap<string, CompiledRule> {
    return this.index.all
  }

  telemetry(device: ObservedDevice, _index: number, ts: number, m: Readonly<Record<string, number>>): void {
    const slot = this.slotOf(device)
    this.lastSeen[slot] = this.now()
    const byKind = this.index.byKind.get(device.kind)
    if (byKind !== undefined) this.evaluate(byKind, device, slot, ts, m)
    const byDevice = this.index.byDevice.get(device.id)
    if (byDevice !== undefined) this.evaluate(byDevice, device, slot, ts, m)
  }

  event(device: ObservedDevice): void {
    this.lastSeen[this.slotOf(device)] = this.now()
  }

  status(device: ObservedDevice, _index: number, ts: number, status: string): void {
    const slot = this.slotOf(device)
    this.lastSeen[slot] = this.now()
    const isOffline = status === 'offline' ? 1 : 0
    if (this.offline[slot] === isOffline) return
    this.offline[slot] = isOffline
    for (const rule of this.index.stale) {
      if (!rule.onOffline || !rule.matches(device)) continue
      if (isOffline) this.transition(rule, device, slot, true, ts, null, 'device reported offline')
      else this.transition(rule, device, slot, false, ts, null, 'device back online')
    }
  }

  /** Checks every stale rule against every known device: raises for silent ones, clears for recovered ones. */
  checkStale(): void {
    const now = this.now()
    for (const rule of this.index.stale) {
      for (let slot = 0; slot < this.devices.length; slot++) {
        const device = this.devices[slot] as ObservedDevice
        if (!rule.matches(device)) continue
        const silentFor = now - (this.lastSeen[slot] as number)
        const stale = silentFor >= rule.afterMs || (rule.onOffline && this.offline[slot] === 1)
        if (stale && rule.active[slot] === 0) {
          const seconds = Math.round(silentFor / 1000)
          this.transition(rule, device, slot, true, now, null, `no message for ${seconds} s`)
        } else if (!stale && rule.active[slot] === 1) {
          this.transition(rule, device, slot, false, now, null, 'device reporting again')
        }
      }
    }
  }

  private evaluate(
    watches: readonly { readonly metric: string; readonly rules: CompiledRule[] }[],
    device: ObservedDevice,
    slot: number,
    ts: number,
    m: Readonly<Record<string, number>>,
  ): void {
    for (let w = 0; w < watches.length; w++) {
      const watch = watches[w]!
      const v = m[watch.metric]
      if (v === undefined) continue
      this.evaluated++
      const rules = watch.rules
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!
        if (rule.communityId !== null && rule.communityId !== device.communityId) continue
        if (rule.type === 'threshold') this.threshold(rule, device, slot, ts, v)
        else this.rate(rule, device, slot, ts, v)
      }
    }
  }

  private threshold(rule: CompiledRule, device: ObservedDevice, slot: number, ts: number, v: number): void {
    const active = rule.active[slot] === 1
    // Hysteresis: once active, the condition holds until the value is back past clearValue.
    const holds = compare(rule.op, v, active ? rule.clearValue : rule.value)
    if (!holds) {
      rule.since[slot] = NaN
      if (active) this.transition(rule, device, slot, false, ts, v, '')
      return
    }
    let since = rule.since[slot] as number
    if (Number.isNaN(since)) rule.since[slot] = since = ts
    if (!active && ts - since >= rule.durationMs) {
      this.transition(rule, device, slot, true, ts, v, '')
    }
  }

  private rate(rule: CompiledRule, device: ObservedDevice, slot: number, ts: number, v: number): void {
    const lastTs = rule.since[slot] as number
    const lastV = rule.last[slot] as number
    rule.since[slot] = ts
    rule.last[slot] = v
    if (Number.isNaN(lastTs) || ts <= lastTs) return
    const perMs = (v - lastV) / (ts - lastTs)
    const holds =
      rule.direction > 0
        ? perMs > rule.maxPerMs
        : rule.direction < 0
          ? -perMs > rule.maxPerMs
          : Math.abs(perMs) > rule.maxPerMs
    const active = rule.active[slot] === 1
    if (holds !== active) this.transition(rule, device, slot, holds, ts, v, '')
  }

  /** A rule's condition started or ended on a device: tell the sink, then the composites it feeds. */
  private transition(
    rule: CompiledRule,
    device: ObservedDevice,
    slot: number,
    on: boolean,
    ts: number,
    value: number | null,
    detail: string,
  ): void {
    rule.active[slot] = on ? 1 : 0
    if (!rule.silent) {
      const trigger: AlarmTrigger = {
        rule: rule.rule,
        device,
        ts,
        value,
        message: detail || describe(rule, value, on),
      }
      try {
        if (on) this.sink.raise(trigger)
        else this.sink.clear(trigger)
      } catch (error) {
        this.onError(error)
      }
    }
    for (const parent of rule.parents) {
      if (!parent.matches(device)) continue
      let holds = parent.all
      for (const child of parent.children) {
        const childOn = child.active[slot] === 1
        holds = parent.all ? holds && childOn : holds || childOn
      }
      if (holds !== (parent.active[slot] === 1)) {
        this.transition(parent, device, slot, holds, ts, value, holds ? `${parent.rule.name}` : '')
      }
    }
  }

  /** The device's slot in the state arrays; registers the device on first sight (rare: allocates then only). */
  private slotOf(device: ObservedDevice): number {
    const known = this.slots.get(device.id)
    if (known !== undefined) return known
    const slot = this.devices.length
    this.devices.push(device)
    this.slots.set(device.id, slot)
    if (slot >= this.capacity) this.grow(this.capacity * 2)
    this.lastSeen[slot] = this.now()
    return slot
  }

  private grow(capacity: number): void {
    const lastSeen = new Float64Array(capacity)
    lastSeen.set(this.lastSeen)
    const offline = new Uint8Array(capacity)
    offline.set(this.offline)
    this.lastSeen = lastSeen
    this.offline = offline
    this.capacity = capacity
    for (const rule of this.index.all.values()) rule.grow(capacity)
  }
}

function describe(rule: CompiledRule, value: number | null, on: boolean): string {
  const { rule: r } = rule
  const shown = value === null ? '' : ` = ${value}`
  switch (r.type) {
    case 'threshold':
      return on
        ? `${r.metric}${shown} ${r.params.op} ${r.params.value}` +
            (r.params.durationS > 0 ? ` for ${r.params.durationS} s` : '')
        : `${r.metric}${shown} back within limit`
    case 'rate':
      return on
        ? `${r.metric}${shown} changing faster than ${r.params.maxPerMinute}/min`
        : `${r.metric}${shown} rate back within limit`
    case 'stale':
    case 'composite':
      return on ? r.name : `${r.name}: cleared`
  }
}
