/**
 * What the prediction routes answer: the response schemas (which the OpenAPI document shows) and the views that
 * turn the scoring job's stored scores, alerts and runs into them.
 */
import { z } from '@hono/zod-openapi'
import type { KindRunReport, StoredAlert, StoredScore } from '../../models/index.ts'
import { PREDICTIVE_KINDS } from '../../models/index.ts'

export const communityId = z.string().openapi({ description: 'community id', example: 'c01' })
export const kind = z.enum(PREDICTIVE_KINDS)

export const riskItem = z.object({
  deviceId: z.string(),
  kind,
  risk: z.number().min(0).max(1).openapi({ description: 'P(failure within the model horizon)' }),
  hoursToFailure: z
    .number()
    .nullable()
    .openapi({ description: 'predicted hours to failure; null when none is expected within the cap' }),
  scoredAt: z.string().openapi({ description: 'ISO 8601: when this score was computed' }),
})

export const evidenceItem = z.object({
  feature: z.string(),
  label: z.string(),
  unit: z.string(),
  share: z.number(),
  contribution: z.number(),
  value: z.number().nullable(),
  normal: z.object({ median: z.number(), low: z.number(), high: z.number() }).nullable(),
  deviation: z.number().nullable(),
  trendPerDay: z.number().nullable(),
})

export const alertStates = ['open', 'acknowledged', 'cleared', 'resolved'] as const

export const alertItem = z.object({
  id: z.number().int(),
  communityId: z.string(),
  deviceId: z.string(),
  kind,
  state: z.enum(alertStates),
  model: z.string(),
  modelVersion: z.string(),
  risk: z.number(),
  peakRisk: z.number(),
  lastRisk: z.number(),
  hoursToFailure: z.number().nullable(),
  predictedFailureAt: z.string().nullable(),
  evidence: z.array(evidenceItem),
  raisedAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  clearedAt: z.string().nullable(),
  workOrderRef: z.string().nullable(),
})

export const driftLevel = z.enum(['stable', 'moderate', 'significant'])

export const driftItem = z.object({
  kind,
  model: z.string(),
  version: z.string(),
  runs: z.number().int(),
  samples: z.number().int(),
  level: driftLevel,
  maxPsi: z.number(),
  inputs: z.array(z.object({ input: z.string(), psi: z.number(), level: driftLevel })),
  alertRate: z.object({
    runs: z.number().int(),
    deviceDays: z.number(),
    alerts: z.number().int(),
    per100DeviceDays: z.number().nullable(),
    validationPer100DeviceDays: z.number().nullable(),
    since: z.number().nullable(),
    until: z.number().nullable(),
  }),
})

export const runItem = z.object({
  kind,
  model: z.string().nullable(),
  version: z.string().nullable(),
  runId: z.number().int().nullable(),
  windowEnd: z.string(),
  scored: z.number().int(),
  skipped: z.number().int(),
  highRisk: z.number().int(),
  anomalous: z.number().int(),
  alertsRaised: z.array(z.number().int()),
  alertsCleared: z.array(z.number().int()),
  ms: z.object({ features: z.number(), score: z.number(), total: z.number() }),
})

export const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

export function riskView(s: StoredScore): z.infer<typeof riskItem> {
  return {
    deviceId: s.deviceId,
    kind: s.kind as z.infer<typeof kind>,
    risk: Math.min(1, Math.max(0, s.risk)),
    hoursToFailure: s.ttfCapped ? null : Math.round(s.ttfHours * 10) / 10,
    scoredAt: iso(s.scoredAt)!,
  }
}

export function alertView(a: StoredAlert): z.infer<typeof alertItem> {
  return {
    id: a.id,
    communityId: a.communityId,
    deviceId: a.deviceId,
    kind: a.deviceKind as z.infer<typeof kind>,
    state: a.state,
    model: a.model,
    modelVersion: a.modelVersion,
    risk: a.risk,
    peakRisk: a.peakRisk,
    lastRisk: a.lastRisk,
    hoursToFailure: a.ttfHours,
    predictedFailureAt: iso(a.predictedFailureAt),
    evidence: [...a.evidence],
    raisedAt: iso(a.raisedAt)!,
    lastSeenAt: iso(a.lastSeenAt)!,
    occurrences: a.occurrences,
    clearedAt: iso(a.clearedAt),
    workOrderRef: a.workOrderRef,
  }
}

export function runView(r: KindRunReport): z.infer<typeof runItem> {
  return {
    kind: r.kind,
    model: r.model,
    version: r.version,
    runId: r.runId,
    windowEnd: iso(r.windowEnd)!,
    scored: r.scored,
    skipped: r.skipped,
    highRisk: r.highRisk,
    anomalous: r.anomalous,
    alertsRaised: [...r.raised],
    alertsCleared: [...r.cleared],
    ms: r.ms,
  }
}
