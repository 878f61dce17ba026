/**
 * The ingest's options and HTTP routes from the product configuration — shared by `npm start` (api/server.ts)
 * and the standalone worker (`npm run ingest`), so both run the ingest the same way.
 */
import type { Hono } from 'hono'
import { loadOrCreateKeyFile, type Config } from '../data/index.ts'
import { ingestRoutes } from './http/routes.ts'
import type { StreamObserver } from './pipeline/pipeline.ts'
import type { IngestOptions, IngestService } from './service.ts'

/** Options for `startIngest` against the broker at `mqttUrl`. */
export function ingestOptionsFrom(
  config: Config,
  mqttUrl: string,
  observers?: readonly StreamObserver[],
): IngestOptions {
  return {
    mqttUrl,
    protocolVersion: config.mqtt.protocolVersion,
    shareGroup: config.mqtt.shareGroup,
    clientId: config.mqtt.clientId,
    qos: config.ingest.qos,
    limits: config.ingest.limits,
    pipeline: { batchSize: config.ingest.batchSize, batchAgeMs: config.ingest.batchAgeMs },
    registryRefreshMs: config.ingest.registryRefreshMs,
    observers,
  }
}

/** `POST /ingest/v1/batch` and `GET /metrics` for a running ingest. */
export function ingestRoutesFrom(config: Config, ingest: IngestService): Hono {
  return ingestRoutes({
    pipeline: ingest.pipeline,
    registry: ingest.registry,
    metrics: ingest.metrics,
    tokenKey: config.ingest.tokenKey ?? loadOrCreateKeyFile(config.dataDir, 'ingest'),
    limits: config.ingest.limits,
  })
}
