/**
 * Turns `Authorization: Bearer <access token>` into the caller's context: the token must verify (see
 * access-tokens.ts) and the user and session behind it must still be enabled and open.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { ApiError } from '../http/errors.ts'
import { requestHeader } from '../http/request-header.ts'
import type { AccessTokens } from './access-tokens.ts'
import type { AuthStates } from './auth-state.ts'
import type { AppEnv, AuthContext, Authenticator } from './context.ts'

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message)

function bearer(c: Context<AppEnv>): string | null {
  const header = requestHeader(c, 'authorization')
  if (!header || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return null
  return header.slice(7).trim()
}

/** The authenticator the guards use. */
export function createAuthenticator(
  tokens: AccessTokens,
  states: AuthStates,
  metricsToken: string | null,
): Authenticator {
  const metrics = metricsToken ? Buffer.from(metricsToken) : null
  return {
    async require(c): Promise<AuthContext> {
      const token = bearer(c)
      if (!token) throw unauthorized('sign in first: send Authorization: Bearer <access token>')
      const claims = await tokens.verify(token)
      if (!claims) throw unauthorized('the access token is not valid')
      const context = await states.context(claims.userId, claims.sessionId)
      if (!context) throw unauthorized('the access token is not valid')
      return context
    },
    isMetricsToken(c): boolean {
      const token = bearer(c)
      if (!metrics || !token) return false
      const given = Buffer.from(token)
      return given.length === metrics.length && timingSafeEqual(given, metrics)
    },
  }
}
