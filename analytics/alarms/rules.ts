/**
 * Alarm rules as data: the declarative shapes stored in PostgreSQL (`alarm_rules`) and accepted by the API, and
 * their validation. Four types:
 *
 * - `threshold` — a metric compared with a value, held for at least `durationS` (device time); optional
 *   `clearValue` for hysteresis (the alarm's condition ends only when the value is back past it);
 * - `rate` — a metric changing faster than `maxPerMinute` between consecutive samples (`up`, `down` or `any`);
 * - `stale` — no message from the device for `afterS` (checked on a timer), or an `offline` status;
 * - `composite` — `all` or `any` of other rules active on the same device.
 *
 * `silent` rules raise nothing themselves; they exist to feed composites.
 */
import { z } from 'zod'

export const ruleTypes = ['threshold', 'rate', 'stale', 'composite'] as const
export type RuleType = (typeof ruleTypes)[number]
export const severities = ['info', 'minor', 'major', 'critical'] as const
export type Severity = (typeof severities)[number]

const metric = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a metric name')
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id of letters, digits, _ or -')

export const thresholdParams = z.object({
  op: z.enum(['>', '>=', '<', '<=']),
  value: z.number().finite(),
  durationS: z.number().min(0).max(86_400).default(0),
  clearValue: z.number().finite().optional(),
  silent: z.boolean().default(false),
})
export const rateParams = z.object({
  maxPerMinute: z.number().positive().finite(),
  direction: z.enum(['up', 'down', 'any']).default('any'),
  silent: z.boolean().default(false),
})
export const staleParams = z.object({
  afterS: z
    .number()
    .min(1)
    .max(30 * 86_400),
  onOfflineStatus: z.boolean().default(true),
  silent: z.boolean().default(false),
})
export const compositeParams = z.object({
  op: z.enum(['all', 'any']),
  rules: z.array(id).min(1).max(16),
  silent: z.boolean().default(false),
})

export type ThresholdParams = z.infer<typeof thresholdParams>
export type RateParams = z.infer<typeof rateParams>
export type StaleParams = z.infer<typeof staleParams>
export type CompositeParams = z.infer<typeof compositeParams>

const common = {
  id,
  communityId: id.nullable().default(null),
  name: z.string().min(1).max(200),
  deviceKind: id.nullable().default(null),
  deviceId: id.nullable().default(null),
  severity: z.enum(severities).default('major'),
  enabled: z.boolean().default(true),
  escalateAfterS: z.number().int().positive().nullable().default(null),
  remindEveryS: z.number().int().positive().nullable().default(null),
  autoWorkOrder: z.boolean().default(false),
}

/** A rule as the API accepts it (and as it is stored, plus bookkeeping columns). */
export const alarmRuleInput = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('threshold'), metric, params: thresholdParams }),
    z.object({ ...common, type: z.literal('rate'), metric, params: rateParams }),
    z.object({ ...common, type: z.literal('stale'), metric: z.null().default(null), params: staleParams }),
    z.object({
      ...common,
      type: z.literal('composite'),
      metric: z.null().default(null),
      params: compositeParams,
    }),
  ])
  .superRefine((rule, ctx) => {
    if (rule.type !== 'composite' && rule.deviceKind === null && rule.deviceId === null) {
      ctx.addIssue({ code: 'custom', message: 'needs a deviceKind or a deviceId', path: ['deviceKind'] })
    }
  })

export type AlarmRuleInput = z.infer<typeof alarmRuleInput>

/** A stored rule: the input plus when it last changed (its revision). */
export type AlarmRule = AlarmRuleInput & {
  /** Epoch ms of the last change; a rule whose revision is unchanged keeps its evaluation state on reload. */
  readonly revision: number
}

/** Parses a stored row's fields into a rule; returns the problem as a string when it is invalid. */
export function parseRule(value: unknown, revision: number): AlarmRule | string {
  const result = alarmRuleInput.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    return `${issue?.path.join('.') ?? 'rule'}: ${issue?.message ?? 'invalid'}`
  }
  return { ...result.data, revision }
}
