/**
 * Import and export routes:
 *
 * - `GET /records/{kind}/export?format=csv|xlsx` (record:export) — every record in scope, personal data masked;
 * - `POST /records/{kind}/import?dryRun=true|false` (record:manage) — body `text/csv` or an XLSX file; all rows or
 *   none; row errors come back in `error.details` ({row, field, message}).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { ApiError } from '../http/errors.ts'
import { errorResponses, json, routeApp } from '../http/openapi.ts'
import { kindNames } from './kinds.ts'
import type { TransferService } from './transfer.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const params = z.strictObject({ kind: z.enum(kindNames) })

const exportRoute = createRoute({
  method: 'get',
  path: '/records/{kind}/export',
  tags: ['import and export'],
  summary: 'Export every record of a kind in your scope as CSV or XLSX (personal data masked; audited)',
  middleware: [guard('record:export')],
  request: {
    params,
    query: z.strictObject({
      format: z.enum(['csv', 'xlsx']).optional(),
      includeArchived: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'the file',
      content: {
        'text/csv': { schema: z.string() },
        [XLSX]: { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errorResponses(400, 401, 403),
  },
})

const importRoute = createRoute({
  method: 'post',
  path: '/records/{kind}/import',
  tags: ['import and export'],
  summary: 'Import records from CSV or XLSX: every row or none (row errors in error.details)',
  middleware: [guard('record:manage')],
  request: {
    params,
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).optional() }),
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string() },
        [XLSX]: { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: {
    200: json(z.strictObject({ created: z.number().int(), dryRun: z.boolean(), ids: z.array(z.string()) })),
    ...errorResponses(400, 401, 403, 413),
  },
})

/** The import and export routes. */
export function transferRoutes(transfer: TransferService) {
  return routeApp()
    .openapi(exportRoute, async (c) => {
      const { kind } = c.req.valid('param')
      const query = c.req.valid('query')
      const format = query.format ?? 'csv'
      const file = await transfer.export(authOf(c), kind, format, {
        includeArchived: query.includeArchived === 'true',
        requestId: c.var.requestId,
      })
      c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
      c.header('Content-Disposition', `attachment; filename="${kind}.${format}"`)
      return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200)
    })
    .openapi(importRoute, async (c) => {
      const { kind } = c.req.valid('param')
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
      const format = type === 'text/csv' ? 'csv' : type === XLSX ? 'xlsx' : null
      if (!format) throw new ApiError(415, 'unsupported_media_type', `send text/csv or ${XLSX}`)
      const body = new Uint8Array(await c.req.arrayBuffer())
      const result = await transfer.import(authOf(c), kind, format, body, {
        dryRun: c.req.valid('query').dryRun === 'true',
        requestId: c.var.requestId,
      })
      return c.json(result, 200)
    })
}
