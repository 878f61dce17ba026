/**
 * Seeding the exactly-once state after a (re)start: the highest stored seq of every device that sent anything
 * in the last week, and the newest stored status of every device. With it, messages newer than what was stored
 * pass at once, and redeliveries of stored ones are recognised (and verified) instead of stored again.
 */
import type { ClickHouse } from '../../data/index.ts'
import type { Pipeline } from './pipeline.ts'

const HIGHEST_SEQ = `
  SELECT device_id, max(seq) AS seq FROM (
    SELECT device_id, seq FROM telemetry WHERE received_at > now64(3) - INTERVAL 7 DAY
    UNION ALL
    SELECT device_id, seq FROM device_events WHERE received_at > now64(3) - INTERVAL 7 DAY
  ) GROUP BY device_id`

const LAST_STATUS = `SELECT device_id, toUnixTimestamp64Milli(max(ts)) AS ts FROM device_status GROUP BY device_id`

/** Loads the state from ClickHouse into the pipeline. */
export async function preloadFromStore(pipeline: Pipeline, store: ClickHouse): Promise<void> {
  const [seqs, statuses] = await Promise.all([
    store.client
      .query({ query: HIGHEST_SEQ, format: 'JSONEachRow' })
      .then((r) => r.json<{ device_id: string; seq: number }>()),
    store.client
      .query({ query: LAST_STATUS, format: 'JSONEachRow' })
      .then((r) => r.json<{ device_id: string; ts: number }>()),
  ])
  pipeline.preload(
    seqs.map((r) => [r.device_id, Number(r.seq)]),
    statuses.map((r) => [r.device_id, Number(r.ts)]),
  )
}
