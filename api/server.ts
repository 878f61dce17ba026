/**
 * The server entry that composes everything: opens the stores, loads the community on first start, starts the API
 * platform, the analytics (rollup refresh, alarm engine, live bus), the MQTT broker (embedded unless MQTT_URL is
 * set) and the ingest, and serves the API and the twin UI. `startServer` is what `npm start` runs and what
 * end-to-end tests start; its handle closes everything it opened, in reverse order, and a failure part-way closes
 * what was already started.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import {
  ConfigError,
  generateCommunity,
  loadCommunitySet,
  openStores,
  storeVariables,
  type Config,
  type Logger,
  type Stores,
} from '../data/index.ts'
import {
  ingestOptionsFrom,
  ingestRoutesFrom,
  startEmbeddedBroker,
  startIngest,
  type IngestService,
  type StreamObserver,
} from '../ingest/index.ts'
import { createSimulation, publishSimulation } from '../ingest/simulator/index.ts'
import type { CommunitySet } from '../data/index.ts'
import { startAnalytics, type Analytics, type LiveBus } from '../analytics/index.ts'
import { createApp } from './app.ts'
import { alarmAudit } from './routes/command-center.ts'
import { startScoring, type Scoring } from '../models/index.ts'
import { startOperations, type Operations } from './operations.ts'
import { startApiPlatform } from './start.ts'

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string
  readonly stores: Stores
  /** The MQTT broker devices publish to (null when the ingest is off). */
  readonly mqttUrl: string | null
  readonly ingest: IngestService | null
  readonly analytics: Analytics
  close(): Promise<void>
}

type Closer = () => Promise<void>

async function loadCommunity(config: Config, stores: Stores, log: Logger): Promise<CommunitySet> {
  const generated = performance.now()
  const set = generateCommunity(config.community)
  const loadStarted = performance.now()
  const result = await loadCommunitySet(stores.postgres, stores.pii, set)
  const timing = {
    generateMs: Math.round(loadStarted - generated),
    loadMs: Math.round(performance.now() - loadStarted),
  }
  log.info(
    { ...config.community, ...timing, ...result },
    result.loaded ? 'community loaded' : 'community already present',
  )
  if (!result.loaded && result.reason === 'other-set-loaded') {
    log.warn(
      { present: result.detail },
      'the database holds another community set; COMMUNITY_PROFILE/SEED ignored',
    )
  }
  return set
}

/** Runs the device simulator for the community in real time, from now on, until closed. */
function startSimulator(
  set: CommunitySet,
  seed: number,
  mqttUrl: string,
  log: Logger,
  closers: Closer[],
): void {
  const stop = new AbortController()
  const simulation = createSimulation({ community: set.communities, seed, start: Date.now() })
  const running = publishSimulation({
    simulation,
    url: mqttUrl,
    speed: 'realtime',
    signal: stop.signal,
    clientIdPrefix: 'simulator',
    onError: (error, connection) =>
      log.warn({ connection, err: error.message }, 'simulator connection error'),
  }).catch((error: unknown) =>
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'simulator stopped'),
  )
  log.info({ devices: simulation.devices.length }, 'device simulator publishing in real time')
  closers.push(async () => {
    stop.abort()
    await running
  })
}

async function startIngestSide(
  config: Config,
  stores: Stores,
  log: Logger,
  closers: Closer[],
  observers: readonly StreamObserver[],
) {
  let mqttUrl: string
  if (config.mqtt.kind === 'embedded') {
    const broker = await startEmbeddedBroker(config.mqtt.host, config.mqtt.port)
    closers.push(() => broker.close())
    mqttUrl = broker.url
  } else {
    mqttUrl = config.mqtt.url
  }
  const ingest = await startIngest(
    stores,
    log.child({ component: 'ingest' }),
    ingestOptionsFrom(config, mqttUrl, observers),
  ).catch((error: unknown) => {
    if (config.mqtt.kind !== 'external') throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError(
      storeVariables.mqtt,
      config.mqtt.url,
      `is unreachable or refused the ingest: ${reason}`,
    )
  })
  closers.push(() => ingest.close())
  return { mqttUrl, ingest }
}

/** The trained lift and pump models shipped with the code, used until the operator trains their own. */
const shippedModels = fileURLToPath(new URL('../models/fixtures/fleet/models', import.meta.url))

/**
 * Starts the hourly predictive-maintenance scoring of lifts and pumps: alerts go on the live bus and open work
 * orders with their evidence. A data directory gets the shipped model versions it lacks.
 */
function startPredictiveScoring(
  config: Config,
  stores: Stores,
  analytics: Analytics,
  operations: Operations,
  log: Logger,
  closers: Closer[],
): Scoring {
  // Each shipped version the data directory lacks is added (the job serves the highest version), so an update
  // that ships retrained models reaches an existing installation; a version already there (shipped before, or
  // trained by the operator under that number) is left as it is.
  const models = join(config.dataDir, 'models')
  for (const name of ['pdm-elevator', 'pdm-water-pump']) {
    for (const version of readdirSync(join(shippedModels, name))) {
      if (!existsSync(join(models, name, version)))
        cpSync(join(shippedModels, name, version), join(models, name, version), { recursive: true })
    }
  }
  const scoringLog = log.child({ component: 'scoring' })
  const scoring = startScoring({
    clickhouse: stores.clickhouse,
    postgres: stores.postgres,
    dataDir: config.dataDir,
    bus: analytics.bus,
    workOrders: operations.predictionOpener,
    onRun: (reports) => scoringLog.info({ reports }, 'devices scored'),
    onError: (error, context) =>
      scoringLog.warn(
        { context, err: error instanceof Error ? error.message : String(error) },
        'scoring failed',
      ),
  })
  closers.push(() => scoring.close())
  return scoring
}

/** Starts the command center with the given configuration. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const startedAt = Date.now()
  const closers: Closer[] = []
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined)
  }
  try {
    const stores = await openStores(config)
    closers.push(() => stores.close())
    const set = await loadCommunity(config, stores, log)
    // Masked forms of personal data, demo accounts on a first embedded start, signed audit tree heads.
    const apiPlatform = await startApiPlatform(config, stores, log)
    closers.push(() => apiPlatform.close())

    // Operations first: alarms and predictive alerts open their work orders through it.
    const live: { bus?: LiveBus } = {}
    const operations = startOperations({
      platform: apiPlatform.platform,
      log: log.child({ component: 'operations' }),
      bus: () => live.bus,
    })
    closers.push(() => operations.close())
    // Analytics before the ingest, so that its alarm engine and device-state tracker see the first message.
    const analytics = await startAnalytics({
      postgres: stores.postgres,
      clickhouse: stores.clickhouse,
      config: config.analytics,
      log: log.child({ component: 'analytics' }),
      audit: alarmAudit(apiPlatform.platform.auditor),
      workOrders: operations.alarmOpener,
    })
    closers.push(() => analytics.close())
    live.bus = analytics.bus

    const side = config.ingest.enabled
      ? await startIngestSide(config, stores, log, closers, [...analytics.observers, operations.gateFeed])
      : null
    if (side && config.simulator)
      startSimulator(set, config.community.seed, side.mqttUrl, log.child({ component: 'simulator' }), closers)
    const scoring = startPredictiveScoring(config, stores, analytics, operations, log, closers)
    const app = createApp({
      stores,
      log,
      startedAt,
      config,
      platform: apiPlatform.platform,
      analytics,
      scoring,
      ui: true,
    })
    if (side) {
      app.route('/', ingestRoutesFrom(config, side.ingest))
    }

    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, () =>
        resolve(s),
      )
      s.once('error', reject)
    })
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://${config.server.host}:${(server.address() as AddressInfo).port}`
    log.info({ url, mqtt: side?.mqttUrl, startupMs: Date.now() - startedAt }, 'command center listening')
    return {
      url,
      stores,
      mqttUrl: side?.mqttUrl ?? null,
      ingest: side?.ingest ?? null,
      analytics,
      close: closeAll,
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}
