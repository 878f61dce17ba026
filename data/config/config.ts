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
  /** How often the device registry is re-read, ms (0 = never). */
  readonly registryRefreshMs: number
}

/** Identity, tokens, audit and request limits of the API platform (see README "API platform"). */
export interface ApiPlatformConfig {
  /** Master key that encrypts JWT signing keys and TOTP secrets at rest; null = key file `auth` under dataDir. */
  readonly authKey: Buffer | null
  /** Ed25519 seed that signs audit tree heads; null = key file `audit` under dataDir. */
  readonly auditSigningKey: Buffer | null
  readonly issuer: string
  readonly audience: string
  readonly accessTokenTtlSeconds: number
  readonly refreshTokenTtlSeconds: number
  readonly keyRotationSeconds: number
  /** How long a retired signing key still verifies tokens. */
  readonly keyGraceSeconds: number
  /** scrypt cost as log2(N). */
  readonly scryptLogN: number
  readonly lockoutThreshold: number
  readonly lockoutSeconds: number
  readonly loginRatePerMinute: number
  /** How long a user's disabled/revoked state may be cached per process. */
  readonly authStateCacheMs: number
  /** Requests per minute per client (0 = off). */
  readonly rateLimitPerMinute: number
  readonly bodyLimitBytes: number
  readonly importLimitBytes: number
  /** How long a page of a record list may be served from this process's memory (0 = never). */
  readonly listCacheMs: number
  /** Take the client address from X-Forwarded-For (behind a trusted proxy only). */
  readonly trustProxy: boolean
  readonly auditHeadIntervalSeconds: number
  /** Static bearer token that may scrape /metrics; null = only users with metrics:read. */
  readonly metricsToken: string | null
  readonly demoAccounts: 'auto' | 'on' | 'off'
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
  readonly api: ApiPlatformConfig
  readonly analytics: AnalyticsConfig
}

/** Rollup retention, time zone of the KPIs, alarm timers and live push (see README "Analytics and alarms"). */
export interface AnalyticsConfig {
  /** Days each rollup level is kept (0 = forever). */
  readonly retention: { readonly minuteDays: number; readonly hourDays: number; readonly dayDays: number }
  /** IANA time zone that days, months and nights of the KPIs are counted in. */
  readonly timezone: string
  /** How far back the time machine looks for a device's last telemetry and event, ms. */
  readonly stateLookbackMs: number
  /** How often the alarm engine checks whether its rules changed, ms. */
  readonly rulesPollMs: number
  /** How often stale/offline devices are checked, ms. */
  readonly staleCheckMs: number
  /** How often unacknowledged alarms are escalated or reminded, ms. */
  readonly escalationCheckMs: number
  /** Live events kept for `Last-Event-ID` resume. */
  readonly liveBufferEvents: number
  readonly liveHeartbeatMs: number
  /** How often headline KPIs are recomputed and pushed live, ms. */
  readonly kpiRefreshMs: number
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
      registryRefreshMs: env.INGEST_REGISTRY_REFRESH_MS,
    },
    piiKey: env.PII_KEY ? Buffer.from(env.PII_KEY, 'base64') : null,
    community: { profile: env.COMMUNITY_PROFILE, seed: env.COMMUNITY_SEED },
    simulator: env.SIMULATOR,
    api: {
      authKey: env.AUTH_KEY ? Buffer.from(env.AUTH_KEY, 'base64') : null,
      auditSigningKey: env.AUDIT_SIGNING_KEY ? Buffer.from(env.AUDIT_SIGNING_KEY, 'base64') : null,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_HOURS * 3600,
      keyRotationSeconds: env.JWT_KEY_ROTATION_HOURS * 3600,
      keyGraceSeconds: Math.max(env.JWT_KEY_GRACE_SECONDS, env.ACCESS_TOKEN_TTL_SECONDS),
      scryptLogN: env.AUTH_SCRYPT_LOG_N,
      lockoutThreshold: env.AUTH_LOCKOUT_THRESHOLD,
      lockoutSeconds: env.AUTH_LOCKOUT_MINUTES * 60,
      loginRatePerMinute: env.AUTH_LOGIN_RATE_PER_MINUTE,
      authStateCacheMs: env.AUTH_STATE_CACHE_MS,
      rateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
      importLimitBytes: env.API_IMPORT_LIMIT_BYTES,
      listCacheMs: env.API_LIST_CACHE_MS,
      trustProxy: env.TRUST_PROXY,
      auditHeadIntervalSeconds: env.AUDIT_HEAD_INTERVAL_SECONDS,
      metricsToken: env.METRICS_TOKEN ?? null,
      demoAccounts: env.DEMO_ACCOUNTS === 'auto' ? 'auto' : env.DEMO_ACCOUNTS === '1' ? 'on' : 'off',
    },
    analytics: {
      retention: {
        minuteDays: env.ANALYTICS_MINUTE_DAYS,
        hourDays: env.ANALYTICS_HOUR_DAYS,
        dayDays: env.ANALYTICS_DAY_DAYS,
      },
      timezone: env.ANALYTICS_TIMEZONE,
      stateLookbackMs: env.ANALYTICS_STATE_LOOKBACK_MINUTES * 60_000,
      rulesPollMs: env.ALARM_RULES_POLL_MS,
      staleCheckMs: env.ALARM_STALE_CHECK_MS,
      escalationCheckMs: env.ALARM_ESCALATION_CHECK_MS,
      liveBufferEvents: env.LIVE_BUFFER_EVENTS,
      liveHeartbeatMs: env.LIVE_HEARTBEAT_MS,
      kpiRefreshMs: env.KPI_REFRESH_MS,
    },
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
