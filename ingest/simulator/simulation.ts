/**
 * The simulator's programmatic entry point: `createSimulation` turns one or more communities, a seed and a time
 * range into a device table, the ground truth of the injected faults, and a time-ordered message stream. Same
 * communities, seed and range ⇒ the same stream, message for message; each call of `messages()` replays it from
 * the start. The stream is lazy: an open-ended simulation (no `end`) runs for as long as it is read.
 */
import type { Community, Device, DeviceKind } from '../../data/index.ts'
import { topicFor } from '../../data/messages/index.ts'
import { DAY, EPOCH, iso } from './calendar.ts'
import { communityActors } from './community-actors.ts'
import { Emitter } from './emitter.ts'
import type { DeviceWindows, EmitterCounts, SimDevice, SimMessage } from './emitter.ts'
import { planFaults } from './faults.ts'
import type { FaultOptions, InjectedFault } from './faults.ts'
import { LinkActor } from './link.ts'
import { resolvePeriods } from './periods.ts'
import type { ReportingPeriods } from './periods.ts'
import { runActors } from './scheduler.ts'
import type { Actor } from './scheduler.ts'

export interface SimulationOptions {
  /** The community (or communities, e.g. the `large` profile's twelve) whose devices to simulate. */
  readonly community: Community | readonly Community[]
  readonly seed: number
  /** Start of the simulated period, epoch ms or ISO-8601; not before 2020-01-01. */
  readonly start: number | string
  /** End (exclusive); omitted for an open-ended stream (faults are then planned a year ahead). */
  readonly end?: number | string
  readonly faults?: FaultOptions
  /** Reporting periods overriding `defaultPeriods`. */
  readonly periods?: Partial<ReportingPeriods>
  /** Only these kinds' messages are produced (the others are still simulated where they interact). */
  readonly kinds?: readonly DeviceKind[]
}

/** One pass over the stream: iterate it; afterwards `counts` and `shutdown` refer to what it produced. */
export interface SimulationRun extends IterableIterator<SimMessage> {
  readonly counts: Readonly<EmitterCounts>
  /**
   * Retained `offline` statuses for every device, stamped `ts` (or the stream's current time if later), with seqs
   * after those already used: what a publisher sends when it stops, since a clean disconnect fires no last will.
   * Ends the run: read nothing more from it afterwards.
   */
  shutdown(ts: number): SimMessage[]
}

export interface Simulation {
  readonly seed: number
  readonly start: number
  /** Infinity for an open-ended stream. */
  readonly end: number
  readonly devices: readonly SimDevice[]
  /** Every injected fault overlapping [start, end) for the devices kept, sorted by onset. */
  readonly truth: readonly InjectedFault[]
  readonly periods: ReportingPeriods
  /** The stream from the start. */
  messages(): SimulationRun
}

/** Horizon of fault planning for an open-ended stream. */
const OPEN_HORIZON = 365 * DAY

function toTime(value: number | string, name: string): number {
  const t = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(t)) throw new RangeError(`${name} is not a time: ${String(value)}`)
  return Math.round(t)
}

/** Builds a simulation. Throws a RangeError for a bad seed, range or fault injection. */
export function createSimulation(options: SimulationOptions): Simulation {
  const communities: readonly Community[] = Array.isArray(options.community)
    ? (options.community as readonly Community[])
    : [options.community as Community]
  const seed = options.seed
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
  const start = toTime(options.start, 'start')
  const end = options.end === undefined ? Infinity : toTime(options.end, 'end')
  if (start < EPOCH) throw new RangeError(`start ${iso(start)} is before 2020-01-01 (China time)`)
  if (!(end > start)) throw new RangeError('end must be after start')
  const periods = resolvePeriods(options.periods)
  const kinds = options.kinds ? new Set(options.kinds) : null
  const included = (d: Device) => kinds === null || kinds.has(d.kind)

  const all = communities.flatMap((c) => c.devices)
  const devices: SimDevice[] = all.map((d, index) => ({
    index,
    id: d.id,
    kind: d.kind,
    communityId: d.communityId,
    buildingId: d.buildingId,
    topics: {
      telemetry: topicFor(d.communityId, d.kind, d.id, 'telemetry'),
      event: topicFor(d.communityId, d.kind, d.id, 'event'),
      status: topicFor(d.communityId, d.kind, d.id, 'status'),
    },
    included: included(d),
  }))
  const indexOf = new Map(devices.map((d) => [d.id, d.index]))
  if (indexOf.size !== devices.length) throw new RangeError('device ids must be unique across communities')
  const horizon = Number.isFinite(end) ? end : start + OPEN_HORIZON
  const planned = planFaults(all, seed, start, horizon, options.faults)
  const byDevice = new Map<string, InjectedFault[]>()
  for (const f of planned) {
    const list = byDevice.get(f.deviceId)
    if (list) list.push(f)
    else byDevice.set(f.deviceId, [f])
  }
  const faultsOf = (id: string): readonly InjectedFault[] => byDevice.get(id) ?? []
  const includedMask = Uint8Array.from(devices, (d) => (d.included ? 1 : 0))
  const windows: (DeviceWindows | undefined)[] = all.map((d) => {
    const faults = faultsOf(d.id)
    if (faults.length === 0) return undefined
    return {
      offline: faults.filter((f) => f.category === 'offline').map((f) => ({ start: f.onset, end: f.end })),
      stuck: faults
        .filter((f) => f.category === 'stuck_sensor')
        .map((f) => ({
          start: f.onset,
          end: f.end,
          metrics:
            f.detail.metrics === 'all' || f.detail.metrics === undefined
              ? null
              : String(f.detail.metrics).split(','),
        })),
    }
  })
  const truth = planned.filter((f) => includedMask[indexOf.get(f.deviceId) as number] === 1)

  const buildActors = (): Actor[] => [
    new LinkActor(
      devices.filter((d) => includedMask[d.index] === 1),
      (i) => faultsOf((devices[i] as SimDevice).id),
      start,
      end,
    ),
    ...communities.flatMap((community) =>
      communityActors({ community, seed, start, end, periods, indexOf, included, faultsOf }),
    ),
  ]

  return {
    seed,
    start,
    end,
    devices,
    truth,
    periods,
    messages(): SimulationRun {
      const out = new Emitter(devices, windows, includedMask)
      const stream = runActors(buildActors(), end, out)
      const run: SimulationRun = Object.assign(stream, {
        counts: out.counts,
        shutdown(ts: number): SimMessage[] {
          // Messages of the current step not yet read are dropped: the devices stop here.
          out.buffer.length = 0
          const at = Math.max(ts, out.time)
          for (const d of devices) {
            if (includedMask[d.index] === 1) out.status(d.index, at, 'offline', 'simulator stopped')
          }
          return out.buffer.splice(0)
        },
      })
      return run
    },
  }
}
