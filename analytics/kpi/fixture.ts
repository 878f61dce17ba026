/**
 * Fixed data for the KPI tests: a small community `c1` in Asia/Shanghai (UTC+8) with hand-placed readings whose
 * KPI answers are computed by hand in kpi.test.ts. Times are local wall-clock strings.
 */
import type { ClickHouse } from '../../data/index.ts'
import { writeDeviceDim, type DeviceDimRow } from '../dim/device-dim.ts'

export const TZ = 'Asia/Shanghai'

/** Epoch ms of a Shanghai wall-clock time 'YYYY-MM-DD HH:MM'. */
export function local(text: string): number {
  const [date = '', time = '00:00'] = text.split(' ')
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  return Date.UTC(y, mo - 1, d, h, mi) - 8 * 3_600_000
}

const dim = (
  device_id: string,
  kind: string,
  extra: Partial<Omit<DeviceDimRow, 'device_id' | 'kind'>> = {},
): DeviceDimRow => ({
  community_id: 'c1',
  device_id,
  kind,
  building_id: '',
  unit_id: '',
  gate_id: '',
  lot_id: '',
  zone_id: '',
  zone_area_m2: 0,
  capacity: 0,
  public: 0,
  version: 1,
  ...extra,
})

export const fixtureDim: DeviceDimRow[] = [
  dim('em1', 'electricity_meter', { building_id: 'b1', unit_id: 'u1' }),
  dim('em2', 'electricity_meter', { building_id: 'b1', unit_id: 'u2' }),
  dim('em3', 'electricity_meter', { building_id: 'b2', unit_id: 'u3' }),
  dim('wm1', 'water_meter', { building_id: 'b1', unit_id: 'u1' }),
  dim('wm2', 'water_meter', { building_id: 'b1', unit_id: 'u2' }),
  dim('pc-g1', 'people_counter', { gate_id: 'g1', zone_id: 'g1' }),
  dim('pc-p1', 'people_counter', { zone_id: 'a1', zone_area_m2: 200 }),
  dim('pc-p2', 'people_counter', { zone_id: 'a1', zone_area_m2: 200 }),
  dim('pb1', 'parking_barrier', { lot_id: 'L1', capacity: 10 }),
  dim('pb2', 'parking_barrier', { lot_id: 'L1', capacity: 10 }),
  dim('el1', 'elevator', { building_id: 'b1' }),
  dim('wp1', 'water_pump', { building_id: 'pr1' }),
]

type Reading = [device: string, kind: string, at: string, m: Record<string, number>]

const readings: Reading[] = [
  // Energy registers (kWh).
  ['em1', 'electricity_meter', '2026-03-09 23:00', { energy_kwh: 99 }],
  ['em1', 'electricity_meter', '2026-03-10 09:30', { energy_kwh: 100 }],
  ['em1', 'electricity_meter', '2026-03-10 10:15', { energy_kwh: 101.5 }],
  ['em1', 'electricity_meter', '2026-03-10 10:45', { energy_kwh: 102 }],
  ['em1', 'electricity_meter', '2026-03-10 11:30', { energy_kwh: 104 }],
  ['em1', 'electricity_meter', '2026-03-10 12:50', { energy_kwh: 104.5 }],
  ['em2', 'electricity_meter', '2026-03-10 10:05', { energy_kwh: 50 }],
  ['em2', 'electricity_meter', '2026-03-10 10:55', { energy_kwh: 51 }],
  ['em2', 'electricity_meter', '2026-03-10 11:10', { energy_kwh: 51.25 }],
  ['em2', 'electricity_meter', '2026-03-10 12:20', { energy_kwh: 52 }],
  ['em3', 'electricity_meter', '2026-03-10 10:20', { energy_kwh: 10 }],
  ['em3', 'electricity_meter', '2026-03-10 12:40', { energy_kwh: 13 }],
  // People counters.
  ['pc-g1', 'people_counter', '2026-03-10 10:00', { in_count: 5, out_count: 2 }],
  ['pc-g1', 'people_counter', '2026-03-10 10:01', { in_count: 3, out_count: 0 }],
  ['pc-g1', 'people_counter', '2026-03-10 10:06', { in_count: 1, out_count: 4 }],
  ['pc-p1', 'people_counter', '2026-03-10 10:02', { in_count: 2, out_count: 1, present: 10 }],
  ['pc-p1', 'people_counter', '2026-03-10 10:03', { in_count: 0, out_count: 0, present: 14 }],
  ['pc-p2', 'people_counter', '2026-03-10 10:02', { in_count: 1, out_count: 0, present: 6 }],
  // Parking barriers: a baseline the day before, then the window.
  ['pb1', 'parking_barrier', '2026-03-09 10:00', { passes_in: 7, passes_out: 2 }],
  ['pb1', 'parking_barrier', '2026-03-10 10:05', { passes_in: 3, passes_out: 0 }],
  ['pb2', 'parking_barrier', '2026-03-10 10:35', { passes_in: 0, passes_out: 1 }],
  ['pb1', 'parking_barrier', '2026-03-10 11:05', { passes_in: 1, passes_out: 4 }],
  // Elevator heartbeats.
  ['el1', 'elevator', '2026-03-10 09:50', { trips: 100 }],
  ['el1', 'elevator', '2026-03-10 10:00', { in_service: 1 }],
  ['el1', 'elevator', '2026-03-10 10:30', { in_service: 1, trips: 110 }],
  ['el1', 'elevator', '2026-03-10 11:00', { in_service: 0 }],
  ['el1', 'elevator', '2026-03-10 11:30', { in_service: 1, trips: 125 }],
  // Pump status and running samples.
  ['wp1', 'water_pump', '2026-03-10 09:55', { run_hours: 500, starts: 40 }],
  ['wp1', 'water_pump', '2026-03-10 10:10', { flow_m3h: 20, power_kw: 4 }],
  ['wp1', 'water_pump', '2026-03-10 10:11', { flow_m3h: 22, power_kw: 4 }],
  ['wp1', 'water_pump', '2026-03-10 10:55', { run_hours: 500.75, starts: 42 }],
  ['wp1', 'water_pump', '2026-03-10 11:10', { flow_m3h: 18, power_kw: 5 }],
  ['wp1', 'water_pump', '2026-03-10 11:55', { run_hours: 501.5, starts: 43 }],
]

// Night flow: three nights, readings at 01:30…04:30 and one in the afternoon.
const nightFlows: Record<string, number[][]> = {
  wm1: [
    [0.02, 0.03, 0.025, 0.02],
    [0.02, 0.03, 0.025, 0.02],
    [0.02, 0.03, 0.025, 0.02],
  ],
  wm2: [
    [0.01, 0.02, 0, 0.01],
    [0.01, 0.02, 0, 0.01],
    [0.01, 0.02, 0.015, 0.01],
  ],
}
for (const [device, nights] of Object.entries(nightFlows)) {
  nights.forEach((flows, night) => {
    const day = `2026-03-0${8 + night}`
    flows.forEach((flow, i) =>
      readings.push([device, 'water_meter', `${day} 0${i + 1}:30`, { flow_m3h: flow }]),
    )
    readings.push([device, 'water_meter', `${day} 14:00`, { flow_m3h: 0.5 }])
  })
}

export const fixtureEvents = [
  { device_id: 'el1', kind: 'elevator', type: 'fault.raised', at: '2026-03-10 11:00' },
  { device_id: 'el1', kind: 'elevator', type: 'door.reopen', at: '2026-03-10 11:01' },
]

/** Loads the fixture (telemetry, events, device_dim) into a migrated store. */
export async function loadFixture(store: ClickHouse): Promise<void> {
  await writeDeviceDim(store, fixtureDim)
  // Several inserts, so rows of one bucket land in different parts and must be merged by the queries.
  const values = readings.map(([device_id, kind, at, m], i) => ({
    community_id: 'c1',
    kind,
    device_id,
    ts: local(at),
    seq: i + 1,
    m,
    received_at: local(at),
  }))
  for (let i = 0; i < values.length; i += 10) {
    await store.client.insert({ table: 'telemetry', values: values.slice(i, i + 10), format: 'JSONEachRow' })
  }
  await store.client.insert({
    table: 'device_events',
    format: 'JSONEachRow',
    values: fixtureEvents.map((e, i) => ({
      community_id: 'c1',
      kind: e.kind,
      device_id: e.device_id,
      type: e.type,
      ts: local(e.at),
      seq: 1000 + i,
      fields: '{}',
      received_at: local(e.at),
    })),
  })
}
