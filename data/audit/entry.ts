/**
 * What an audit entry is, byte for byte: the canonical encoding that becomes a Merkle leaf, and the state hash
 * that stands for an object before and after a change (the audit log holds hashes, never the personal data).
 */
import { createHash } from 'node:crypto'
import { leafHash } from './merkle.ts'

/** One audit entry as stored (bytea columns as bytes, `ts` in UTC to the millisecond). */
export interface AuditEntry {
  readonly seq: number
  readonly ts: Date
  readonly companyId: string | null
  readonly communityId: string | null
  readonly actorId: string
  readonly actorRole: string
  readonly action: string
  readonly objectType: string
  readonly objectId: string
  readonly beforeHash: Uint8Array | null
  readonly afterHash: Uint8Array | null
  readonly requestId: string | null
}

const DOMAIN = 'community-twin/audit/v1'
const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'))

/** The canonical bytes of an entry: a JSON array in fixed order, so no two entries encode alike. */
export function encodeEntry(entry: AuditEntry): Buffer {
  return Buffer.from(
    JSON.stringify([
      DOMAIN,
      entry.seq,
      entry.ts.toISOString(),
      entry.companyId,
      entry.communityId,
      entry.actorId,
      entry.actorRole,
      entry.action,
      entry.objectType,
      entry.objectId,
      hex(entry.beforeHash),
      hex(entry.afterHash),
      entry.requestId,
    ]),
    'utf8',
  )
}

/** The entry's Merkle leaf hash, SHA-256(0x00 || canonical entry). */
export function entryLeafHash(entry: AuditEntry): Buffer {
  return leafHash(encodeEntry(entry))
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key])
    return out
  }
  return value === undefined ? null : value
}

/** SHA-256 of a state in canonical JSON (sorted keys, dates as ISO, bytes as base64); null stays null. */
export function stateHash(state: unknown): Buffer | null {
  if (state === null || state === undefined) return null
  return createHash('sha256')
    .update(JSON.stringify(canonical(state)))
    .digest()
}
