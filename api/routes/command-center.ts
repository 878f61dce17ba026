/**
 * Mounts the analytics side on the API: KPIs and the time machine, alarms and alarm rules, and the live stream,
 * with the platform's guard and the signed-in caller's scope. Analytics thinks in communities: a caller sees a
 * community's KPIs, alarms and live events only when their scope covers the whole community (company or community
 * scope); building- and household-scoped users see none (their screens read the records routes instead).
 *
 * Also turns alarm lifecycle changes into audit entries, in the alarm's own transaction.
 */
import type { Context } from 'hono'
import type { Analytics, AuditHook } from '../../analytics/index.ts'
import type { Postgres, Sql } from '../../data/index.ts'
import type { KindRunReport, Scoring } from '../../models/index.ts'
import type { Auditor } from '../audit/auditor.ts'
import { authOf, type AppEnv } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { coversCommunity } from '../auth/scope.ts'
import { alarmRoutes } from './alarms.ts'
import { analyticsRoutes, type Caller } from './analytics.ts'
import { liveRoutes } from './live.ts'
import { predictionRoutes, type AlertAuditHook } from './predictions.ts'

/** The caller as the analytics routes see it: communities their scope covers entirely. */
export function analyticsCaller(c: Context): Caller {
  const auth = authOf(c as Context<AppEnv>)
  const communities = new Set<string>()
  for (const id of auth.scope.communityIds) if (coversCommunity(auth.scope, id)) communities.add(id)
  return { userId: auth.userId, communities, permissions: auth.permissions }
}

export interface CommandCenterDeps {
  readonly analytics: Analytics
  readonly heartbeatMs: number
  /** The predictive-maintenance scoring job: mounts the prediction routes. */
  readonly scoring?: Scoring
  /** Audits on-demand scoring runs. */
  readonly audit?: { readonly db: Postgres; readonly auditor: Auditor }
}

/** The KPI, alarm, live and prediction routes, to mount under `/api/v1`. */
export function commandCenterRoutes(deps: CommandCenterDeps) {
  const { analytics, scoring, audit } = deps
  const predictions = scoring
    ? [
        predictionRoutes(
          {
            job: scoring.job,
            caller: analyticsCaller,
            ...(audit
              ? {
                  onManualRun: (caller: Caller, reports: readonly KindRunReport[]) =>
                    audit.db.transaction((tx) => scoredAudit(audit.auditor, tx, caller, reports)),
                  audit: { db: audit.db, hook: predictionAudit(audit.auditor) },
                }
              : {}),
          },
          guard,
        ),
      ]
    : []
  return {
    /** Routes described in the OpenAPI document (zod-openapi apps). */
    documented: predictions,
    plain: [
      analyticsRoutes(
        {
          kpis: analytics.kpis,
          timeMachine: analytics.timeMachine,
          tracker: analytics.tracker,
          caller: analyticsCaller,
          // The platform's database (passed for auditing): a building's units for per-unit energy.
          ...(audit ? { records: audit.db } : {}),
        },
        guard,
      ),
      alarmRoutes({ alarms: analytics.alarms, rules: analytics.rules, caller: analyticsCaller }, guard),
      liveRoutes({ bus: analytics.bus, caller: analyticsCaller, heartbeatMs: deps.heartbeatMs }, guard),
    ],
  }
}

/** The audit entry of an on-demand scoring run (who asked, what was scored). */
async function scoredAudit(auditor: Auditor, tx: Sql, caller: Caller, reports: readonly KindRunReport[]) {
  const [user] = await tx.query<{ role: string; companyId: string }>(ACTOR, [caller.userId])
  await auditor.record(tx, {
    actor: { id: caller.userId, role: user?.role ?? 'unknown', companyId: user?.companyId ?? null },
    action: 'prediction.score',
    object: { type: 'scoring_run', id: new Date().toISOString() },
    after: reports,
  })
}

const ACTOR = `SELECT role, company_id AS "companyId" FROM users WHERE id = $1`
const COMMUNITY_COMPANY = `SELECT company_id AS "companyId" FROM communities WHERE id = $1`

/**
 * Audits every alarm change but repeats: people acting on alarms under their own user, the stream and the timers as
 * `system`. Only the alarm's state travels into the hashes (not the device readings in its message).
 */
export function alarmAudit(auditor: Auditor): AuditHook {
  return async (tx: Sql, change) => {
    // A repeat only counts another occurrence of an open alarm; its event row is kept in alarm_events.
    if (change.action === 'repeated') return
    const { alarm } = change
    const [user] = change.actor
      ? await tx.query<{ role: string; companyId: string }>(ACTOR, [change.actor])
      : []
    const [community] = user
      ? []
      : await tx.query<{ companyId: string }>(COMMUNITY_COMPANY, [alarm.communityId])
    await auditor.record(tx, {
      actor: {
        id: change.actor ?? 'system',
        role: user?.role ?? 'system',
        companyId: user?.companyId ?? community?.companyId ?? null,
      },
      action: `alarm.${change.action}`,
      object: { type: 'alarm', id: String(alarm.id), communityId: alarm.communityId },
      after: { state: alarm.state, severity: alarm.severity, ruleId: alarm.ruleId, note: change.note },
    })
  }
}

/** Audits people's changes to predictive alerts (acknowledge, resolve, open the work order) under their user. */
export function predictionAudit(auditor: Auditor): AlertAuditHook {
  return async (tx: Sql, { action, alert, userId, note }) => {
    const [user] = await tx.query<{ role: string; companyId: string }>(ACTOR, [userId])
    const [community] = user
      ? []
      : await tx.query<{ companyId: string }>(COMMUNITY_COMPANY, [alert.communityId])
    await auditor.record(tx, {
      actor: {
        id: userId,
        role: user?.role ?? 'unknown',
        companyId: user?.companyId ?? community?.companyId ?? null,
      },
      action: `prediction_alert.${action}`,
      object: { type: 'prediction_alert', id: String(alert.id), communityId: alert.communityId },
      after: { state: alert.state, deviceId: alert.deviceId, workOrderRef: alert.workOrderRef, note },
    })
  }
}
