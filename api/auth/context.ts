/**
 * The typed request context every route sees: the request id, the client address, and — after a guard —
 * who is calling (user, role, permissions, resolved scope). Route modules type their apps with `AppEnv`.
 */
import type { Context } from 'hono'
import type { Permission, Role } from './permissions.ts'
import type { Scope } from './scope.ts'

/** The signed-in caller. */
export interface AuthContext {
  readonly userId: string
  readonly username: string
  readonly role: Role
  readonly companyId: string
  readonly permissions: ReadonlySet<Permission>
  readonly scope: Scope
  /** The sign-in (refresh-token family) the access token belongs to. */
  readonly sessionId: string
  /** The resident record of a resident account, if linked. */
  readonly residentId: string | null
}

/** Resolves the caller of a request: throws a 401 ApiError when there is no valid access token. */
export interface Authenticator {
  require(c: Context<AppEnv>): Promise<AuthContext>
  /** Whether the request carries the static metrics scrape token (when one is configured). */
  isMetricsToken(c: Context<AppEnv>): boolean
}

/** Hono environment of the API. */
export interface AppEnv {
  Variables: {
    requestId: string
    clientIp: string
    authenticator: Authenticator
    /** Set by a guard; absent on public routes. */
    auth: AuthContext
    /** Set by a route that sent an already compressed body (the edge then leaves the response alone). */
    encoded: boolean
  }
}

/** The caller of a guarded route (throws if called on a route without a guard: a programming error). */
export function authOf(c: Context<AppEnv>): AuthContext {
  const auth = c.get('auth') as AuthContext | undefined
  if (!auth) throw new Error('authOf() on a route without a guard')
  return auth
}
