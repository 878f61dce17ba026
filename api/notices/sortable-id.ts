/**
 * Ids for the operations records (notices, passes, sessions, orders…): a prefix, the creation time in base 36 and
 * random bits, so that ordering by id is ordering by creation (keyset pages, newest first) without a sequence.
 */
import { randomBytes } from 'node:crypto'

/** `nt-mf3k2a1b0-9c1d2e3f` — sorts by creation time to the millisecond, unique by its 48 random bits. */
export function sortableId(prefix: string, now = Date.now()): string {
  return `${prefix}-${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`
}
