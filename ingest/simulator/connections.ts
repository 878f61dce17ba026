/**
 * Which MQTT connection carries which device. Real estates do not give every meter its own connection: devices
 * sit behind a gateway per building (meters over RS485/HPLC, door stations, smoke detectors through the fire
 * system) and an outdoor gateway (gates, barriers, counters, environment sensors, street lights), while each lift
 * and pump has its own controller online. So the default pool is one connection per building gateway, one for
 * the site, and one per lift or pump controller: about 90 for the default community instead of 6,000.
 *
 * Last wills: MQTT gives a connection exactly one. A controller's will is its own device's retained
 * `{"status":"offline"}`, so a crashed lift or pump controller is marked offline by the broker. A gateway has no
 * device topic of its own in the contract, so its devices get no will: the publisher marks them offline when it
 * stops cleanly, and after a crash the ingest's staleness rule (no message within a few reporting periods) does.
 */
import type { SimDevice } from './emitter.ts'
import { willPayload } from './payload.ts'

export type PoolMode = 'gateways' | 'single'

export interface ConnectionSpec {
  /** `ctl-<deviceId>`, `gw-<buildingId>`, `gw-<communityId>-site`, or `sim` for the single connection. */
  readonly name: string
  readonly will: { readonly topic: string; readonly payload: string } | null
  /** Devices this connection carries. */
  readonly devices: number
}

export interface ConnectionPlan {
  readonly connections: readonly ConnectionSpec[]
  /** Connection index for each device index; -1 for devices whose messages are filtered out. */
  readonly route: Int32Array
}

/** The connection pool for `devices` (only included devices get a connection). */
export function planConnections(devices: readonly SimDevice[], mode: PoolMode = 'gateways'): ConnectionPlan {
  const route = new Int32Array(devices.length).fill(-1)
  const specs: { name: string; will: ConnectionSpec['will']; devices: number }[] = []
  const byName = new Map<string, number>()
  const connectionFor = (name: string, will: ConnectionSpec['will']): number => {
    let index = byName.get(name)
    if (index === undefined) {
      index = specs.length
      specs.push({ name, will, devices: 0 })
      byName.set(name, index)
    }
    return index
  }
  for (const d of devices) {
    if (!d.included) continue
    let index: number
    if (mode === 'single') index = connectionFor('sim', null)
    else if (d.kind === 'elevator' || d.kind === 'water_pump') {
      index = connectionFor(`ctl-${d.id}`, { topic: d.topics.status, payload: willPayload() })
    } else if (d.buildingId) index = connectionFor(`gw-${d.buildingId}`, null)
    else index = connectionFor(`gw-${d.communityId}-site`, null)
    route[d.index] = index
    ;(specs[index] as { devices: number }).devices++
  }
  return { connections: specs, route }
}
