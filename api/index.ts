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
