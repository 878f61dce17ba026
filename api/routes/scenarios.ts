/**
 * Planner scenarios (issue 9), a route module to mount under `/api/v1`:
 *
 * `scenario:manage`
 * - `POST /scenarios` `{communityId, name, study: {seed?, changes?, demand}}` — a scenario: layout changes (add,
 *   move or close a gate; add parking; place an area) and a demand (`day`, `morningPeak`, or `evacuation` of
 *   buildings or an area). The study is checked against the community (unknown gate, building, node → 400).
 * - `POST /scenarios/{id}/run` — queues a run (202); it runs in a worker thread, its state and progress are
 *   stored: queued → running → done | failed. 409 while one is queued or running.
 * `scenario:read`
 * - `GET /scenarios?communityId=&limit=` — the community's scenarios, newest first, with their run state.
 * - `GET /scenarios/{id}` — one scenario and its run state (poll this for progress).
 * - `GET /scenarios/{id}/result` — the KPIs of its last run (409 until it has one).
 * - `GET /scenarios/compare?a=&b=` — two results side by side, each figure with b − a.
 *
 * A scenario of a community outside the caller's scope reads exactly like a missing one (404).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { studySchema } from '../../twin/sim/index.ts'
import type { Postgres } from '../../data/index.ts'
import type { Auditor } from '../audit/auditor.ts'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { ScenarioRunner } from '../scenarios/runner.ts'
import { ScenarioService } from '../scenarios/service.ts'

export interface ScenarioRouteDeps {
  readonly db: Postgres
  readonly auditor: Auditor
  /** Runs the queued scenarios (default: one at a time, in worker threads). */
  readonly runner?: ScenarioRunner
}

const id = z.string().min(1).max(64)
const tags = ['scenarios']

const scenarioSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    study: z.record(z.string(), z.unknown()),
    status: z.enum(['draft', 'queued', 'running', 'done', 'failed']),
    progress: z.number().openapi({ description: 'percent of the current run' }),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Scenario')

const kpisSchema = z.record(z.string(), z.unknown()).openapi('ScenarioKpis', {
  description:
    'people, arrived, evacuationTime, walkingTrip, walkingDistance, gateWait, gates, parking, flows, heatmap ' +
    '(frames of [cell index, count] pairs), figures',
})

const resultSchema = z.strictObject({ scenario: scenarioSchema, kpis: kpisSchema })

const rowSchema = z.strictObject({
  metric: z.string(),
  unit: z.string(),
  a: z.number().nullable(),
  b: z.number().nullable(),
  change: z.number().nullable().openapi({ description: 'b − a' }),
  lowerIsBetter: z.boolean(),
})

const create = createRoute({
  method: 'post',
  path: '/scenarios',
  tags,
  summary: 'Create a scenario: layout changes and a demand for a community',
  middleware: [guard('scenario:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({ communityId: id, name: z.string().trim().min(1).max(100), study: studySchema }),
    ),
  },
  responses: { 201: json(scenarioSchema, 'created'), ...errorResponses(400, 401, 403, 404, 413) },
})

const list = createRoute({
  method: 'get',
  path: '/scenarios',
  tags,
  summary: "A community's scenarios with their run state, newest first",
  middleware: [guard('scenario:read')] as const,
  request: {
    query: z.strictObject({ communityId: id, limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(scenarioSchema) })),
    ...errorResponses(400, 401, 403, 404),
  },
})

const compare = createRoute({
  method: 'get',
  path: '/scenarios/compare',
  tags,
  summary: 'Two scenario results side by side, with the difference of each figure',
  middleware: [guard('scenario:read')] as const,
  request: { query: z.strictObject({ a: id, b: id }) },
  responses: {
    200: json(z.strictObject({ a: resultSchema, b: resultSchema, rows: z.array(rowSchema) })),
    ...errorResponses(400, 401, 403, 404, 409),
  },
})

const get = createRoute({
  method: 'get',
  path: '/scenarios/{id}',
  tags,
  summary: 'A scenario and the state of its run',
  middleware: [guard('scenario:read')] as const,
  request: { params: z.strictObject({ id }) },
  responses: { 200: json(scenarioSchema), ...errorResponses(401, 403, 404) },
})

const run = createRoute({
  method: 'post',
  path: '/scenarios/{id}/run',
  tags,
  summary: 'Queue a run of the scenario (in a worker thread)',
  middleware: [guard('scenario:manage')] as const,
  request: { params: z.strictObject({ id }) },
  responses: { 202: json(scenarioSchema, 'queued'), ...errorResponses(401, 403, 404, 409) },
})

const result = createRoute({
  method: 'get',
  path: '/scenarios/{id}/result',
  tags,
  summary: 'The KPIs of the scenario’s last run',
  middleware: [guard('scenario:read')] as const,
  request: { params: z.strictObject({ id }) },
  responses: { 200: json(resultSchema), ...errorResponses(401, 403, 404, 409) },
})

/** The scenario routes. */
export function scenarioRoutes(deps: ScenarioRouteDeps) {
  const runner = deps.runner ?? new ScenarioRunner(deps.db)
  const service = new ScenarioService(deps.db, runner, deps.auditor)
  return routeApp()
    .openapi(create, async (c) => {
      const body = c.req.valid('json')
      return c.json(await service.create(authOf(c), body, c.var.requestId), 201)
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await service.list(authOf(c), q.communityId, q.limit) }, 200)
    })
    .openapi(compare, async (c) => {
      const q = c.req.valid('query')
      return c.json(await service.compare(authOf(c), q.a, q.b), 200)
    })
    .openapi(get, async (c) => c.json(await service.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(run, async (c) =>
      c.json(await service.run(authOf(c), c.req.valid('param').id, c.var.requestId), 202),
    )
    .openapi(result, async (c) => c.json(await service.result(authOf(c), c.req.valid('param').id), 200))
}
