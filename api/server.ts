/**
 * The server entry that composes everything: opens the stores, loads the community on first start, and serves
 * the API. `startServer` is what `npm start` runs and what end-to-end tests start; it returns a handle that
 * closes everything it opened, in reverse order.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import {
  generateCommunity,
  loadCommunitySet,
  openStores,
  type Config,
  type Logger,
  type Stores,
} from '../data/index.ts'
import { createApp } from './app.ts'

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string
  readonly stores: Stores
  close(): Promise<void>
}

/** Starts the command center with the given configuration. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const startedAt = Date.now()
  const stores = await openStores(config)
  try {
    const generated = performance.now()
    const set = generateCommunity(config.community)
    const loadStarted = performance.now()
    const result = await loadCommunitySet(stores.postgres, stores.pii, set)
    log.info(
      {
        profile: config.community.profile,
        seed: config.community.seed,
        generateMs: Math.round(loadStarted - generated),
        loadMs: Math.round(performance.now() - loadStarted),
        ...result,
      },
      result.loaded ? 'community loaded' : 'community already present',
    )
    if (!result.loaded && result.reason === 'other-set-loaded') {
      log.warn(
        { present: result.detail },
        'the database holds another community set; COMMUNITY_PROFILE/SEED ignored',
      )
    }

    const app = createApp({ stores, log, startedAt })
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, () =>
        resolve(s),
      )
      s.once('error', reject)
    })
    const address = server.address() as AddressInfo
    const url = `http://${config.server.host}:${address.port}`
    log.info({ url, startupMs: Date.now() - startedAt }, 'command center listening')
    return {
      url,
      stores,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await stores.close()
      },
    }
  } catch (error) {
    await stores.close()
    throw error
  }
}
