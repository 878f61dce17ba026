/**
 * Synthetic command-center data for `bench:analytics`, generated inside the engine: the devices of a generated
 * community set are written once, then N telemetry rows come from `INSERT … SELECT … FROM numbers()` with
 * deterministic functions of the row number — no row passes through JavaScript. Row i belongs to device
 * i mod D and is that device's (i div D)-th sample, evenly spread over the period; values follow the simulator's
 * metric names per kind, with monotonic counters (energy, volume, trips, run hours, starts), day/night patterns
 * (night flow with a leaking meter in every 97, street lights) and noise from cityHash64.
 */
import type { ClickHouse, CommunitySet } from '../data/index.ts'
import { deviceDimRows, writeDeviceDim, type DimDevice } from '../analytics/index.ts'

const HOUR = 3_600_000

const CREATE_DEVICES = `CREATE TABLE IF NOT EXISTS bench_devices
  (idx UInt32, community_id String, kind String, device_id String) ENGINE = MergeTree ORDER BY idx`

const NOISE = '(cityHash64(n.i) % 1000) / 1000.0'
const HOUR_OF_DAY = "toHour(ts, 'Asia/Shanghai')"

/** The metrics of one row, by device kind (Map(String, Float64)). */
const METRICS = `multiIf(
  d.kind = 'electricity_meter', map('energy_kwh', 1000 + d.idx % 500 + n.k * {step_h:Float64} * (0.2 + (d.idx % 10) * 0.05),
    'power_kw', 0.2 + ${NOISE} * 2, 'voltage_v', 220 + ${NOISE} * 10, 'current_a', ${NOISE} * 10),
  d.kind = 'water_meter', map('volume_m3', 100 + n.k * {step_h:Float64} * 0.02,
    'flow_m3h', if(d.idx % 97 = 0 OR (${HOUR_OF_DAY} >= 6 AND ${NOISE} > 0.3), 0.02 + ${NOISE} * 0.5, 0), 'battery_v', 3.6),
  d.kind = 'elevator', map('floor', floor(${NOISE} * 30), 'motor_temp_c', 40 + ${NOISE} * 20, 'trips', n.k * 3 + d.idx % 7,
    'run_hours', 1000 + n.k * {step_h:Float64} * 0.4, 'in_service', if(${NOISE} < 0.02, 0, 1)),
  d.kind = 'water_pump', map('flow_m3h', 10 + ${NOISE} * 20, 'power_kw', 3 + ${NOISE} * 4,
    'run_hours', 5000 + n.k * {step_h:Float64} * 0.5, 'starts', 100 + intDiv(n.k, 3), 'running', if(${NOISE} < 0.5, 1, 0)),
  d.kind IN ('access_gate', 'parking_barrier'), map('passes_in', toFloat64(cityHash64(n.i) % 20),
    'passes_out', toFloat64(cityHash64(n.i + 1) % 20)),
  d.kind = 'people_counter', map('in_count', toFloat64(cityHash64(n.i) % 30), 'out_count',
    toFloat64(cityHash64(n.i + 1) % 30), 'present', floor(${NOISE} * 100)),
  d.kind = 'env_sensor', map('temperature_c', 15 + ${NOISE} * 15, 'humidity_pct', 40 + ${NOISE} * 40,
    'pm25_ugm3', ${NOISE} * 80, 'noise_db', 35 + ${NOISE} * 30),
  d.kind = 'street_light', map('lamp_on', if(${HOUR_OF_DAY} < 6 OR ${HOUR_OF_DAY} >= 18, 1, 0),
    'dimming_pct', ${NOISE} * 100, 'power_w', ${NOISE} * 60),
  d.kind = 'smoke_detector', map('smoke_db_m', ${NOISE} * 0.01, 'temperature_c', 20 + ${NOISE} * 5, 'battery_v', 3),
  map('alarms_active', 0, 'faults_active', if(${NOISE} < 0.01, 1, 0), 'supply_v', 24, 'battery_v', 24))`

/** N rows from row `offset`, in time order. */
const INSERT_TELEMETRY = `
INSERT INTO telemetry (community_id, kind, device_id, ts, seq, m, received_at)
SELECT d.community_id, d.kind, d.device_id, ts, n.k + 1, ${METRICS}, ts
FROM (
  SELECT number AS i, toUInt32(number % {devices:UInt32}) AS idx, intDiv(number, {devices:UInt32}) AS k
  FROM numbers({offset:UInt64}, {count:UInt64})
) AS n
INNER JOIN bench_devices AS d ON d.idx = n.idx
ARRAY JOIN [fromUnixTimestamp64Milli(toInt64({start:Int64} + n.k * {step:Int64} + (d.idx * 7919) % {step:Int64}))] AS ts
SETTINGS max_insert_threads = 2`

/** One event per elevator and pump and hour: mostly trips, one in ten a fault. */
const INSERT_EVENTS = `
INSERT INTO device_events (community_id, kind, device_id, type, ts, seq, fields, received_at)
SELECT d.community_id, d.kind, d.device_id, if(cityHash64(n.number) % 10 = 0, 'fault.raised', 'trip.end'),
       fromUnixTimestamp64Milli(toInt64({start:Int64} + intDiv(n.number, {count:UInt32}) * 3600000
         + (d.idx * 7919) % 3600000)) AS ts,
       n.number, '{}', ts
FROM numbers({rows:UInt64}) AS n
INNER JOIN (
  SELECT idx, community_id, kind, device_id, toUInt64(row_number() OVER (ORDER BY idx) - 1) AS r
  FROM bench_devices WHERE kind IN ('elevator', 'water_pump')
) AS d ON d.r = n.number % {count:UInt32}`

const INSERT_STATUS = `
INSERT INTO device_status (community_id, kind, device_id, status, ts, seq, detail, received_at)
SELECT community_id, kind, device_id, 'online', fromUnixTimestamp64Milli({start:Int64}), 0, '', fromUnixTimestamp64Milli({start:Int64})
FROM bench_devices`

export interface BenchData {
  readonly devices: number
  readonly start: number
  readonly end: number
  readonly loadSeconds: number
}

/** Writes the device list and device_dim of `set`. */
export async function writeDevices(store: ClickHouse, set: CommunitySet): Promise<number> {
  await store.client.command({ query: CREATE_DEVICES })
  const devices = set.communities.flatMap((c) => c.devices)
  const values = devices.map((d, idx) => ({
    idx,
    community_id: d.communityId,
    kind: d.kind,
    device_id: d.id,
  }))
  for (let i = 0; i < values.length; i += 50_000) {
    await store.client.insert({
      table: 'bench_devices',
      values: values.slice(i, i + 50_000),
      format: 'JSONEachRow',
    })
  }
  const dim: DimDevice[] = devices.map((d) => ({
    id: d.id,
    communityId: d.communityId,
    kind: d.kind,
    x: d.position[0],
    y: d.position[1],
    buildingId: d.buildingId,
    unitId: d.unitId,
    gateId: d.gateId,
    lotId: d.lotId,
    public: d.public,
  }))
  const spaces = new Map<string, number>()
  for (const c of set.communities)
    for (const s of c.parkingSpaces) spaces.set(s.lotId, (spaces.get(s.lotId) ?? 0) + 1)
  await writeDeviceDim(
    store,
    deviceDimRows(
      dim,
      set.communities.flatMap((c) => c.areas),
      spaces,
      1,
    ),
  )
  return devices.length
}

/** Generates `rows` telemetry rows over `days` days ending at the current hour, in chunks; reports progress. */
export async function generateTelemetry(
  store: ClickHouse,
  devices: number,
  rows: number,
  days: number,
  onProgress: (done: number) => void = () => undefined,
): Promise<BenchData> {
  const end = Math.floor(Date.now() / HOUR) * HOUR
  const start = end - days * 24 * HOUR
  const samples = Math.ceil(rows / devices)
  const step = Math.floor((end - start) / samples)
  const started = performance.now()
  const chunk = 5_000_000
  for (let offset = 0; offset < rows; offset += chunk) {
    await store.client.command({
      query: INSERT_TELEMETRY,
      query_params: {
        devices,
        offset,
        count: Math.min(chunk, rows - offset),
        start,
        step,
        step_h: step / HOUR,
      },
      // A bulk load: the minute view's blocks need not be merged again on insert (a third of its CPU).
      clickhouse_settings: { optimize_on_insert: 0 },
    })
    onProgress(Math.min(rows, offset + chunk))
  }
  const elevatorsAndPumps = await store.client.query({
    query: "SELECT count() AS n FROM bench_devices WHERE kind IN ('elevator', 'water_pump')",
    format: 'JSONEachRow',
  })
  const [{ n } = { n: 0 }] = await elevatorsAndPumps.json<{ n: number }>()
  await store.client.command({ query: INSERT_EVENTS, query_params: { start, count: n, rows: n * days * 24 } })
  await store.client.command({ query: INSERT_STATUS, query_params: { start } })
  return { devices, start, end, loadSeconds: (performance.now() - started) / 1000 }
}
