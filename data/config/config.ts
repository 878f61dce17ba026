/**
 * Typed options for every part of the product, derived from the validated environment. Modules receive the slice
 * they need (`config.postgres`, `config.clickhouse`, …) and never look at the environment themselves.
 */
import { resolve } from 'node:path'
import type { Profile } from '../community/types.ts'
import type { ClickHouseOptions } from '../clickhouse/types.ts'
import type { InfluxOptions } from '../influx/client.ts'
import { defaultLimits, type IngestLimits } from '../messages/contract.ts'
import type { PostgresOptions } from '../postgres/types.ts'
import { loadEnv, parseEnv, resetEnv, type Env } from './env.ts'

export type MqttOptions = {
  /** 4 = MQTT 3.1.1, 5 = MQTT 5 (shared subscriptions). */
  readonly protocolVersion: 4 | 5
  readonly shareGroup: string
  readonly clientId: string | undefined
} & (
  | { readonly kind: 'embedded'; readonly host: string; readonly port: number }
  | { readonly kind: 'external'; readonly url: string }
)

export interface IngestConfig {
  readonly enabled: boolean
  readonly qos: 0 | 1
  readonly batchSize: number
  readonly batchAgeMs: number
  readonly limits: IngestLimits
  /** Key of the HTTP intake's device tokens; null means "use the key file under dataDir". */
  readonly tokenKey: Buffer | null
}

export interface Config {
  readonly mode: Env['NODE_ENV']
  readonly logLevel: Env['LOG_LEVEL']
  readonly server: { readonly host: string; readonly port: number }
  /** Absolute path of the directory for embedded stores, keys and trained models. */
  readonly dataDir: string
  readonly postgres: PostgresOptions
  readonly clickhouse: ClickHouseOptions
  readonly influx: InfluxOptions | null
  readonly mqtt: MqttOptions
  readonly ingest: IngestConfig
  /** Master key for personal data (32 bytes); null means "use the key file under dataDir". */
  readonly piiKey: Buffer | null
  readonly community: { readonly profile: Profile; readonly seed: number }
  /** Whether `npm start` runs the device simulator for the loaded community. */
  readonly simulator: boolean
}

/** Which environment variable each store's connection came from, for start-up error messages. */
export const storeVariables = {
  postgres: 'DATABASE_URL',
  clickhouse: 'CLICKHOUSE_URL',
  influx: 'INFLUX_URL',
  mqtt: 'MQTT_URL',
} as const

/** Turns a validated environment into typed options. */
export function toConfig(env: Env): Config {
  const dataDir = resolve(env.DATA_DIR)
  return {
    mode: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    server: { host: env.HOST, port: env.PORT },
    dataDir,
    postgres: env.DATABASE_URL
      ? { kind: 'server', url: env.DATABASE_URL }
      : { kind: 'pglite', dir: resolve(dataDir, 'pglite') },
    clickhouse: env.CLICKHOUSE_URL
      ? {
          kind: 'server',
          url: env.CLICKHOUSE_URL,
          database: env.CLICKHOUSE_DATABASE,
          cluster: env.CLICKHOUSE_CLUSTER,
        }
      : { kind: 'chdb', path: resolve(dataDir, 'chdb'), database: env.CLICKHOUSE_DATABASE },
    influx: env.INFLUX_URL ? { url: env.INFLUX_URL, database: env.INFLUX_DB, token: env.INFLUX_TOKEN } : null,
    mqtt: {
      // aedes speaks 3.1.1 only; real brokers get MQTT 5 for shared subscriptions.
      protocolVersion:
        env.MQTT_PROTOCOL === 'auto' ? (env.MQTT_URL ? 5 : 4) : env.MQTT_PROTOCOL === '5' ? 5 : 4,
      shareGroup: env.MQTT_SHARE_GROUP,
      clientId: env.MQTT_CLIENT_ID,
      ...(env.MQTT_URL
        ? { kind: 'external' as const, url: env.MQTT_URL }
        : { kind: 'embedded' as const, host: env.HOST, port: env.MQTT_EMBEDDED_PORT }),
    },
    ingest: {
      enabled: env.INGEST,
      qos: env.INGEST_QOS === '0' ? 0 : 1,
      batchSize: env.INGEST_BATCH_SIZE,
      batchAgeMs: env.INGEST_BATCH_AGE_MS,
      limits: {
        ...defaultLimits,
        maxPayloadBytes: env.INGEST_MAX_PAYLOAD_BYTES,
        maxMetrics: env.INGEST_MAX_METRICS,
        maxPastMs: env.INGEST_MAX_PAST_HOURS * 3_600_000,
        maxFutureMs: env.INGEST_MAX_FUTURE_SECONDS * 1000,
      },
      tokenKey: env.INGEST_TOKEN_KEY ? Buffer.from(env.INGEST_TOKEN_KEY, 'base64') : null,
    },
    piiKey: env.PII_KEY ? Buffer.from(env.PII_KEY, 'base64') : null,
    community: { profile: env.COMMUNITY_PROFILE, seed: env.COMMUNITY_SEED },
    simulator: env.SIMULATOR,
  }
}

let cached: Config | undefined

/** The configuration of this process, validated once. Throws a ConfigError on a bad variable. */
export function loadConfig(): Config {
  cached ??= toConfig(loadEnv())
  return cached
}

/** Configuration from an explicit environment (tests, tools), without caching. */
export function configFrom(source: Readonly<Record<string, string | undefined>>): Config {
  return toConfig(parseEnv(source))
}

/** Forgets the cached configuration (tests). */
export function resetConfig(): void {
  cached = undefined
  resetEnv()
}
