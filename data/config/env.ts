/**
 * The one module that reads the environment. Every variable is declared here with its default, validated with
 * zod, and turned into typed options; everything else in the code base receives those options.
 * `loadConfig()` caches; `resetConfig()` lets tests start again with another environment.
 */
import { z } from 'zod'
import { ConfigError } from './errors.ts'

const port = z.coerce.number().int().min(0).max(65535)

function urlWith(protocols: readonly string[]) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) ctx.addIssue({ code: 'custom', message: 'is not a URL' })
      else if (!protocols.includes(new URL(value).protocol)) {
        ctx.addIssue({
          code: 'custom',
          message: `must start with ${protocols.map((p) => p + '//').join(' or ')}`,
        })
      }
    })
}

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier (letters, digits, underscore)')

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')

const booleanFlag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true')

/** Every environment variable the product reads, with its default. The README's table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('var'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  DATABASE_URL: urlWith(['postgres:', 'postgresql:']).optional(),
  CLICKHOUSE_URL: urlWith(['http:', 'https:']).optional(),
  CLICKHOUSE_DATABASE: identifier.default('community'),
  CLICKHOUSE_CLUSTER: identifier.optional(),
  INFLUX_URL: urlWith(['http:', 'https:']).optional(),
  INFLUX_DB: z.string().min(1).default('community'),
  INFLUX_TOKEN: z.string().min(1).optional(),
  MQTT_URL: urlWith(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).optional(),
  MQTT_EMBEDDED_PORT: port.default(1884),
  MQTT_PROTOCOL: z.enum(['auto', '4', '5']).default('auto'),
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
    .default('ingest'),
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
    .optional(),
  INGEST: booleanFlag.default(true),
  INGEST_QOS: z.enum(['0', '1']).default('1'),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(10_000),
  INGEST_BATCH_AGE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  INGEST_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(16 * 1024 * 1024)
    .default(16 * 1024),
  INGEST_MAX_METRICS: z.coerce.number().int().min(1).max(1000).default(64),
  INGEST_MAX_PAST_HOURS: z.coerce
    .number()
    .min(0)
    .default(60 * 24),
  INGEST_MAX_FUTURE_SECONDS: z.coerce.number().min(0).default(300),
  INGEST_TOKEN_KEY: base64Key.optional(),
  INGEST_REGISTRY_REFRESH_MS: z.coerce.number().int().min(0).default(30_000),
  PII_KEY: base64Key.optional(),
  COMMUNITY_PROFILE: z.enum(['small', 'default', 'large']).default('default'),
  COMMUNITY_SEED: z.coerce.number().int().min(0).max(0xffffffff).default(20261125),
  SIMULATOR: booleanFlag.default(true),
  // API platform: identity, tokens, audit, limits (see README "API platform").
  AUTH_KEY: base64Key.optional(),
  AUDIT_SIGNING_KEY: base64Key.optional(),
  JWT_ISSUER: z.string().min(1).max(200).default('community-twin'),
  JWT_AUDIENCE: z.string().min(1).max(200).default('community-twin-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  JWT_KEY_ROTATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 30),
  JWT_KEY_GRACE_SECONDS: z.coerce.number().int().min(60).max(604_800).default(3600),
  AUTH_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  AUTH_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  AUTH_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  AUTH_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  AUTH_STATE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(0),
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  API_IMPORT_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  TRUST_PROXY: booleanFlag.default(false),
  API_LIST_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  AUDIT_HEAD_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  METRICS_TOKEN: z.string().min(16).optional(),
  DEMO_ACCOUNTS: z.enum(['auto', '0', '1']).default('auto'),
  // Analytics and alarms: rollup retention, KPI time zone, alarm timers, live push (see README "Analytics and alarms").
  ANALYTICS_MINUTE_DAYS: z.coerce.number().int().min(0).max(3650).default(35),
  ANALYTICS_HOUR_DAYS: z.coerce.number().int().min(0).max(36_500).default(800),
  ANALYTICS_DAY_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  ANALYTICS_TIMEZONE: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'must be an IANA time zone, e.g. Asia/Shanghai')
    .default('Asia/Shanghai'),
  ANALYTICS_STATE_LOOKBACK_MINUTES: z.coerce.number().int().min(1).max(10_080).default(120),
  ALARM_RULES_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  ALARM_STALE_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  ALARM_ESCALATION_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LIVE_BUFFER_EVENTS: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  LIVE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  KPI_REFRESH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
})

export type Env = z.infer<typeof envSchema>

/** Variables whose values never appear in messages or logs. */
export const secretVariables: ReadonlySet<string> = new Set([
  'INFLUX_TOKEN',
  'PII_KEY',
  'INGEST_TOKEN_KEY',
  'AUTH_KEY',
  'AUDIT_SIGNING_KEY',
  'METRICS_TOKEN',
])

/** Variables whose URLs may carry a password to mask. */
const urlVariables: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'CLICKHOUSE_URL',
  'INFLUX_URL',
  'MQTT_URL',
])

/** A value as it may be shown: secrets replaced, URL passwords masked. */
export function maskValue(variable: string, value: string): string {
  if (secretVariables.has(variable)) return '****'
  if (urlVariables.has(variable) && URL.canParse(value)) {
    const url = new URL(value)
    if (url.password) url.password = '****'
    return url.toString()
  }
  return value
}

/** Parses an environment; the first problem becomes a ConfigError naming the variable and its (masked) value. */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  // Empty strings mean "unset", as shells and .env files commonly write them.
  const cleaned: Record<string, string> = {}
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key]
    if (value !== undefined && value !== '') cleaned[key] = value
  }
  const result = envSchema.safeParse(cleaned)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const variable = String(issue?.path[0] ?? 'environment')
  const raw = cleaned[variable]
  throw new ConfigError(
    variable,
    raw === undefined ? undefined : maskValue(variable, raw),
    issue?.message ?? 'is invalid',
  )
}

let cached: Env | undefined

/** The validated process environment, parsed once. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** Forgets the cached environment (tests). */
export function resetEnv(): void {
  cached = undefined
}

/**
 * The real servers of the second test tier (set by `.ci/run`). With REQUIRE_SERVERS=1 a missing one fails the
 * run instead of skipping its tier.
 */
export const testServerSchema = z.object({
  TEST_DATABASE_URL: urlWith(['postgres:', 'postgresql:']).optional(),
  TEST_CLICKHOUSE_URL: urlWith(['http:', 'https:']).optional(),
  TEST_INFLUX_URL: urlWith(['http:', 'https:']).optional(),
  TEST_INFLUX_PID: z.coerce.number().int().positive().optional(),
  TEST_MQTT_URL: urlWith(['mqtt:', 'tcp:']).optional(),
  REQUIRE_SERVERS: booleanFlag.default(false),
})

export type TestServers = z.infer<typeof testServerSchema>

/** The test tier's server URLs from the environment. */
export function loadTestServers(): TestServers {
  const cleaned: Record<string, string> = {}
  for (const key of Object.keys(testServerSchema.shape)) {
    const value = process.env[key]
    if (value !== undefined && value !== '') cleaned[key] = value
  }
  return testServerSchema.parse(cleaned)
}
