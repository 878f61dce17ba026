/**
 * Serves the built twin UI (twin/ui/dist, from `npm run build:ui`) at `/`: hashed assets under /assets with a
 * year-long immutable cache, precompressed `.gz` siblings when the client accepts gzip, and the SPA fallback
 * (index.html, never cached) for every other GET outside the reserved prefixes (/api, /ingest, /metrics), which
 * fall through to the app's own routes and JSON 404. Mount it last. Without a build, `/` answers 503 saying how
 * to build it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context, type MiddlewareHandler } from 'hono'

export interface StaticRoutesOptions {
  /** The built app's directory (default: twin/ui/dist of this checkout). */
  readonly root?: string
  /** Path prefixes that are never the UI's: they fall through to the app's routes and JSON 404. */
  readonly reserved?: readonly string[]
}

/** Default location of the build, resolved from this file rather than the working directory. */
export const defaultUiRoot = fileURLToPath(new URL('../../twin/ui/dist', import.meta.url))

const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

const RESERVED = ['/api', '/ingest', '/metrics']

/** Routes serving the twin UI. */
export function staticRoutes(options: StaticRoutesOptions = {}): Hono {
  const root = options.root ?? defaultUiRoot
  const reserved = options.reserved ?? RESERVED
  const isReserved = (path: string) => reserved.some((p) => path === p || path.startsWith(`${p}/`))
  const app = new Hono()
  const built = () => existsSync(join(root, 'index.html'))

  // Built on first use: serveStatic complains at construction when its root does not exist yet.
  let handlers: { assets: MiddlewareHandler; index: MiddlewareHandler } | null = null
  const serve = () =>
    (handlers ??= {
      assets: serveStatic({ root, precompressed: true }),
      index: serveStatic({ root, path: 'index.html', precompressed: true }),
    })
  const notBuilt = (c: Context) =>
    c.text('The twin UI is not built: run `npm run build:ui` (or `npm ci`, which builds it).', 503)

  app.get('*', async (c, next) => {
    if (isReserved(c.req.path)) return next()
    if (!built()) return notBuilt(c)
    // serveStatic answers with a Response when it found the file, and with next()'s result when it did not.
    const response = await serve().assets(c, next)
    if (response instanceof Response) {
      response.headers.set('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE)
    }
    return response
  })
  // SPA fallback: client-side routes get index.html; missing hashed assets stay 404 (a stale page must not
  // receive HTML where it expects JavaScript).
  app.get('*', async (c, next) => {
    if (isReserved(c.req.path) || c.req.path.startsWith('/assets/')) return next()
    const response = await serve().index(c, next)
    if (response instanceof Response) response.headers.set('Cache-Control', REVALIDATE)
    return response
  })
  return app
}
