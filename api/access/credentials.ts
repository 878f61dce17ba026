/**
 * Access credentials of residents: cards (number encrypted, keyed hash to match a swipe, masked ****1234), PINs
 * (keyed hash only), QR codes (a random token shown once, kept as its keyed hash) and faces (the template
 * encrypted, only with the resident's consent on record — 409 `consent_required` otherwise, as the consent
 * service does). Issued and revoked by guards and managers, audited; listed by household for residents.
 */
import { randomBytes } from 'node:crypto'
import type { PiiCipher, Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { householdScoped, inScope, scopedFilters } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'

export type CredentialKind = 'card' | 'qr' | 'pin' | 'face'

export interface CredentialIssue {
  readonly residentId: string
  readonly kind: CredentialKind
  /** Card number (card). */
  readonly cardNumber?: string | undefined
  /** 6 digits (pin). */
  readonly pin?: string | undefined
  /** Base64 face template from the enrolment kiosk (face). */
  readonly faceTemplate?: string | undefined
  readonly validUntil?: string | undefined
}

export interface CredentialDetail {
  readonly id: string
  readonly residentId: string
  readonly householdId: string | null
  readonly kind: CredentialKind
  /** Masked card number (****1234), '******' for a PIN, null otherwise. */
  readonly masked: string | null
  readonly validUntil: string | null
  readonly createdAt: string
  readonly revokedAt: string | null
  readonly revokeReason: string | null
}

interface Row {
  id: string
  resident_id: string
  community_id: string
  building_id: string | null
  household_id: string | null
  kind: CredentialKind
  secret_masked: string | null
  valid_until: Date | null
  created_at: Date
  revoked_at: Date | null
  revoke_reason: string | null
}

const COLUMNS = `id, resident_id, community_id, building_id, household_id, kind, secret_masked, valid_until,
  created_at, revoked_at, revoke_reason`
const RESIDENT = `SELECT community_id, building_id, household_id FROM residents
  WHERE id = $1 AND erased_at IS NULL AND archived_at IS NULL FOR UPDATE`
const ACTIVE_CONSENT = 'SELECT id FROM face_consents WHERE resident_id = $1 AND withdrawn_at IS NULL'
const INSERT = `INSERT INTO access_credentials (id, resident_id, kind, consent_id, secret_enc, secret_hash,
  secret_masked, valid_until, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`
const LOCK = `SELECT ${COLUMNS} FROM access_credentials WHERE id = $1 FOR UPDATE`
const REVOKE = `UPDATE access_credentials SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1
  RETURNING ${COLUMNS}`

const view = (r: Row): CredentialDetail => ({
  id: r.id,
  residentId: r.resident_id,
  householdId: r.household_id,
  kind: r.kind,
  masked: r.secret_masked,
  validUntil: r.valid_until?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  revokeReason: r.revoke_reason,
})

const located = (r: Row) => ({
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
})

/** The secret columns of a new credential, and the token to show once (QR). */
function secretOf(
  pii: PiiCipher,
  input: CredentialIssue,
): { enc: Uint8Array | null; hash: Uint8Array | null; masked: string | null; shown: string | null } {
  const extra = (['cardNumber', 'pin', 'faceTemplate'] as const).filter(
    (k) =>
      input[k] !== undefined &&
      !(k === 'cardNumber' && input.kind === 'card') &&
      !(k === 'pin' && input.kind === 'pin') &&
      !(k === 'faceTemplate' && input.kind === 'face'),
  )
  if (extra.length > 0) throw badRequest(`body.${extra[0]}: not used for a ${input.kind} credential`)
  switch (input.kind) {
    case 'card': {
      const card = input.cardNumber
      if (!card) throw badRequest('body.cardNumber: required for a card')
      return {
        enc: pii.encrypt(card),
        hash: pii.lookupHash(card),
        masked: `****${card.slice(-4)}`,
        shown: null,
      }
    }
    case 'pin': {
      if (!input.pin) throw badRequest('body.pin: required for a PIN')
      return { enc: null, hash: pii.lookupHash(`pin:${input.pin}`), masked: '******', shown: null }
    }
    case 'qr': {
      const token = `ac_${randomBytes(24).toString('base64url')}`
      return { enc: null, hash: pii.lookupHash(token), masked: null, shown: token }
    }
    case 'face': {
      if (!input.faceTemplate) throw badRequest('body.faceTemplate: required for a face')
      return { enc: pii.encrypt(input.faceTemplate), hash: null, masked: null, shown: null }
    }
  }
}

export class CredentialService {
  constructor(
    private readonly db: Postgres,
    private readonly pii: PiiCipher,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: {
      residentId?: string | undefined
      householdId?: string | undefined
      after?: string | undefined
      limit: number
    },
  ): Promise<CredentialDetail[]> {
    const params: unknown[] = []
    const where = scopedFilters(
      auth.scope,
      householdScoped,
      [
        ['resident_id', filter.residentId],
        ['household_id', filter.householdId],
      ],
      params,
    )
    if (filter.after !== undefined) {
      params.push(filter.after)
      where.push(`id > $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM access_credentials WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
      params,
    )
    return rows.map(view)
  }

  /** Issues a credential; the QR token is in `secret`, returned this once. */
  async issue(
    auth: AuthContext,
    input: CredentialIssue,
    requestId: string | null,
  ): Promise<CredentialDetail & { secret: string | null }> {
    const validUntil = input.validUntil === undefined ? null : new Date(input.validUntil)
    if (validUntil && validUntil.getTime() <= Date.now())
      throw badRequest('body.validUntil: must be in the future')
    const secret = secretOf(this.pii, input)
    return this.db.transaction(async (tx) => {
      const [resident] = await tx.query<{ community_id: string; building_id: string; household_id: string }>(
        RESIDENT,
        [input.residentId],
      )
      if (
        !resident ||
        !inScope(auth.scope, {
          communityId: resident.community_id,
          buildingId: resident.building_id,
          householdId: resident.household_id,
        })
      )
        throw notFound('resident')
      let consentId: string | null = null
      if (input.kind === 'face') {
        const [consent] = await tx.query<{ id: string }>(ACTIVE_CONSENT, [input.residentId])
        if (!consent)
          throw conflict('face enrolment needs the resident’s consent on record', 'consent_required')
        consentId = consent.id
      }
      if (secret.hash) {
        const [taken] = await tx.query(
          `SELECT 1 FROM access_credentials WHERE community_id = $1 AND kind = $2 AND secret_hash = $3 AND revoked_at IS NULL`,
          [resident.community_id, input.kind, secret.hash],
        )
        if (taken)
          throw conflict(`that ${input.kind === 'pin' ? 'PIN' : 'card'} is already in use`, 'secret_in_use')
      }
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('ac'),
        input.residentId,
        input.kind,
        consentId,
        secret.enc,
        secret.hash,
        secret.masked,
        validUntil,
        auth.userId,
      ])
      if (!row) throw new Error('credential not stored')
      await this.audit(tx, auth, `credential.issue:${input.kind}`, row, null, requestId)
      return { ...view(row), secret: secret.shown }
    })
  }

  async revoke(
    auth: AuthContext,
    id: string,
    reason: string,
    requestId: string | null,
  ): Promise<CredentialDetail> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !inScope(auth.scope, located(before))) throw notFound('credential')
      if (before.revoked_at) throw conflict('the credential is already revoked', 'already_revoked')
      const [row] = await tx.query<Row>(REVOKE, [id, auth.userId, reason])
      if (!row) throw notFound('credential')
      await this.audit(tx, auth, 'credential.revoke', row, before, requestId)
      return view(row)
    })
  }

  private audit(
    tx: Sql,
    auth: AuthContext,
    action: string,
    row: Row,
    before: Row | null,
    requestId: string | null,
  ) {
    return this.auditor.record(tx, {
      actor: actorOf(auth),
      action,
      object: { type: 'access_credential', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}
