/**
 * Test fixtures for the ingest: a few registered devices, payload builders, and a store set on a throwaway
 * chDB directory (one per test process, as chDB allows).
 */
import { createLogger, openClickHouse, PiiCipher, type Stores } from '../data/index.ts'
import { migrateClickHouse } from '../data/index.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { randomBytes } from 'node:crypto'
import { DeviceRegistry } from './pipeline/registry.ts'

export const silentLog = createLogger({ level: 'silent' })

/** Three devices in community c01. */
export function testRegistry(): DeviceRegistry {
  return new DeviceRegistry([
    { id: 'c01-pump-1', communityId: 'c01', kind: 'water_pump' },
    { id: 'c01-lift-1', communityId: 'c01', kind: 'elevator' },
    { id: 'c01-gate-1', communityId: 'c01', kind: 'access_gate' },
  ])
}

export const topics = {
  pump: 'community/c01/water_pump/c01-pump-1/telemetry',
  lift: 'community/c01/elevator/c01-lift-1/telemetry',
  liftEvent: 'community/c01/elevator/c01-lift-1/event',
  gateStatus: 'community/c01/access_gate/c01-gate-1/status',
}

/** A valid telemetry payload. */
export function telemetry(
  seq: number,
  ts = Date.now(),
  m: Record<string, number> = { flow: seq % 10, current: 5.5 },
): string {
  return JSON.stringify({ ts, seq, m })
}

/**
 * Stores for ingest tests: chDB in a temporary directory (and InfluxDB when given); PostgreSQL is not needed
 * because the tests pass their registry.
 */
export async function ingestStores(
  influx: Stores['influx'] = null,
): Promise<{ stores: Stores; remove: () => Promise<void> }> {
  const dir = tempDir('ingest-')
  const clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'ingest_test' })
  await migrateClickHouse(clickhouse)
  const stores = {
    postgres: undefined as never,
    clickhouse,
    influx,
    pii: new PiiCipher(randomBytes(32)),
    close: () => clickhouse.close(),
  } satisfies Stores
  return {
    stores,
    async remove() {
      await clickhouse.close()
      dir.remove()
    },
  }
}

/** Rows of a ClickHouse query. */
export async function chRows<T>(stores: Stores, query: string): Promise<T[]> {
  const result = await stores.clickhouse.client.query({ query, format: 'JSONEachRow' })
  return result.json<T>()
}
