/**
 * Notice routes:
 *
 * - `GET /notices`, `GET /notices/{id}` (notice:read) — live notices of your community or building; staff who
 *   manage notices also see drafts, scheduled and withdrawn ones;
 * - `POST /notices`, `PATCH /notices/{id}`, `POST /notices/{id}/publish|withdraw` (notice:manage).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'
import { NoticeService } from './service.ts'

const id = z.string().min(1).max(64)
const idParams = z.strictObject({ id })
const category = z.enum(['general', 'maintenance', 'fee', 'safety', 'event'])
const lang = z.enum(['zh', 'en'])
const dateTime = z.iso.datetime({ offset: true })

export const noticeSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    category,
    lang,
    title: z.string(),
    body: z.string(),
    status: z.enum(['draft', 'published', 'withdrawn']),
    publishAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    live: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Notice')

const tags = ['notices']

const list = createRoute({
  method: 'get',
  path: '/notices',
  tags,
  summary: 'Notices of your community or building, newest first',
  middleware: [guard('notice:read')] as const,
  request: {
    query: z.strictObject({
      communityId: id.optional(),
      buildingId: id.optional(),
      category: category.optional(),
      after: id.optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(noticeSchema), nextAfter: z.string().nullable() })),
    ...errorResponses(400, 401, 403),
  },
})

const read = createRoute({
  method: 'get',
  path: '/notices/{id}',
  tags,
  summary: 'Read a notice',
  middleware: [guard('notice:read')] as const,
  request: { params: idParams },
  responses: { 200: json(noticeSchema), ...errorResponses(401, 403, 404) },
})

const create = createRoute({
  method: 'post',
  path: '/notices',
  tags,
  summary: 'Write a notice for a community (communityId) or a building (buildingId); a draft unless publish',
  middleware: [guard('notice:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        communityId: id.optional(),
        buildingId: id.optional(),
        category,
        lang,
        title: z.string().trim().min(1).max(200),
        body: z.string().trim().min(1).max(20000),
        publish: z.boolean().optional(),
        publishAt: dateTime.optional(),
        expiresAt: dateTime.optional(),
      }),
    ),
  },
  responses: { 201: json(noticeSchema, 'created'), ...errorResponses(400, 401, 403, 404) },
})

const update = createRoute({
  method: 'patch',
  path: '/notices/{id}',
  tags,
  summary: 'Edit a draft',
  middleware: [guard('notice:manage')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z
        .strictObject({
          category: category.optional(),
          lang: lang.optional(),
          title: z.string().trim().min(1).max(200).optional(),
          body: z.string().trim().min(1).max(20000).optional(),
          expiresAt: dateTime.optional(),
        })
        .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
    ),
  },
  responses: { 200: json(noticeSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const publish = createRoute({
  method: 'post',
  path: '/notices/{id}/publish',
  tags,
  summary: 'Publish a draft now or at publishAt',
  middleware: [guard('notice:manage')] as const,
  request: {
    params: idParams,
    body: jsonBody(z.strictObject({ publishAt: dateTime.optional(), expiresAt: dateTime.optional() })),
  },
  responses: { 200: json(noticeSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const withdraw = createRoute({
  method: 'post',
  path: '/notices/{id}/withdraw',
  tags,
  summary: 'Withdraw a published notice',
  middleware: [guard('notice:manage')] as const,
  request: { params: idParams },
  responses: { 200: json(noticeSchema), ...errorResponses(401, 403, 404, 409) },
})

/** The notice routes, on the platform's database and audit writer. */
export function noticeRoutes(platform: Pick<Platform, 'db' | 'auditor'>) {
  const notices = new NoticeService(platform.db, platform.auditor)
  return routeApp()
    .openapi(list, async (c) => {
      const q = c.req.valid('query')
      const limit = q.limit ?? 50
      const items = await notices.list(authOf(c), { ...q, limit })
      return c.json({ items, nextAfter: items.length === limit ? (items.at(-1)?.id ?? null) : null }, 200)
    })
    .openapi(read, async (c) => c.json(await notices.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(create, async (c) =>
      c.json(await notices.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(update, async (c) =>
      c.json(
        await notices.update(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(publish, async (c) =>
      c.json(
        await notices.publish(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(withdraw, async (c) =>
      c.json(await notices.withdraw(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
}
