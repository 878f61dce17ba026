/**
 * Record routes, one set per kind (communities, buildings, units, households, residents, vehicles):
 *
 * - `GET /{kind}` (record:read) — keyset pages (`cursor`, `limit`), `q` search, the kind's filters;
 * - `GET /{kind}/{id}` (record:read); `POST /{kind}`, `PATCH /{kind}/{id}`, `POST /{kind}/{id}/archive|restore`
 *   (record:manage);
 * - `POST /residents/search` (record:read) — exact match by phone or ID number, in the body (never in a URL, which
 *   would reach access logs); `POST /residents/{id}/unmask` (pii:unmask, audited).
 *
 * Scope is checked in the service for every id; personal data is masked in every response.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { authOf, type AppEnv } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { acceptsGzip } from '../http/encoding.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { requestHeader } from '../http/request-header.ts'
import type { RecordService } from './service.ts'
import { kindNames, kinds, type KindName } from './kinds.ts'
import { idParams, listQuerySchema, pageSchema, viewSchema } from './schemas.ts'

type Input = Record<string, unknown>

const jsonHeaders = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' }
const gzipJsonHeaders = { ...jsonHeaders, 'Content-Encoding': 'gzip' }

function addKind(app: OpenAPIHono<AppEnv>, records: RecordService, kind: KindName): void {
  const spec = kinds[kind]
  const tags = [kind]
  const view = viewSchema(kind)
  const noun = spec.objectType

  app.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}`,
      tags,
      summary: `List ${kind} in your scope`,
      middleware: [guard('record:read')] as const,
      request: { query: listQuerySchema(spec) },
      responses: { 200: json(pageSchema(kind)), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const q: Input = c.req.valid('query')
      const filters: Record<string, string> = {}
      for (const name of spec.filters) if (typeof q[name] === 'string') filters[name] = q[name]
      const query = {
        limit: typeof q.limit === 'number' ? q.limit : 50,
        q: typeof q.q === 'string' ? q.q : undefined,
        includeArchived: q.includeArchived === 'true',
        filters,
        ...(typeof q.cursor === 'string' ? { cursor: q.cursor } : {}),
      }
      // The page is serialised (and compressed, for clients that take gzip) once per cached page; the schema
      // above is what it holds. A Response with plain headers: c.body() with more than one header would build a
      // Fetch API Headers object per response, the costliest step left on this hot path.
      if (acceptsGzip(requestHeader(c, 'accept-encoding'))) {
        c.set('encoded', true)
        return new Response(await records.listGzip(authOf(c), kind, query), {
          status: 200,
          headers: gzipJsonHeaders,
        }) as never
      }
      return new Response(await records.listJson(authOf(c), kind, query), {
        status: 200,
        headers: jsonHeaders,
      }) as never
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}/{id}`,
      tags,
      summary: `Read a ${noun}`,
      middleware: [guard('record:read')] as const,
      request: { params: idParams },
      responses: { 200: json(view), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await records.get(authOf(c), kind, c.req.valid('param').id), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: `/${kind}`,
      tags,
      summary: `Create a ${noun}`,
      middleware: [guard('record:manage')] as const,
      request: { body: jsonBody(spec.createSchema) },
      responses: { 201: json(view, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(await records.create(authOf(c), kind, c.req.valid('json') as Input, c.var.requestId), 201),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: `/${kind}/{id}`,
      tags,
      summary: `Change fields of a ${noun}`,
      middleware: [guard('record:manage')] as const,
      request: { params: idParams, body: jsonBody(spec.updateSchema) },
      responses: { 200: json(view), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(
        await records.update(
          authOf(c),
          kind,
          c.req.valid('param').id,
          c.req.valid('json') as Input,
          c.var.requestId,
        ),
        200,
      ),
  )

  for (const action of ['archive', 'restore'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/${kind}/{id}/${action}`,
        tags,
        summary:
          action === 'archive'
            ? `Archive a ${noun} (kept, hidden from lists)`
            : `Restore an archived ${noun}`,
        middleware: [guard('record:manage')] as const,
        request: { params: idParams },
        responses: { 200: json(view), ...errorResponses(401, 403, 404) },
      }),
      async (c) =>
        c.json(
          await records.setArchived(
            authOf(c),
            kind,
            c.req.valid('param').id,
            action === 'archive',
            c.var.requestId,
          ),
          200,
        ),
    )
  }
}

const search = createRoute({
  method: 'post',
  path: '/residents/search',
  tags: ['residents'],
  summary: 'Find residents in your scope by exact phone or ID number (through the keyed lookup hash)',
  middleware: [guard('record:read')] as const,
  request: {
    body: jsonBody(
      z
        .strictObject({
          phone: z
            .string()
            .regex(/^1[3-9]\d{9}$/)
            .optional(),
          idNumber: z
            .string()
            .regex(/^\d{17}[\dXx]$/)
            .optional(),
        })
        .refine((b) => b.phone !== undefined || b.idNumber !== undefined, 'give phone or idNumber'),
    ),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(viewSchema('residents')) })),
    ...errorResponses(400, 401, 403),
  },
})

export const unmaskedSchema = z
  .strictObject({
    id: z.string(),
    idNumber: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
  })
  .openapi('UnmaskedResident')

const unmask = createRoute({
  method: 'post',
  path: '/residents/{id}/unmask',
  tags: ['residents'],
  summary: 'Show the full ID and/or phone number of a resident (audited, with the reason)',
  middleware: [guard('pii:unmask')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.strictObject({
        fields: z
          .array(z.enum(['idNumber', 'phone']))
          .min(1)
          .max(2),
        reason: z.string().trim().min(2).max(200),
      }),
    ),
  },
  responses: { 200: json(unmaskedSchema), ...errorResponses(400, 401, 403, 404) },
})

/** The record routes. */
export function recordRoutes(records: RecordService) {
  const app = routeApp()
  app.openapi(search, async (c) =>
    c.json({ items: await records.searchResidents(authOf(c), c.req.valid('json')) }, 200),
  )
  app.openapi(unmask, async (c) => {
    const body = c.req.valid('json')
    const result = await records.unmask(
      authOf(c),
      c.req.valid('param').id,
      body.fields,
      body.reason,
      c.var.requestId,
    )
    c.header('Cache-Control', 'no-store')
    return c.json(result, 200)
  })
  for (const kind of kindNames) addKind(app, records, kind)
  return app
}
