/**
 * Scope checks shared by the billing services. Fee items, cycles and readings belong to a community and are
 * managed by staff whose scope covers the whole community; bills and payments belong to a unit and its household,
 * so a building-scoped clerk sees their buildings' bills and a resident their household's. Anything out of scope
 * answers 404, exactly like a missing object.
 */
import { randomBytes } from 'node:crypto'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, inScope, type ObjectLocation } from '../auth/scope.ts'
import { notFound } from '../http/errors.ts'

/** Throws 404 unless the caller's scope covers the whole community. */
export function requireCommunity(auth: AuthContext, communityId: string, what = 'community'): void {
  if (!coversCommunity(auth.scope, communityId)) throw notFound(what)
}

/** Throws 404 unless the caller sees some of the community (all of it, or some of its buildings or households). */
export function requireSomeOf(auth: AuthContext, communityId: string): void {
  if (!auth.scope.communityIds.has(communityId)) throw notFound('community')
}

/** Throws 404 unless the object at `location` is in the caller's scope. */
export function requireInScope(auth: AuthContext, location: ObjectLocation, what: string): void {
  if (!inScope(auth.scope, location)) throw notFound(what)
}

/** A new random id with a kind prefix, e.g. `pay-3kq…`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`
}
