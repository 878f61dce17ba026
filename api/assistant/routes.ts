/**
 * `POST /assistant/ask` (assistant:ask): a question in Chinese or English, answered from the records and notices
 * the caller may see, with the sources it used. The question travels in the body (it may name a person or a home).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { NoticeService } from '../notices/service.ts'
import type { Platform } from '../platform.ts'
import { AssistantService, type AssistantOptions } from './service.ts'
import { sqlSources, type AssistantSources } from './sources.ts'

export const answerSchema = z
  .strictObject({
    answered: z.boolean(),
    lang: z.enum(['zh', 'en']),
    intent: z.enum([
      'my_bill',
      'my_repair',
      'fee_standard',
      'parking_fee',
      'elevator_maintenance',
      'general',
    ]),
    answer: z.string(),
    sources: z.array(
      z.strictObject({
        type: z.enum([
          'notice',
          'faq',
          'bill',
          'work_order',
          'fee_item',
          'parking_tariff',
          'maintenance_plan',
        ]),
        id: z.string(),
        title: z.string(),
      }),
    ),
    phone: z.string(),
  })
  .openapi('AssistantAnswer')

const ask = createRoute({
  method: 'post',
  path: '/assistant/ask',
  tags: ['assistant'],
  summary: 'Ask the residents’ assistant (Chinese or English); answers cite their sources',
  middleware: [guard('assistant:ask')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        question: z.string().trim().min(1).max(500),
        lang: z.enum(['zh', 'en']).optional(),
      }),
    ),
  },
  responses: { 200: json(answerSchema), ...errorResponses(400, 401, 403) },
})

/** The assistant route; `sources` default to the billing, work-order and parking tables. */
export function assistantRoutes(
  platform: Pick<Platform, 'db' | 'auditor'>,
  sources: AssistantSources = sqlSources,
  options: AssistantOptions = {},
) {
  const notices = new NoticeService(platform.db, platform.auditor)
  const assistant = new AssistantService(platform.db, notices, platform.auditor, sources, options)
  return routeApp().openapi(ask, async (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json(await assistant.ask(authOf(c), c.req.valid('json'), c.var.requestId), 200)
  })
}
