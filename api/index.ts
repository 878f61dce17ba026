/**
 * The API area's public surface, for the server entry and for route modules added by other areas (analytics,
 * models, twin): the app, the platform, and what a route module needs to declare and check access —
 *
 * ```ts
 * import { guard, authOf, inScope, routeApp, type AppEnv } from '../index.ts'
 * export const kpiRoutes = (deps) => routeApp().openapi(createRoute({ …, middleware: [guard('kpi:read')] }), (c) => {
 *   const auth = authOf(c)                       // user, role, permissions, resolved scope
 *   if (!auth.scope.communityIds.has(id)) throw notFound('community')   // scope check in the service
 * })
 * ```
 */
export { createApp } from './app.ts'
export type { AppDeps } from './app.ts'
export { createPlatform, existingPlatform, platformFor } from './platform.ts'
export type { Platform, PlatformStores } from './platform.ts'
export { startApiPlatform } from './start.ts'
export type { ApiPlatform } from './start.ts'
export { ensureDemoAccounts, demoAccountsWanted } from './users/demo-accounts.ts'
export type { DemoAccount } from './users/demo-accounts.ts'

export {
  guard,
  signedIn,
  publicRoute,
  deviceToken,
  metricsScrape,
  routePolicies,
  policyOf,
} from './auth/policy.ts'
export type { DeclaredRoute, RoutePolicy } from './auth/policy.ts'
export { authOf } from './auth/context.ts'
export type { AppEnv, AuthContext, Authenticator } from './auth/context.ts'
export { inScope, coversCommunity, scopeCondition } from './auth/scope.ts'
export type { ObjectLocation, Scope, ScopeColumns } from './auth/scope.ts'
export {
  matrix,
  permissions,
  permissionsOf,
  roleHas,
  roles,
  isPermission,
  isRole,
} from './auth/permissions.ts'
export type { Permission, Role, ScopeKind } from './auth/permissions.ts'
export { actorOf, Auditor } from './audit/auditor.ts'
export type { Actor } from './audit/auditor.ts'

export { ApiError, badRequest, conflict, errorBodySchema, notFound } from './http/errors.ts'
export type { ErrorBody } from './http/errors.ts'
export { errorResponses, json, jsonBody, routeApp } from './http/openapi.ts'

// Property operations, part A (issue 5): work orders and the machines that open them, the SLA job, the
// missed-maintenance check and the missed-inspection sweep. The server wires the openers into the alarm service
// and the scoring job, and starts the checks.
export { WorkOrderService } from './workorders/service.ts'
export type { AutomaticOrder, WorkOrderServiceDeps } from './workorders/service.ts'
export { AlarmWorkOrderOpener, PredictionWorkOrderOpener } from './workorders/openers.ts'
export type { PredictiveWorkOrderOpener, PredictiveWorkOrderRequest } from './workorders/openers.ts'
export { SlaMonitor } from './workorders/sla-monitor.ts'
export type { Escalation, SlaMonitorOptions } from './workorders/sla-monitor.ts'
export { MaintenanceMonitor } from './equipment/monitor.ts'
export type { MaintenanceAlert, MaintenanceMonitorOptions } from './equipment/monitor.ts'
export { InspectionRoutes } from './inspections/route-plans.ts'
export { InspectionTasks } from './inspections/tasks.ts'

// Property operations, part C (issue 5): the gate-event feed the server passes to the ingest
// (`startIngest({ observers: [feed] })`, then `feed.start()`; `await feed.stop()` on shutdown), the gate-event
// service behind it, and the assistant's pluggable sources (an equipment module may add `elevatorMaintenance`).
export { gateEventFeed } from './access/feed.ts'
export { GateEventFeed, GateEventService } from './access/gate-events.ts'
export type { GateEvent, IngestResult } from './access/gate-events.ts'
export { assistantRoutes } from './assistant/routes.ts'
export { sqlSources } from './assistant/sources.ts'
export type { AssistantSources, MaintenanceSummary } from './assistant/sources.ts'
