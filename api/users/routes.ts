/**
 * Account administration (`user:manage`): list, read, create, disable/enable, reset password. Users of another
 * company read as missing.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { actorOf } from '../audit/auditor.ts'
import { authOf } from '../auth/context.ts'
import { roles } from '../auth/permissions.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'

const scopeSchema = z.strictObject({
  kind: z.enum(['company', 'community', 'building', 'household']),
  ids: z.array(z.string().min(1).max(64)).max(500),
})

export const userSchema = z
  .strictObject({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    scope: scopeSchema,
    residentId: z.string().nullable(),
    mfa: z.boolean(),
    disabled: z.boolean(),
    lockedUntil: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('User')

const issuedSchema = z
  .strictObject({ user: userSchema, password: z.string().nullable(), totpUri: z.string().nullable() })
  .openapi('IssuedCredentials')

const idParam = z.strictObject({ id: z.string().min(1).max(64) })
const manage = () => [guard('user:manage')]

const list = createRoute({
  method: 'get',
  path: '/users',
  tags: ['users'],
  summary: 'List the accounts of your company',
  middleware: manage(),
  request: {
    query: z.strictObject({
      after: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: { 200: json(z.strictObject({ items: z.array(userSchema) })), ...errorResponses(400, 401, 403) },
})

const read = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'Read an account',
  middleware: manage(),
  request: { params: idParam },
  responses: { 200: json(userSchema), ...errorResponses(401, 403, 404) },
})

const create = createRoute({
  method: 'post',
  path: '/users',
  tags: ['users'],
  summary: 'Create an account (a generated password and, for MFA roles, a TOTP URI are returned once)',
  middleware: manage(),
  request: {
    body: jsonBody(
      z.strictObject({
        username: z.string().min(2).max(64),
        displayName: z.string().min(1).max(100),
        role: z.enum(roles),
        scope: scopeSchema,
        residentId: z.string().max(64).nullable().optional(),
        password: z.string().min(1).max(200).optional(),
      }),
    ),
  },
  responses: { 201: json(issuedSchema, 'created'), ...errorResponses(400, 401, 403, 409) },
})

function stateRoute(state: 'disable' | 'enable') {
  return createRoute({
    method: 'post',
    path: `/users/{id}/${state}`,
    tags: ['users'],
    summary:
      state === 'disable' ? 'Disable an account: ends every session at once' : 'Enable an account again',
    middleware: manage(),
    request: { params: idParam },
    responses: { 200: json(userSchema), ...errorResponses(400, 401, 403, 404) },
  })
}

const reset = createRoute({
  method: 'post',
  path: '/users/{id}/reset-password',
  tags: ['users'],
  summary: 'Set a new password (and optionally a new TOTP secret); ends every session',
  middleware: manage(),
  request: {
    params: idParam,
    body: jsonBody(
      z.strictObject({ password: z.string().min(1).max(200).optional(), resetTotp: z.boolean().optional() }),
    ),
  },
  responses: { 200: json(issuedSchema), ...errorResponses(400, 401, 403, 404) },
})

/** The account routes. */
export function userRoutes(platform: Platform) {
  const users = platform.users
  return routeApp()
    .openapi(list, async (c) => {
      const { after, limit } = c.req.valid('query')
      return c.json({ items: await users.list(authOf(c).companyId, after ?? '', limit ?? 50) }, 200)
    })
    .openapi(read, async (c) => c.json(await users.get(authOf(c).companyId, c.req.valid('param').id), 200))
    .openapi(create, async (c) => {
      const auth = authOf(c)
      const issued = await users.create(
        { ...actorOf(auth), companyId: auth.companyId },
        c.req.valid('json'),
        c.var.requestId,
      )
      c.header('Cache-Control', 'no-store')
      return c.json(issued, 201)
    })
    .openapi(stateRoute('disable'), async (c) => {
      const auth = authOf(c)
      const actor = { ...actorOf(auth), companyId: auth.companyId }
      return c.json(await users.setDisabled(actor, c.req.valid('param').id, true, c.var.requestId), 200)
    })
    .openapi(stateRoute('enable'), async (c) => {
      const auth = authOf(c)
      const actor = { ...actorOf(auth), companyId: auth.companyId }
      return c.json(await users.setDisabled(actor, c.req.valid('param').id, false, c.var.requestId), 200)
    })
    .openapi(reset, async (c) => {
      const auth = authOf(c)
      const issued = await users.resetPassword(
        { ...actorOf(auth), companyId: auth.companyId },
        c.req.valid('param').id,
        c.req.valid('json'),
        c.var.requestId,
      )
      c.header('Cache-Control', 'no-store')
      return c.json(issued, 200)
    })
}
