/**
 * The benchmark's device mix: every device of the default community, and a payload per device kind with the
 * metrics such a device reports (1 to 7), so row sizes are realistic.
 */
import { generateCommunity, type DeviceKind } from '../../data/index.ts'

export const metricsByKind: Readonly<Record<DeviceKind, readonly string[]>> = {
  electricity_meter: ['kwh', 'power_kw', 'voltage_v'],
  water_meter: ['m3', 'flow_lph'],
  elevator: ['floor', 'speed_mps', 'motor_current_a', 'vibration_rms', 'load_kg', 'door_cycle_ms'],
  water_pump: [
    'flow_m3h',
    'inlet_kpa',
    'outlet_kpa',
    'motor_current_a',
    'vibration_rms',
    'bearing_temp_c',
    'run_hours',
  ],
  access_gate: ['passes'],
  people_counter: ['in', 'out'],
  parking_barrier: ['opens'],
  fire_panel: ['faults'],
  smoke_detector: ['obscuration'],
  env_sensor: ['temp_c', 'humidity', 'pm25', 'noise_db'],
  street_light: ['power_w', 'lux'],
}

export interface BenchDevice {
  readonly id: string
  readonly communityId: string
  readonly kind: DeviceKind
  readonly topic: string
  readonly metrics: readonly string[]
}

/**
 * All devices of the default community (seed 1), moved into a community id of this run so that other traffic
 * on a shared broker never mixes with the benchmark's.
 */
export function benchDevices(run: string): BenchDevice[] {
  const set = generateCommunity({ seed: 1, profile: 'default' })
  return set.communities.flatMap((c) =>
    c.devices.map((d) => ({
      id: d.id,
      communityId: run,
      kind: d.kind,
      topic: `community/${run}/${d.kind}/${d.id}/telemetry`,
      metrics: metricsByKind[d.kind],
    })),
  )
}
