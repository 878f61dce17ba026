/**
 * `GET /api/v1/health`: each store's status, version and latency. 200 when every configured store answers,
 * 503 when one is down, so a load balancer or the wall screen can tell.
 */
import { Hono } from 'hono'
import { storeHealth, type StoreHealth } from '../../data/index.ts'
import type { Stores } from '../../data/index.ts'

export interface HealthBody {
  readonly status: 'ok' | 'degraded'
  readonly uptimeSeconds: number
  readonly stores: readonly StoreHealth[]
}

/** The health routes, reading the given stores. */
export function healthRoutes(stores: Stores, startedAt: number): Hono {
  return new Hono().get('/health', async (c) => {
    const health = await storeHealth(stores)
    const ok = health.every((s) => s.status !== 'down')
    const body: HealthBody = {
      status: ok ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      stores: health,
    }
    return c.json(body, ok ? 200 : 503)
  })
}
