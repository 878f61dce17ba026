/**
 * Residents' personal data: ID and phone numbers are stored encrypted (AES-256-GCM, key id inside each ciphertext),
 * with a keyed hash for exact-match lookup and the masked form (`138****1234`, `310104********123X`) that every
 * response shows. Plaintext is only ever returned by an explicit, audited unmask.
 */
import type { PiiCipher, Postgres } from '../../data/index.ts'
import { isValidIdNumber, maskIdNumber, maskPhone } from '../../data/index.ts'
import { badRequest } from '../http/errors.ts'

/** The PII columns for an ID number and a phone number given on create or update (undefined = unchanged). */
export function encodeResidentPii(
  pii: PiiCipher,
  input: { readonly idNumber?: string | undefined; readonly phone?: string | null | undefined },
): Record<string, unknown> {
  const columns: Record<string, unknown> = {}
  if (input.idNumber !== undefined) {
    const idNumber = input.idNumber.trim().toUpperCase()
    if (!isValidIdNumber(idNumber)) throw badRequest('body.idNumber: not a valid resident ID number')
    columns.id_number_enc = pii.encrypt(idNumber)
    columns.id_number_hash = pii.lookupHash(idNumber)
    columns.id_number_masked = maskIdNumber(idNumber)
  }
  if (input.phone !== undefined) {
    columns.phone_enc = input.phone === null ? null : pii.encrypt(input.phone)
    columns.phone_hash = input.phone === null ? null : pii.lookupHash(input.phone)
    columns.phone_masked = input.phone === null ? null : maskPhone(input.phone)
  }
  return columns
}

const MISSING = `SELECT id, id_number_enc, phone_enc FROM residents
  WHERE (id_number_masked IS NULL AND id_number_enc IS NOT NULL) OR (phone_masked IS NULL AND phone_enc IS NOT NULL)
  LIMIT 1000`
/** One statement per batch: residents joined to a VALUES list of (id, masked ID, masked phone). */
function fillStatement(rows: number): string {
  const values = Array.from({ length: rows }, (_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(
    ', ',
  )
  return `UPDATE residents r SET id_number_masked = coalesce(r.id_number_masked, v.id_masked),
    phone_masked = coalesce(r.phone_masked, v.phone_masked)
    FROM (VALUES ${values}) AS v (id, id_masked, phone_masked) WHERE r.id = v.id`
}

/**
 * Fills the masked forms of residents written without them (the community loader writes only ciphertexts).
 * Idempotent; runs in batches of 1,000.
 */
export async function ensureResidentMasks(db: Postgres, pii: PiiCipher): Promise<number> {
  let filled = 0
  for (;;) {
    const rows = await db.query<{
      id: string
      id_number_enc: Uint8Array | null
      phone_enc: Uint8Array | null
    }>(MISSING)
    if (rows.length === 0) return filled
    const params = rows.flatMap((row) => [
      row.id,
      row.id_number_enc ? maskIdNumber(pii.decrypt(row.id_number_enc)) : null,
      row.phone_enc ? maskPhone(pii.decrypt(row.phone_enc)) : null,
    ])
    await db.query(fillStatement(rows.length), params)
    filled += rows.length
  }
}

/** Decrypts the requested fields of a stored resident row. */
export function decryptResident(
  pii: PiiCipher,
  row: { id_number_enc: Uint8Array | null; phone_enc: Uint8Array | null },
  fields: readonly ('idNumber' | 'phone')[],
): { idNumber?: string | null; phone?: string | null } {
  const out: { idNumber?: string | null; phone?: string | null } = {}
  if (fields.includes('idNumber')) out.idNumber = row.id_number_enc ? pii.decrypt(row.id_number_enc) : null
  if (fields.includes('phone')) out.phone = row.phone_enc ? pii.decrypt(row.phone_enc) : null
  return out
}
