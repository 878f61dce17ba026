/**
 * The generator's entry point: a deterministic CommunitySet for a seed and a profile. Same seed and profile give
 * byte-identical JSON; nothing reads the clock or Math.random.
 */
import type { CommunitySet, GenerateOptions, Profile } from './types.ts'
import { createRng } from './rng.ts'
import { PROFILES, planCommunities } from './profiles.ts'
import { PhoneRegistry, PlateRegistry } from './contacts.ts'
import { buildCommunity } from './community.ts'

/** The property company that manages every generated community. */
export const COMPANY = { id: 'pm01', name: '锦绣物业服务有限公司' } as const

/** Whether `value` names a profile. */
export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && Object.hasOwn(PROFILES, value)
}

/**
 * Generates the communities of `profile` from `seed`: one for `small` (≈150 households) and `default`
 * (≈2,000 households), twelve for `large`. Throws a RangeError for a seed that is not a safe integer or an
 * unknown profile.
 */
export function generateCommunity({ seed, profile }: GenerateOptions): CommunitySet {
  if (!isProfile(profile)) throw new RangeError(`unknown profile "${String(profile)}"`)
  const root = createRng(seed)
  const registries = {
    phones: new PhoneRegistry(),
    plates: new PlateRegistry(),
    idNumbers: new Set<string>(),
  }
  const plans = planCommunities(root.fork('plans'), profile)
  return {
    seed,
    profile,
    company: { ...COMPANY },
    communities: plans.map((plan) => buildCommunity(root.fork(plan.id), plan, registries)),
  }
}
