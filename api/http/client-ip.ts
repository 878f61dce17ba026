/**
 * The client's address for rate limits and logs: the socket's remote address, or the first X-Forwarded-For hop
 * when TRUST_PROXY says a trusted proxy sets it (otherwise a client could pick its own address).
 */
import type { Context } from 'hono'
import type { AppEnv } from '../auth/context.ts'
import { requestHeader } from './request-header.ts'

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } }
}

/** The client address of a request; 'local' for requests made in-process (tests). */
export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = requestHeader(c, 'x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded && /^[0-9a-fA-F:.]{2,45}$/.test(forwarded)) return forwarded
  }
  const env = c.env as NodeBindings | undefined
  return env?.incoming?.socket?.remoteAddress ?? 'local'
}
