/**
 * `GET /api/v1/health`: each store's status, version and latency. 200 when every configured store answers,
 * 503 when one is down, so a load balancer or the wall screen can tell. Public, and free of personal data.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { storeHealth, type StoreHealth } from '../../data/index.ts'
import type { Stores } from '../../data/index.ts'
import { publicRoute } from '../auth/policy.ts'
import { json, routeApp } from '../http/openapi.ts'

export interface HealthBody {
  readonly status: 'ok' | 'degraded'
  readonly uptimeSeconds: number
  readonly stores: readonly StoreHealth[]
}

const storeSchema = z.strictObject({
  store: z.enum(['postgres', 'clickhouse', 'influx']),
  kind: z.string(),
  status: z.enum(['ok', 'down', 'off']),
  version: z.string().nullable(),
  latencyMs: z.number().nullable(),
  error: z.string().optional(),
})

export const healthSchema = z
  .strictObject({
    status: z.enum(['ok', 'degraded']),
    uptimeSeconds: z.number(),
    stores: z.array(storeSchema),
  })
  .openapi('Health')

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['platform'],
  summary: 'Store status, version and latency',
  middleware: [publicRoute()] as const,
  responses: { 200: json(healthSchema), 503: json(healthSchema, 'a store is down') },
})

/** The health routes, reading the given stores. */
export function healthRoutes(stores: Stores, startedAt: number) {
  return routeApp().openapi(health, async (c) => {
    const list = await storeHealth(stores)
    const ok = list.every((s) => s.status !== 'down')
    const body: z.infer<typeof healthSchema> = {
      status: ok ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      stores: list.map((s) => ({ ...s })),
    }
    return ok ? c.json(body, 200) : c.json(body, 503)
  })
}
