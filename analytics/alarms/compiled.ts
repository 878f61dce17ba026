/**
 * Rules compiled for the stream: per-rule numbers pulled out of the JSON params, per-(rule, device) state in typed
 * arrays indexed by the engine's device slot, and the index that finds the rules a message can concern in two Map
 * lookups (by device kind, by device id) — no per-message allocation, no query.
 */
import type { AlarmRule, Severity } from './rules.ts'

/** The device shape the engine needs: structurally the ingest's RegisteredDevice. */
export interface ObservedDevice {
  readonly id: string
  readonly communityId: string
  readonly kind: string
}

const OP_GT = 0
const OP_GE = 1
const OP_LT = 2
const OP_LE = 3
const OPS = { '>': OP_GT, '>=': OP_GE, '<': OP_LT, '<=': OP_LE } as const

/** True when `v` is past `limit` in the direction of `op`. */
export function compare(op: number, v: number, limit: number): boolean {
  switch (op) {
    case OP_GT:
      return v > limit
    case OP_GE:
      return v >= limit
    case OP_LT:
      return v < limit
    default:
      return v <= limit
  }
}

export class CompiledRule {
  readonly id: string
  readonly type: AlarmRule['type']
  readonly communityId: string | null
  readonly severity: Severity
  readonly silent: boolean
  readonly metric: string | null
  // threshold
  readonly op: number = OP_GT
  readonly value: number = 0
  readonly clearValue: number = 0
  readonly durationMs: number = 0
  // rate: -1 down, 0 any, 1 up
  readonly maxPerMs: number = 0
  readonly direction: number = 0
  // stale
  readonly afterMs: number = 0
  readonly onOffline: boolean = false
  // composite
  readonly all: boolean = false
  readonly childIds: readonly string[] = []
  children: CompiledRule[] = []
  /** Composites this rule feeds. */
  parents: CompiledRule[] = []

  /** Per device slot: 1 while the rule's condition holds. */
  active: Uint8Array
  /** threshold: device time the condition started (NaN: not holding); rate: time of the previous sample. */
  since: Float64Array
  /** rate: previous value. */
  last: Float64Array

  constructor(
    readonly rule: AlarmRule,
    capacity: number,
  ) {
    this.id = rule.id
    this.type = rule.type
    this.communityId = rule.communityId
    this.severity = rule.severity
    this.silent = rule.params.silent
    this.metric = rule.metric
    switch (rule.type) {
      case 'threshold':
        this.op = OPS[rule.params.op]
        this.value = rule.params.value
        this.clearValue = rule.params.clearValue ?? rule.params.value
        this.durationMs = rule.params.durationS * 1000
        break
      case 'rate':
        this.maxPerMs = rule.params.maxPerMinute / 60_000
        this.direction = rule.params.direction === 'up' ? 1 : rule.params.direction === 'down' ? -1 : 0
        break
      case 'stale':
        this.afterMs = rule.params.afterS * 1000
        this.onOffline = rule.params.onOfflineStatus
        break
      case 'composite':
        this.all = rule.params.op === 'all'
        this.childIds = rule.params.rules
        break
    }
    this.active = new Uint8Array(capacity)
    this.since = new Float64Array(capacity).fill(NaN)
    this.last = new Float64Array(capacity).fill(NaN)
  }

  /** Whether the rule concerns `device` (community and kind or id). */
  matches(device: ObservedDevice): boolean {
    if (this.communityId !== null && this.communityId !== device.communityId) return false
    const { deviceId, deviceKind } = this.rule
    if (deviceId !== null) return deviceId === device.id
    return deviceKind === null || deviceKind === device.kind
  }

  /** Grows the per-device arrays to hold `capacity` slots, keeping their contents. */
  grow(capacity: number): void {
    if (capacity <= this.active.length) return
    const active = new Uint8Array(capacity)
    active.set(this.active)
    const since = new Float64Array(capacity).fill(NaN)
    since.set(this.since)
    const last = new Float64Array(capacity).fill(NaN)
    last.set(this.last)
    this.active = active
    this.since = since
    this.last = last
  }
}

/** Rules that watch one metric. */
export interface MetricWatch {
  readonly metric: string
  readonly rules: CompiledRule[]
}

/** The lookup structure: rules by device kind and by device id, grouped by metric; stale rules apart. */
export interface RuleIndex {
  readonly byKind: Map<string, MetricWatch[]>
  readonly byDevice: Map<string, MetricWatch[]>
  readonly stale: CompiledRule[]
  readonly all: Map<string, CompiledRule>
}

function addWatch(map: Map<string, MetricWatch[]>, key: string, rule: CompiledRule): void {
  const metric = rule.metric as string
  let watches = map.get(key)
  if (!watches) map.set(key, (watches = []))
  let watch = watches.find((w) => w.metric === metric)
  if (!watch) watches.push((watch = { metric, rules: [] }))
  watch.rules.push(rule)
}

/**
 * Compiles enabled rules into an index. A rule whose id and revision are in `previous` keeps its compiled object
 * (and so its state: a threshold already holding for 4 of its 5 minutes stays so across a reload).
 */
export function buildIndex(
  rules: readonly AlarmRule[],
  capacity: number,
  previous?: ReadonlyMap<string, CompiledRule>,
): RuleIndex {
  const all = new Map<string, CompiledRule>()
  for (const rule of rules) {
    if (!rule.enabled) continue
    const kept = previous?.get(rule.id)
    const compiled = kept && kept.rule.revision === rule.revision ? kept : new CompiledRule(rule, capacity)
    compiled.grow(capacity)
    compiled.children = []
    compiled.parents = []
    all.set(rule.id, compiled)
  }
  const index: RuleIndex = { byKind: new Map(), byDevice: new Map(), stale: [], all }
  for (const compiled of all.values()) {
    const { rule } = compiled
    switch (rule.type) {
      case 'threshold':
      case 'rate':
        if (rule.deviceId !== null) addWatch(index.byDevice, rule.deviceId, compiled)
        else if (rule.deviceKind !== null) addWatch(index.byKind, rule.deviceKind, compiled)
        break
      case 'stale':
        index.stale.push(compiled)
        break
      case 'composite':
        for (const childId of compiled.childIds) {
          const child = all.get(childId)
          // A composite over a missing or disabled rule can never hold; it simply never fires.
          if (!child || child === compiled) continue
          compiled.children.push(child)
          child.parents.push(compiled)
        }
        break
    }
  }
  return index
}
