/**
 * Sign-in routes: `POST /auth/login`, `POST /auth/refresh`, `POST /auth/logout`, `GET /me` and `GET /roles`
 * (the permission matrix). Sign-in and refresh are public and rate limited; bodies are strict.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Platform } from '../platform.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { authOf } from './context.ts'
import { matrix, permissions, roles } from './permissions.ts'
import { publicRoute, signedIn } from './policy.ts'

const tokenPair = z
  .strictObject({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    refreshExpiresAt: z.string(),
  })
  .openapi('TokenPair')

const loginBody = z
  .strictObject({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(200),
    totp: z
      .string()
      .regex(/^\d{6}$/)
      .optional()
      .openapi({ description: 'six-digit authenticator code; required for administrator roles' }),
  })
  .openapi('LoginRequest')

const meBody = z
  .strictObject({
    id: z.string(),
    username: z.string(),
    role: z.enum(roles),
    permissions: z.array(z.enum(permissions)),
    scope: z.strictObject({
      kind: z.enum(['company', 'community', 'building', 'household']),
      ids: z.array(z.string()),
      communityIds: z.array(z.string()),
    }),
    residentId: z.string().nullable(),
  })
  .openapi('Me')

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in with user name, password and (for administrators) a TOTP code',
  middleware: [publicRoute()] as const,
  request: { body: jsonBody(loginBody) },
  responses: { 200: json(tokenPair), ...errorResponses(400, 401, 429) },
})

const refresh = createRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token for a new pair (the old one is used up; reuse revokes the sign-in)',
  middleware: [publicRoute()] as const,
  request: { body: jsonBody(z.strictObject({ refreshToken: z.string().min(1).max(200) })) },
  responses: { 200: json(tokenPair), ...errorResponses(400, 401, 429) },
})

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: ends this sign-in, its refresh tokens and its access tokens',
  middleware: [signedIn()] as const,
  responses: { 204: { description: 'signed out' }, ...errorResponses(401) },
})

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'Who am I: role, permissions and scope',
  middleware: [signedIn()] as const,
  responses: { 200: json(meBody), ...errorResponses(401) },
})

const roleList = createRoute({
  method: 'get',
  path: '/roles',
  tags: ['auth'],
  summary: 'The permission matrix: every role with its permissions and allowed scopes',
  middleware: [signedIn()] as const,
  responses: {
    200: json(
      z.strictObject({
        roles: z.array(
          z.strictObject({
            role: z.enum(roles),
            label: z.string(),
            permissions: z.array(z.enum(permissions)),
            scopes: z.array(z.enum(['company', 'community', 'building', 'household'])),
            mfa: z.boolean(),
          }),
        ),
      }),
    ),
    ...errorResponses(401),
  },
})

/** The sign-in routes. */
export function authRoutes(platform: Platform) {
  return routeApp()
    .openapi(login, async (c) => {
      const body = c.req.valid('json')
      const pair = await platform.login.login(body, c.var.clientIp, c.var.requestId)
      c.header('Cache-Control', 'no-store')
      return c.json(pair, 200)
    })
    .openapi(refresh, async (c) => {
      const pair = await platform.login.refresh(c.req.valid('json').refreshToken, c.var.requestId)
      c.header('Cache-Control', 'no-store')
      return c.json(pair, 200)
    })
    .openapi(logout, async (c) => {
      const auth = authOf(c)
      await platform.login.logout(
        { id: auth.userId, role: auth.role, companyId: auth.companyId },
        auth.sessionId,
        c.var.requestId,
      )
      return c.body(null, 204)
    })
    .openapi(me, (c) => {
      const auth = authOf(c)
      return c.json(
        {
          id: auth.userId,
          username: auth.username,
          role: auth.role,
          permissions: [...auth.permissions],
          scope: {
            kind: auth.scope.kind,
            ids: [...auth.scope.ids],
            communityIds: [...auth.scope.communityIds],
          },
          residentId: auth.residentId,
        },
        200,
      )
    })
    .openapi(roleList, (c) =>
      c.json(
        {
          roles: roles.map((role) => ({
            role,
            label: matrix[role].label,
            permissions: [...matrix[role].permissions],
            scopes: [...matrix[role].scopes],
            mfa: matrix[role].mfa,
          })),
        },
        200,
      ),
    )
}
