/**
 * Alarms and alarm rules (a Hono sub-app; mount under `/api/v1`).
 *
 * `alarm:read`
 * - `GET /alarms?communityId&state&active&limit` — alarms in the caller's communities, newest first
 * - `GET /alarms/:id` — one alarm with its lifecycle history (who did what, when)
 * `alarm:manage`
 * - `POST /alarms/:id/acknowledge`, `/start`, `/resolve` with `{ "note"?: string }` — recorded with the caller
 * `alarm_rule:manage`
 * - `GET /alarm-rules`, `GET /alarm-rules/:id`, `POST /alarm-rules`, `PUT /alarm-rules/:id`,
 *   `DELETE /alarm-rules/:id` — changes apply to the running engine within a poll period, without a restart
 *
 * An alarm or rule outside the caller's communities reads as missing (404); rules that apply to every community
 * (`communityId: null`) are visible and editable only by callers who see every community.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import {
  AlarmNotFoundError,
  alarmRuleInput,
  alarmStates,
  AlarmTransitionError,
  RuleConflictError,
  type AlarmAction,
  type AlarmService,
  type CommunityScope,
  type RuleStore,
  type StoredRule,
} from '../../analytics/index.ts'
import { ApiError, notFound } from '../http/errors.ts'
import type { CallerOf, Guard } from './analytics.ts'

export interface AlarmRouteDeps {
  readonly alarms: AlarmService
  readonly rules: RuleStore
  readonly caller: CallerOf
}

const listQuery = z.object({
  communityId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  state: z.enum(alarmStates).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
const actionBody = z.object({ note: z.string().max(2000).optional() }).strict()
const idParam = z.coerce.number().int().positive()

function invalid(error: z.ZodError): ApiError {
  const issue = error.issues[0]
  return new ApiError(
    400,
    'bad_request',
    `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
  )
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw new ApiError(400, 'bad_request', 'the body must be JSON')
  }
}

function ruleVisible(scope: CommunityScope, rule: { communityId: string | null }): boolean {
  if (scope === 'all') return true
  return rule.communityId !== null && scope.has(rule.communityId)
}

function alarmId(c: Context): number {
  const id = idParam.safeParse(c.req.param('id'))
  if (!id.success) throw notFound('alarm')
  return id.data
}

/** Maps the analytics domain errors to the API's error shape. */
async function domain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AlarmNotFoundError) throw notFound('alarm')
    if (error instanceof AlarmTransitionError) throw new ApiError(409, 'invalid_transition', error.message)
    if (error instanceof RuleConflictError) throw new ApiError(409, 'conflict', error.message)
    throw error
  }
}

/** The alarm and alarm-rule routes. */
export function alarmRoutes(deps: AlarmRouteDeps, guard: Guard): Hono {
  const read = guard('alarm:read')
  const manage = guard('alarm:manage')
  const rulesGuard = guard('alarm_rule:manage')
  const act = (action: AlarmAction) => async (c: Context) => {
    const body = actionBody.safeParse(await jsonBody(c).catch(() => ({})))
    if (!body.success) throw invalid(body.error)
    const caller = deps.caller(c)
    const alarm = await domain(() =>
      deps.alarms.act(alarmId(c), action, caller.userId, caller.communities, body.data.note),
    )
    return c.json({ alarm })
  }
  const findRule = async (c: Context): Promise<StoredRule> => {
    const rule = await deps.rules.get(c.req.param('id') ?? '')
    if (!rule || !ruleVisible(deps.caller(c).communities, rule)) throw notFound('alarm rule')
    return rule
  }
  const ruleInput = async (c: Context) => {
    const parsed = alarmRuleInput.safeParse(await jsonBody(c))
    if (!parsed.success) throw invalid(parsed.error)
    if (!ruleVisible(deps.caller(c).communities, parsed.data)) {
      throw new ApiError(403, 'forbidden', 'the rule must belong to one of your communities')
    }
    return parsed.data
  }

  return new Hono()
    .get('/alarms', read, async (c) => {
      const q = listQuery.safeParse(c.req.query())
      if (!q.success) throw invalid(q.error)
      const { communityId, state, active, limit } = q.data
      const alarms = await deps.alarms.list(deps.caller(c).communities, {
        ...(communityId ? { communityId } : {}),
        ...(state ? { state } : {}),
        ...(active ? { active: active === 'true' } : {}),
        limit,
      })
      return c.json({ alarms })
    })
    .get('/alarms/:id', read, async (c) =>
      c.json(await domain(() => deps.alarms.get(alarmId(c), deps.caller(c).communities))),
    )
    .post('/alarms/:id/acknowledge', manage, act('acknowledge'))
    .post('/alarms/:id/start', manage, act('start'))
    .post('/alarms/:id/resolve', manage, act('resolve'))
    .get('/alarm-rules', rulesGuard, async (c) => {
      const scope = deps.caller(c).communities
      return c.json({ rules: (await deps.rules.list()).filter((r) => ruleVisible(scope, r)) })
    })
    .get('/alarm-rules/:id', rulesGuard, async (c) => c.json({ rule: await findRule(c) }))
    .post('/alarm-rules', rulesGuard, async (c) => {
      const input = await ruleInput(c)
      const rule = await domain(() => deps.rules.create(input, deps.caller(c).userId))
      return c.json({ rule }, 201)
    })
    .put('/alarm-rules/:id', rulesGuard, async (c) => {
      await findRule(c)
      const input = await ruleInput(c)
      if (input.id !== c.req.param('id')) throw new ApiError(400, 'bad_request', 'id: must match the path')
      const rule = await deps.rules.update(input, deps.caller(c).userId)
      if (!rule) throw notFound('alarm rule')
      return c.json({ rule })
    })
    .delete('/alarm-rules/:id', rulesGuard, async (c) => {
      const rule = await findRule(c)
      await deps.rules.remove(rule.id, deps.caller(c).userId)
      return c.body(null, 204)
    })
}
