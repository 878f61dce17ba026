/**
 * The KPI panel's figures, derived from the analytics routes' answers (pure functions: kpi-figures.test.ts). A
 * figure is undefined when its route gave nothing to show (missing, not available yet, or no rows), so the panel
 * shows only what is real.
 */
import type {
  ComplaintsResponse,
  ElevatorsResponse,
  EnergyResponse,
  FeesResponse,
  ParkingResponse,
  WorkOrdersResponse,
} from './endpoints.ts'

/** What the KPI panel shows. */
export interface KpiFigures {
  /** kWh per hour over the community, oldest first. */
  readonly energyTrend?: readonly { t: number; kwh: number }[]
  /** Places with the most complaints, most first. */
  readonly complaintHotspots?: readonly { name: string; count: number }[]
  /** Paid over due, 0..1. */
  readonly feeCollectionRate?: number
  /** Resolved work orders within their SLA, 0..1. */
  readonly workOrderSla?: number
  /** Mean availability of the elevators today, 0..1. */
  readonly elevatorAvailability?: number
}

/** Sums the buildings' kWh per hour. */
export function energyTrend(body: EnergyResponse | null): KpiFigures['energyTrend'] {
  if (!body || body.rows.length === 0) return undefined
  const byHour = new Map<number, number>()
  for (const r of body.rows) byHour.set(r.t, (byHour.get(r.t) ?? 0) + r.kwh)
  return [...byHour].sort((a, b) => a[0] - b[0]).map(([t, kwh]) => ({ t, kwh }))
}

/** Complaints per location (building + place) over the window, top `limit`. */
export function complaintHotspots(
  body: ComplaintsResponse | null,
  limit = 5,
): KpiFigures['complaintHotspots'] {
  if (!body?.available || body.rows.length === 0) return undefined
  const byPlace = new Map<string, number>()
  for (const r of body.rows) {
    const name = r.location || r.buildingId
    byPlace.set(name, (byPlace.get(name) ?? 0) + r.complaints)
  }
  return [...byPlace]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, count]) => ({ name, count }))
}

/** Paid over due across buildings and months. */
export function feeCollectionRate(body: FeesResponse | null): number | undefined {
  if (!body?.available) return undefined
  let due = 0
  let paid = 0
  for (const r of body.rows) {
    due += r.due
    paid += r.paid
  }
  return due > 0 ? paid / due : undefined
}

/** Share of resolved work orders that met their SLA. */
export function workOrderSla(body: WorkOrdersResponse | null): number | undefined {
  const row = body?.available ? body.rows[0] : undefined
  return row?.compliance ?? undefined
}

/** Mean availability over the elevators that report one. */
export function elevatorAvailability(body: ElevatorsResponse | null): number | undefined {
  const values = (body?.rows ?? []).map((r) => r.availability).filter((a): a is number => a !== null)
  return values.length > 0 ? values.reduce((s, a) => s + a, 0) / values.length : undefined
}

/** Latest occupancy (0..1) per lot; lots without a capacity are left out. */
export function parkingOccupancy(body: ParkingResponse | null): ReadonlyMap<string, number> | null {
  if (!body) return null
  const latest = new Map<string, { t: number; share: number }>()
  for (const r of body.rows) {
    if (r.occupancy === null) continue
    const seen = latest.get(r.lotId)
    if (!seen || r.t > seen.t) latest.set(r.lotId, { t: r.t, share: r.occupancy })
  }
  return new Map([...latest].map(([lot, v]) => [lot, v.share]))
}
