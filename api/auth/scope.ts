/**
 * Data scopes: a user sees the objects of their company, of some communities, of some buildings, or of their own
 * household. A scope is resolved once per session (ids of every community, building and household it covers) so
 * that checking an object is a few set look-ups, and a scoped list is one SQL condition.
 *
 * An object is in scope only at the user's own level: a building-scoped user sees objects that carry one of their
 * building ids (not the community record above them); a household-scoped user sees objects that carry their
 * household id. Services answer an object out of scope exactly like a missing one (404).
 */
import type { ScopeKind } from './permissions.ts'

/** A user's resolved data scope. */
export interface Scope {
  readonly kind: ScopeKind
  readonly companyId: string
  /** The ids the user was given (community, building or household ids; empty for company). */
  readonly ids: readonly string[]
  readonly communityIds: ReadonlySet<string>
  /** null = every building of the communities. */
  readonly buildingIds: ReadonlySet<string> | null
  /** null = every household of the buildings. */
  readonly householdIds: ReadonlySet<string> | null
}

/** Where an object sits: its community, and its building and household when it has them. */
export interface ObjectLocation {
  readonly communityId: string
  readonly buildingId?: string | null
  readonly householdId?: string | null
}

/** Whether the object at `location` is visible in `scope`. */
export function inScope(scope: Scope, location: ObjectLocation): boolean {
  if (!scope.communityIds.has(location.communityId)) return false
  if (scope.buildingIds && !(location.buildingId && scope.buildingIds.has(location.buildingId))) return false
  if (scope.householdIds && !(location.householdId && scope.householdIds.has(location.householdId)))
    return false
  return true
}

/** Whether the scope covers a whole community (company scope, or that community given). */
export function coversCommunity(scope: Scope, communityId: string): boolean {
  return scope.communityIds.has(communityId) && scope.buildingIds === null
}

/** The columns a table uses for each level; a level the table lacks makes its rows invisible at that level. */
export interface ScopeColumns {
  readonly community: string
  readonly building?: string
  readonly household?: string
}

/**
 * A SQL condition restricting rows of a table to `scope`. Ids are appended to `params` and referenced as `$n`;
 * column names come from code, never from input.
 */
export function scopeCondition(scope: Scope, columns: ScopeColumns, params: unknown[]): string {
  const bind = (ids: ReadonlySet<string>) => {
    params.push([...ids])
    return `$${params.length}::text[]`
  }
  if (scope.householdIds) {
    return columns.household ? `${columns.household} = ANY(${bind(scope.householdIds)})` : 'FALSE'
  }
  if (scope.buildingIds) {
    return columns.building ? `${columns.building} = ANY(${bind(scope.buildingIds)})` : 'FALSE'
  }
  return `${columns.community} = ANY(${bind(scope.communityIds)})`
}

/** The scope columns of tables that carry community, building and household ids (most operations tables). */
export const householdScoped: ScopeColumns = {
  community: 'community_id',
  building: 'building_id',
  household: 'household_id',
}

/**
 * The conditions of a scoped list: `scopeCondition` plus `column = $n` for each filter that has a value (filters
 * left undefined are skipped). Column names come from code, values are bound.
 */
export function scopedFilters(
  scope: Scope,
  columns: ScopeColumns,
  filters: readonly (readonly [column: string, value: unknown])[],
  params: unknown[],
): string[] {
  const where = [scopeCondition(scope, columns, params)]
  for (const [column, value] of filters) {
    if (value === undefined) continue
    params.push(value)
    where.push(`${column} = $${params.length}`)
  }
  return where
}
