/**
 * The device registry the ingest routes by: which devices exist, in which community, of which kind. Topics
 * resolve to a `Route` once and are cached, so a message costs one Map lookup. Each route carries prebuilt
 * prefixes of its ClickHouse row and InfluxDB line, and a dense index for per-device state in typed arrays.
 */
import { channels, ID_PATTERN, type Channel } from '../../data/messages/index.ts'
import type { DeviceKind } from '../../data/index.ts'
import type { DeadLetterReason } from './reasons.ts'

export interface RegisteredDevice {
  readonly id: string
  readonly communityId: string
  readonly kind: DeviceKind
}

export interface Route {
  /** Dense index of the device, for per-device state arrays. */
  readonly index: number
  readonly device: RegisteredDevice
  readonly channel: Channel
  /** `community_id\tkind\tdevice_id\t` */
  readonly tsvPrefix: string
  /** `kind,community=…,device=… ` (measurement and tags, then a space). */
  readonly linePrefix: string
}

const channelSet: ReadonlySet<string> = new Set(channels)

/** Devices by id, and topics resolved to routes. */
export class DeviceRegistry {
  private readonly devices = new Map<string, { device: RegisteredDevice; index: number }>()
  private readonly routes = new Map<string, Route>()
  /** Indices are never reused, so per-device state of a removed device cannot leak into a new one. */
  private nextIndex = 0

  constructor(devices: Iterable<RegisteredDevice> = []) {
    for (const device of devices) this.add(device)
  }

  /** Registers a device (idempotent); returns its index. */
  add(device: RegisteredDevice): number {
    const existing = this.devices.get(device.id)
    if (existing) return existing.index
    if (!ID_PATTERN.test(device.id) || !ID_PATTERN.test(device.communityId)) {
      throw new Error(`device id ${device.id} or community ${device.communityId} is not topic-safe`)
    }
    const index = this.nextIndex++
    this.devices.set(device.id, { device, index })
    return index
  }

  /** Forgets a device (archived): its topics resolve to `unknown_device` from now on. */
  remove(deviceId: string): boolean {
    if (!this.devices.delete(deviceId)) return false
    for (const [topic, route] of this.routes) if (route.device.id === deviceId) this.routes.delete(topic)
    return true
  }

  /**
   * Makes the registry hold exactly `devices` (a fresh read of the device table): adds the new, removes the
   * gone. Returns how many changed either way.
   */
  sync(devices: Iterable<RegisteredDevice>): { added: number; removed: number } {
    const seen = new Set<string>()
    let added = 0
    for (const device of devices) {
      seen.add(device.id)
      if (!this.devices.has(device.id)) {
        this.add(device)
        added++
      }
    }
    let removed = 0
    for (const id of [...this.devices.keys()]) if (!seen.has(id) && this.remove(id)) removed++
    return { added, removed }
  }

  get size(): number {
    return this.devices.size
  }

  /** One more than the highest index handed out: the length per-device state arrays need. */
  get capacity(): number {
    return this.nextIndex
  }

  get(deviceId: string): { device: RegisteredDevice; index: number } | undefined {
    return this.devices.get(deviceId)
  }

  /** All devices, in index order. */
  list(): RegisteredDevice[] {
    return [...this.devices.values()].map((d) => d.device)
  }

  /** The route of a topic, or why it has none. */
  resolve(topic: string): Route | DeadLetterReason {
    const cached = this.routes.get(topic)
    if (cached) return cached
    const parts = topic.split('/')
    if (parts.length !== 5 || parts[0] !== 'community') return 'bad_topic'
    const [, communityId, kind, deviceId, channel] = parts as [string, string, string, string, string]
    if (!channelSet.has(channel)) return 'bad_topic'
    const entry = this.devices.get(deviceId)
    if (!entry || entry.device.communityId !== communityId) return 'unknown_device'
    if (entry.device.kind !== kind) return 'kind_mismatch'
    const device = entry.device
    const route: Route = {
      index: entry.index,
      device,
      channel: channel as Channel,
      tsvPrefix: `${device.communityId}\t${device.kind}\t${device.id}\t`,
      linePrefix: `${device.kind},community=${device.communityId},device=${device.id} `,
    }
    // Only valid topics are cached, so junk topics cannot grow the cache.
    this.routes.set(topic, route)
    return route
  }

  /** The device id a topic names (for dead letters), or '' when it names none. */
  static deviceIdOf(topic: string): string {
    const parts = topic.split('/')
    const id = parts.length === 5 ? (parts[3] ?? '') : ''
    return ID_PATTERN.test(id) ? id : ''
  }
}
