/**
 * The ingest area: device telemetry from MQTT (and gateways over HTTP) into ClickHouse and InfluxDB, with
 * nothing lost and bad input kept aside.
 */
export { startIngest, loadRegistry } from './service.ts'
export { ingestOptionsFrom, ingestRoutesFrom } from './from-config.ts'
export type { IngestOptions, IngestService } from './service.ts'
export { startEmbeddedBroker } from './broker/embedded.ts'
export type { EmbeddedBroker } from './broker/embedded.ts'
export { ingestRoutes } from './http/routes.ts'
export type { IngestHttpDeps } from './http/routes.ts'
export { issueDeviceToken, verifyDeviceToken } from './tokens.ts'
export { DeviceRegistry } from './pipeline/registry.ts'
export type { RegisteredDevice } from './pipeline/registry.ts'
export { deadLetterReasons } from './pipeline/reasons.ts'
export type { DeadLetterReason } from './pipeline/reasons.ts'
export { IngestMetrics } from './pipeline/metrics.ts'
export type { StreamObserver } from './pipeline/pipeline.ts'
