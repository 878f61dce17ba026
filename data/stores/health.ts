/**
 * Store health for `/api/v1/health`: each store's status, kind, version and round-trip latency, checked in
 * parallel with a timeout so that one hung store cannot hang the health check.
 */
import type { Stores } from './open.ts'

export interface StoreHealth {
  readonly store: 'postgres' | 'clickhouse' | 'influx'
  readonly kind: string
  readonly status: 'ok' | 'down' | 'off'
  readonly version: string | null
  readonly latencyMs: number | null
  readonly error?: string
}

const TIMEOUT_MS = 3_000

async function probe(
  store: StoreHealth['store'],
  kind: string,
  check: () => Promise<string>,
): Promise<StoreHealth> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
    })
    const version = await Promise.race([check(), timeout])
    return {
      store,
      kind,
      status: 'ok',
      version,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    }
  } catch (error) {
    return {
      store,
      kind,
      status: 'down',
      version: null,
      latencyMs: null,
      error: error instanceof Error ? error.message.split('\n')[0] : String(error),
    }
  } finally {
    clearTimeout(timer)
  }
}

/** Probes every store. */
export async function storeHealth(stores: Stores): Promise<StoreHealth[]> {
  const { influx } = stores
  return Promise.all([
    probe('postgres', stores.postgres.kind, () => stores.postgres.version()),
    probe('clickhouse', stores.clickhouse.kind, () => stores.clickhouse.version()),
    influx
      ? probe('influx', 'server', async () => (await influx.ping()).version)
      : Promise.resolve<StoreHealth>({
          store: 'influx',
          kind: 'none',
          status: 'off',
          version: null,
          latencyMs: null,
        }),
  ])
}
