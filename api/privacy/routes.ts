/**
 * Personal-data routes:
 *
 * - `GET /residents/{id}/face` (record:read) — consents and credentials of a resident;
 * - `POST /residents/{id}/face-consent`, `…/face-consent/withdraw`, `POST /residents/{id}/credentials`
 *   (consent:manage) — consent before face enrolment; withdrawing revokes face credentials;
 * - `GET /me/data`, `POST /me/deletion-request` (self:data) — a resident's own export and deletion request;
 * - `GET /data-requests`, `POST /data-requests/{id}/complete|reject` (data_request:manage).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { ConsentService } from './consent.ts'
import type { DataRightsService } from './data-rights.ts'

const residentParams = z.strictObject({ id: z.string().min(1).max(64) })

export const consentSchema = z
  .strictObject({
    id: z.string(),
    residentId: z.string(),
    purpose: z.string(),
    method: z.string(),
    grantedAt: z.string(),
    withdrawnAt: z.string().nullable(),
  })
  .openapi('FaceConsent')
export const credentialSchema = z
  .strictObject({
    id: z.string(),
    residentId: z.string(),
    kind: z.enum(['card', 'qr', 'pin', 'face']),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('AccessCredential')
export const dataRequestSchema = z
  .strictObject({
    id: z.string(),
    residentId: z.string(),
    communityId: z.string(),
    kind: z.literal('deletion'),
    status: z.enum(['pending', 'completed', 'rejected']),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('DataRequest')

const face = createRoute({
  method: 'get',
  path: '/residents/{id}/face',
  tags: ['personal data'],
  summary: 'Face consents and access credentials of a resident',
  middleware: [guard('record:read')] as const,
  request: { params: residentParams },
  responses: {
    200: json(z.strictObject({ consents: z.array(consentSchema), credentials: z.array(credentialSchema) })),
    ...errorResponses(401, 403, 404),
  },
})

const grant = createRoute({
  method: 'post',
  path: '/residents/{id}/face-consent',
  tags: ['personal data'],
  summary: "Record a resident's separate consent to face recognition",
  middleware: [guard('consent:manage')] as const,
  request: {
    params: residentParams,
    body: jsonBody(
      z.strictObject({
        purpose: z.string().trim().min(2).max(200),
        method: z.enum(['paper', 'app', 'kiosk']),
      }),
    ),
  },
  responses: { 201: json(consentSchema, 'recorded'), ...errorResponses(400, 401, 403, 404, 409) },
})

const withdraw = createRoute({
  method: 'post',
  path: '/residents/{id}/face-consent/withdraw',
  tags: ['personal data'],
  summary: 'Withdraw face consent: face credentials are revoked at once',
  middleware: [guard('consent:manage')] as const,
  request: { params: residentParams },
  responses: { 200: json(consentSchema), ...errorResponses(401, 403, 404, 409) },
})

const issue = createRoute({
  method: 'post',
  path: '/residents/{id}/credentials',
  tags: ['personal data'],
  summary: 'Issue an access credential (face only with consent on record: 409 consent_required)',
  middleware: [guard('consent:manage')] as const,
  request: {
    params: residentParams,
    body: jsonBody(z.strictObject({ kind: z.enum(['card', 'qr', 'pin', 'face']) })),
  },
  responses: { 201: json(credentialSchema, 'issued'), ...errorResponses(400, 401, 403, 404, 409) },
})

const myData = createRoute({
  method: 'get',
  path: '/me/data',
  tags: ['personal data'],
  summary: 'Export everything held about you (audited)',
  middleware: [guard('self:data')] as const,
  responses: { 200: json(z.record(z.string(), z.unknown())), ...errorResponses(400, 401, 403, 404) },
})

const askDeletion = createRoute({
  method: 'post',
  path: '/me/deletion-request',
  tags: ['personal data'],
  summary: 'Ask for your personal data to be deleted',
  middleware: [guard('self:data')] as const,
  responses: { 201: json(dataRequestSchema, 'requested'), ...errorResponses(400, 401, 403, 404, 409) },
})

const listRequests = createRoute({
  method: 'get',
  path: '/data-requests',
  tags: ['personal data'],
  summary: 'Deletion requests of the communities you manage',
  middleware: [guard('data_request:manage')] as const,
  request: {
    query: z.strictObject({
      after: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(dataRequestSchema) })),
    ...errorResponses(400, 401, 403),
  },
})

function decide(decision: 'complete' | 'reject') {
  return createRoute({
    method: 'post',
    path: `/data-requests/{id}/${decision}`,
    tags: ['personal data'],
    summary:
      decision === 'complete'
        ? 'Erase the resident’s personal data and close the request'
        : 'Reject the request',
    middleware: [guard('data_request:manage')] as const,
    request: { params: residentParams },
    responses: { 200: json(dataRequestSchema), ...errorResponses(401, 403, 404, 409) },
  })
}

/** The personal-data routes. */
export function privacyRoutes(consents: ConsentService, rights: DataRightsService) {
  return routeApp()
    .openapi(face, async (c) => c.json(await consents.list(authOf(c), c.req.valid('param').id), 200))
    .openapi(grant, async (c) =>
      c.json(
        await consents.grant(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        201,
      ),
    )
    .openapi(withdraw, async (c) =>
      c.json(await consents.withdraw(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(issue, async (c) =>
      c.json(
        await consents.issue(authOf(c), c.req.valid('param').id, c.req.valid('json').kind, c.var.requestId),
        201,
      ),
    )
    .openapi(myData, async (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json(await rights.export(authOf(c), c.var.requestId), 200)
    })
    .openapi(askDeletion, async (c) => c.json(await rights.requestDeletion(authOf(c), c.var.requestId), 201))
    .openapi(listRequests, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await rights.list(authOf(c), q.after ?? '', q.limit ?? 50) }, 200)
    })
    .openapi(decide('complete'), async (c) =>
      c.json(await rights.decide(authOf(c), c.req.valid('param').id, 'complete', c.var.requestId), 200),
    )
    .openapi(decide('reject'), async (c) =>
      c.json(await rights.decide(authOf(c), c.req.valid('param').id, 'reject', c.var.requestId), 200),
    )
}
