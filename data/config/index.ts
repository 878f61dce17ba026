/** Configuration: the validated environment as typed options. The only reader of `process.env`. */
export { loadConfig, configFrom, resetConfig, storeVariables, toConfig } from './config.ts'
export type { AnalyticsConfig, ApiPlatformConfig, Config, IngestConfig, MqttOptions } from './config.ts'
export { ConfigError } from './errors.ts'
export { envSchema, maskValue, loadTestServers } from './env.ts'
export type { Env, TestServers } from './env.ts'
