/**
 * HTTP intake for gateways and the metrics endpoint:
 *
 * - `POST /ingest/v1/batch` with `Authorization: Bearer <device token>` and a body
 *   `{"device": "<id>", "channel": "telemetry"|"event"|"status", "messages": [<payload>, …]}` — the same payloads
 *   and validation as MQTT. Answers only after storage: 200 `{stored, duplicates, rejected: [{index, reason}]}`
 *   (rejected items are kept as dead letters); 400 for a body that is not such an envelope; 401 for a missing or
 *   forged token; 403 when the token names another device; 404 for an unknown device; 413 when too large.
 * - `GET /metrics`: Prometheus text format.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { channels, type IngestLimits } from '../../data/messages/index.ts'
import type { IngestMetrics } from '../pipeline/metrics.ts'
import type { Pipeline } from '../pipeline/pipeline.ts'
import type { DeviceRegistry } from '../pipeline/registry.ts'
import { verifyDeviceToken } from '../tokens.ts'

export interface IngestHttpDeps {
  readonly pipeline: Pipeline
  readonly registry: DeviceRegistry
  readonly metrics: IngestMetrics
  readonly tokenKey: Buffer
  readonly limits: IngestLimits
}

const error = (code: string, message: string) => ({ error: { code, message } })

/** The routes, to be mounted at the server root. */
export function ingestRoutes(deps: IngestHttpDeps): Hono {
  const app = new Hono()
  const maxBody = deps.limits.maxPayloadBytes * deps.limits.maxBatchItems

  app.post(
    '/ingest/v1/batch',
    bodyLimit({
      maxSize: maxBody,
      onError: (c) => c.json(error('too_large', `body larger than ${maxBody} bytes`), 413),
    }),
    async (c) => {
      const auth = c.req.header('authorization') ?? ''
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : ''
      const tokenDevice = token ? verifyDeviceToken(deps.tokenKey, token) : null
      if (!tokenDevice) return c.json(error('unauthorized', 'a valid device token is required'), 401)
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        return c.json(error('bad_request', 'body is not JSON'), 400)
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return c.json(error('bad_request', 'body must be {device, channel, messages}'), 400)
      }
      const { device, channel, messages, ...rest } = body as Record<string, unknown>
      if (Object.keys(rest).length > 0)
        return c.json(error('bad_request', `unknown fields: ${Object.keys(rest).join(', ')}`), 400)
      if (typeof device !== 'string' || typeof channel !== 'string' || !Array.isArray(messages)) {
        return c.json(
          error('bad_request', 'body must be {device: string, channel: string, messages: array}'),
          400,
        )
      }
      if (!(channels as readonly string[]).includes(channel)) {
        return c.json(error('bad_request', `channel must be one of ${channels.join(', ')}`), 400)
      }
      if (messages.length === 0 || messages.length > deps.limits.maxBatchItems) {
        return c.json(error('bad_request', `messages must hold 1 to ${deps.limits.maxBatchItems} items`), 400)
      }
      if (device !== tokenDevice) return c.json(error('forbidden', 'the token is for another device'), 403)
      const entry = deps.registry.get(device)
      if (!entry) return c.json(error('not_found', 'unknown device'), 404)
      const route = deps.registry.resolve(
        `community/${entry.device.communityId}/${entry.device.kind}/${device}/${channel}`,
      )
      if (typeof route === 'string') return c.json(error('not_found', 'unknown device'), 404)
      const result = await deps.pipeline.acceptHttp(route, messages)
      return c.json(result, 200)
    },
  )

  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType)
    return c.body(await deps.metrics.exposition())
  })
  return app
}
