/**
 * The simulator CLI's arguments: parsed with util.parseArgs, validated, and turned into typed options with the
 * defaults applied. Bad input throws a UsageError whose message is the one line the CLI prints before exiting 2.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { DeviceKind, Profile } from '../../data/index.ts'
import { isProfile } from '../../data/index.ts'
import { deviceKinds } from '../../data/messages/index.ts'
import { DAY, HOUR, MINUTE, SECOND } from './calendar.ts'
import type { PoolMode } from './connections.ts'
import type { Speed } from './publisher.ts'

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface CliOptions {
  readonly profile: Profile
  readonly seed: number
  readonly speed: Speed
  /** Epoch ms. */
  readonly start: number
  /** Epoch ms; Infinity for an open-ended realtime run. */
  readonly end: number
  readonly mqtt: string
  readonly qos: 0 | 1
  readonly truthFile: string
  readonly dryRun: boolean
  readonly json: boolean
  readonly kinds: readonly DeviceKind[] | undefined
  readonly maxInFlight: number
  readonly pool: PoolMode
  readonly faults: boolean
  readonly help: boolean
}

export const USAGE = `usage: simulate [--profile small|default|large] [--seed N] [--speed realtime|max|FACTOR]
                [--duration 7d|2h|90m] [--start ISO] [--mqtt URL] [--qos 0|1] [--truth FILE]
                [--kinds elevator,water_pump] [--in-flight N] [--pool gateways|single] [--no-faults]
                [--dry-run] [--json]`

/** The default seed, the same as the community's default (COMMUNITY_SEED), so both describe one estate. */
export const DEFAULT_SEED = 20261125

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY }

/** Parses `7d`, `2h`, `90m`, `1d12h`, `30s`, `2w`, `500ms` to milliseconds. */
export function parseDuration(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/.test(text)
    ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g)
    : null
  if (!parts) throw new UsageError(`bad --duration "${text}" (use e.g. 7d, 2h, 90m, 1d12h)`)
  let total = 0
  for (const part of parts) {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(part) as RegExpExecArray
    total += Number(value) * (UNITS[unit as string] as number)
  }
  if (!(total > 0)) throw new UsageError(`--duration must be positive, got "${text}"`)
  return Math.round(total)
}

function parseSpeed(text: string): Speed {
  if (text === 'realtime' || text === 'max') return text
  const factor = Number(text)
  if (!(factor > 0) || !Number.isFinite(factor))
    throw new UsageError(`bad --speed "${text}" (realtime, max or a factor)`)
  return factor
}

function integer(text: string, name: string, min: number, max: number): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`)
  }
  return value
}

/**
 * Parses `argv` (without node and the script). `now` is the wall clock: realtime runs start now; replays (max,
 * factors, dry runs) end at the last full hour before now unless --start is given.
 */
export function parseCliArgs(argv: readonly string[], now: number, cwd: string): CliOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string', default: 'default' },
        seed: { type: 'string', default: String(DEFAULT_SEED) },
        speed: { type: 'string', default: 'realtime' },
        duration: { type: 'string' },
        start: { type: 'string' },
        mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
        qos: { type: 'string', default: '1' },
        truth: { type: 'string', default: 'var/simulator/ground-truth.jsonl' },
        kinds: { type: 'string' },
        'in-flight': { type: 'string', default: '1000' },
        pool: { type: 'string', default: 'gateways' },
        'no-faults': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0] : String(error))
  }
  if (!isProfile(values.profile))
    throw new UsageError(`bad --profile "${values.profile}" (small, default or large)`)
  const speed = parseSpeed(values.speed)
  const dryRun = values['dry-run']
  const replay = dryRun || speed !== 'realtime'
  // A realtime run goes on until stopped; a replay or a dry run needs a length (one day unless told).
  const duration = values.duration !== undefined ? parseDuration(values.duration) : replay ? DAY : Infinity
  let start: number
  if (values.start !== undefined) {
    start = Date.parse(values.start)
    if (!Number.isFinite(start))
      throw new UsageError(`bad --start "${values.start}" (ISO-8601, e.g. 2025-06-02T00:00:00+08:00)`)
  } else if (replay) start = Math.floor(now / HOUR) * HOUR - duration
  else start = Math.floor(now / SECOND) * SECOND
  if (!URL.canParse(values.mqtt) || !/^(mqtts?|tcp|wss?):$/.test(new URL(values.mqtt).protocol)) {
    throw new UsageError(`bad --mqtt "${values.mqtt}" (e.g. mqtt://127.0.0.1:1883)`)
  }
  const qos = integer(values.qos, 'qos', 0, 1) as 0 | 1
  let kinds: DeviceKind[] | undefined
  if (values.kinds !== undefined) {
    kinds = values.kinds.split(',').map((k) => k.trim()) as DeviceKind[]
    const unknown = kinds.find((k) => !deviceKinds.includes(k))
    if (unknown !== undefined)
      throw new UsageError(`bad --kinds entry "${unknown}" (one of ${deviceKinds.join(', ')})`)
  }
  if (values.pool !== 'gateways' && values.pool !== 'single') {
    throw new UsageError(`bad --pool "${values.pool}" (gateways or single)`)
  }
  return {
    profile: values.profile,
    seed: integer(values.seed, 'seed', 0, 0xffffffff),
    speed,
    start,
    end: start + duration,
    mqtt: values.mqtt,
    qos,
    truthFile: resolve(cwd, values.truth),
    dryRun,
    json: values.json,
    kinds,
    maxInFlight: integer(values['in-flight'], 'in-flight', 1, 100_000),
    pool: values.pool,
    faults: !values['no-faults'],
    help: values.help,
  }
}
