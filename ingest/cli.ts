/**
 * `npm run ingest`: an ingest worker on its own — the scale-out path, where N workers share one MQTT 5
 * `$share` subscription and write to a ClickHouse server. Reads the same environment as `npm start` (the
 * broker must be external: MQTT_URL), loads the device registry from PostgreSQL, and serves `/metrics` on PORT.
 */
import { serve } from '@hono/node-server'
import { ConfigError, createLogger, loadConfig, openStores } from '../data/index.ts'
import { ingestOptionsFrom, ingestRoutesFrom } from './from-config.ts'
import { startIngest } from './service.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  if (config.mqtt.kind !== 'external')
    throw new ConfigError('MQTT_URL', undefined, 'must name the broker for a standalone ingest worker')
  const log = createLogger({ level: config.logLevel, name: 'ingest' })
  const stores = await openStores(config)
  const ingest = await startIngest(stores, log, ingestOptionsFrom(config, config.mqtt.url))
  const app = ingestRoutesFrom(config, ingest)
  const server = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close()
    ingest
      .close()
      .then(() => stores.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `ingest failed: ${String(error)}\n`,
  )
  process.exit(1)
})
