/**
 * Route policies: every route declares who may call it, with one of
 *
 * - `guard('record:read')` — a signed-in user whose role holds the permission (401 without a valid token, 403
 *   without the permission);
 * - `signedIn()` — any signed-in user (their own session, `/me`);
 * - `publicRoute()` — no sign-in (health, sign-in itself, the OpenAPI document);
 * - `deviceToken()` — device-token auth done by the route itself (the ingest's HTTP intake);
 * - `metricsScrape()` — `metrics:read`, or the static METRICS_TOKEN a Prometheus server is configured with.
 *
 * Each returns a middleware tagged with its policy; `routePolicies(app)` lists every route with its policy, and a
 * test fails for any route without one.
 */
import type { Hono, MiddlewareHandler } from 'hono'
import { ApiError } from '../http/errors.ts'
import type { AppEnv } from './context.ts'
import type { Permission } from './permissions.ts'

export type RoutePolicy =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'permission'; readonly permission: Permission }
  | { readonly kind: 'device-token' }
  | { readonly kind: 'metrics' }

const POLICY = Symbol.for('community-twin.route-policy')

type Tagged = MiddlewareHandler<AppEnv> & { [POLICY]: RoutePolicy }

function tag(policy: RoutePolicy, handler: MiddlewareHandler<AppEnv>): Tagged {
  return Object.assign(handler, { [POLICY]: policy })
}

/** Requires a signed-in user holding `permission`. */
export function guard(permission: Permission): Tagged {
  return tag({ kind: 'permission', permission }, async (c, next) => {
    const auth = await c.get('authenticator').require(c)
    if (!auth.permissions.has(permission)) {
      throw new ApiError(403, 'forbidden', `your role may not ${permission.replace(':', ' ')}`)
    }
    c.set('auth', auth)
    await next()
  })
}

/** Requires any signed-in user. */
export function signedIn(): Tagged {
  return tag({ kind: 'signed-in' }, async (c, next) => {
    c.set('auth', await c.get('authenticator').require(c))
    await next()
  })
}

/** Declares a route open to anyone. Such a route must serve no personal data. */
export function publicRoute(): Tagged {
  return tag({ kind: 'public' }, (_c, next) => next())
}

/** Declares a route whose handler authenticates a device token itself. */
export function deviceToken(): Tagged {
  return tag({ kind: 'device-token' }, (_c, next) => next())
}

/** `metrics:read`, or the configured static scrape token. */
export function metricsScrape(): Tagged {
  return tag({ kind: 'metrics' }, async (c, next) => {
    if (!c.get('authenticator').isMetricsToken(c)) {
      const auth = await c.get('authenticator').require(c)
      if (!auth.permissions.has('metrics:read'))
        throw new ApiError(403, 'forbidden', 'your role may not read metrics')
      c.set('auth', auth)
    }
    await next()
  })
}

/** The policy a handler was tagged with, if any. */
export function policyOf(handler: unknown): RoutePolicy | undefined {
  return typeof handler === 'function' ? (handler as Partial<Tagged>)[POLICY] : undefined
}

export interface DeclaredRoute {
  readonly method: string
  readonly path: string
  readonly policy: RoutePolicy | null
}

/** Every route of `app` (middleware registered with `use` excluded) with the policy it declares, or null. */
export function routePolicies(app: Hono<AppEnv> | Hono): DeclaredRoute[] {
  const byRoute = new Map<string, DeclaredRoute>()
  for (const route of app.routes) {
    if (route.method === 'ALL') continue
    const key = `${route.method} ${route.path}`
    const policy = policyOf(route.handler) ?? null
    const known = byRoute.get(key)
    if (!known || (known.policy === null && policy))
      byRoute.set(key, { method: route.method, path: route.path, policy })
  }
  return [...byRoute.values()]
}
