/**
 * Everything a CommunitySet must satisfy, in one call: the tests run it on generated sets, and a planner can run
 * it on an edited layout before simulating it.
 */
import type { CommunitySet } from './types.ts'
import type { Violation } from './invariants-types.ts'
import { recordViolations } from './invariants-records.ts'
import { spaceViolations } from './invariants-space.ts'

/** Every invariant violation in `set` (an empty list when it is sound). */
export function findViolations(set: CommunitySet): Violation[] {
  return [...recordViolations(set), ...set.communities.flatMap(spaceViolations)]
}
