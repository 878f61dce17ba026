/**
 * Face data under PIPL: a resident's separate consent is recorded (who recorded it, how, for what purpose) before
 * any face credential can be enrolled, and withdrawing it revokes their face credentials at once. Residents always
 * have non-face credentials (card, QR code, PIN), and every gate accepts at least one of them (a database
 * constraint), so declining face recognition never locks anyone out.
 */
import { randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope } from '../auth/scope.ts'
import { conflict, notFound } from '../http/errors.ts'

export type CredentialKind = 'card' | 'qr' | 'pin' | 'face'

export interface ConsentView {
  readonly id: string
  readonly residentId: string
  readonly purpose: string
  readonly method: string
  readonly grantedAt: string
  readonly withdrawnAt: string | null
}

export interface CredentialView {
  readonly id: string
  readonly residentId: string
  readonly kind: CredentialKind
  readonly createdAt: string
  readonly revokedAt: string | null
}

const RESIDENT = `SELECT community_id, building_id, household_id FROM residents
  WHERE id = $1 AND erased_at IS NULL FOR UPDATE`
const ACTIVE_CONSENT = 'SELECT id FROM face_consents WHERE resident_id = $1 AND withdrawn_at IS NULL'
const GRANT = `INSERT INTO face_consents (id, resident_id, purpose, method, granted_by) VALUES ($1, $2, $3, $4, $5)
  RETURNING id, resident_id, purpose, method, granted_at, withdrawn_at`
const WITHDRAW = `UPDATE face_consents SET withdrawn_at = now() WHERE resident_id = $1 AND withdrawn_at IS NULL
  RETURNING id, resident_id, purpose, method, granted_at, withdrawn_at`
const REVOKE_FACE = `UPDATE access_credentials SET revoked_at = now()
  WHERE resident_id = $1 AND kind = 'face' AND revoked_at IS NULL`
const ISSUE = `INSERT INTO access_credentials (id, resident_id, kind, consent_id) VALUES ($1, $2, $3, $4)
  RETURNING id, resident_id, kind, created_at, revoked_at`
const CREDENTIALS = `SELECT id, resident_id, kind, created_at, revoked_at FROM access_credentials
  WHERE resident_id = $1 ORDER BY created_at, id`
const CONSENTS = `SELECT id, resident_id, purpose, method, granted_at, withdrawn_at FROM face_consents
  WHERE resident_id = $1 ORDER BY granted_at, id`

type ConsentRow = {
  id: string
  resident_id: string
  purpose: string
  method: string
  granted_at: Date
  withdrawn_at: Date | null
}
type CredentialRow = {
  id: string
  resident_id: string
  kind: CredentialKind
  created_at: Date
  revoked_at: Date | null
}

export const consentView = (r: ConsentRow): ConsentView => ({
  id: r.id,
  residentId: r.resident_id,
  purpose: r.purpose,
  method: r.method,
  grantedAt: r.granted_at.toISOString(),
  withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
})
export const credentialView = (r: CredentialRow): CredentialView => ({
  id: r.id,
  residentId: r.resident_id,
  kind: r.kind,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
})

const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString('base64url')}`

export class ConsentService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  /** Locks the resident row and checks scope; returns its community. */
  private async resident(tx: Sql, auth: AuthContext, id: string): Promise<string> {
    const [row] = await tx.query<{ community_id: string; building_id: string; household_id: string }>(
      RESIDENT,
      [id],
    )
    if (
      !row ||
      !inScope(auth.scope, {
        communityId: row.community_id,
        buildingId: row.building_id,
        householdId: row.household_id,
      })
    ) {
      throw notFound('resident')
    }
    return row.community_id
  }

  async grant(
    auth: AuthContext,
    residentId: string,
    input: { purpose: string; method: 'paper' | 'app' | 'kiosk' },
    requestId: string | null,
  ): Promise<ConsentView> {
    return this.db.transaction(async (tx) => {
      const communityId = await this.resident(tx, auth, residentId)
      if ((await tx.query(ACTIVE_CONSENT, [residentId])).length > 0)
        throw conflict('consent is already on record')
      const [row] = await tx.query<ConsentRow>(GRANT, [
        newId('fc'),
        residentId,
        input.purpose,
        input.method,
        auth.userId,
      ])
      if (!row) throw new Error('consent not stored')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'face_consent.grant',
        object: { type: 'resident', id: residentId, communityId },
        after: row,
        requestId,
      })
      return consentView(row)
    })
  }

  /** Withdraws consent and revokes every face credential of the resident. */
  async withdraw(auth: AuthContext, residentId: string, requestId: string | null): Promise<ConsentView> {
    return this.db.transaction(async (tx) => {
      const communityId = await this.resident(tx, auth, residentId)
      const [row] = await tx.query<ConsentRow>(WITHDRAW, [residentId])
      if (!row) throw conflict('no consent on record', 'no_consent')
      await tx.query(REVOKE_FACE, [residentId])
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'face_consent.withdraw',
        object: { type: 'resident', id: residentId, communityId },
        after: row,
        requestId,
      })
      return consentView(row)
    })
  }

  /** Issues an access credential; a face credential needs consent on record (409 `consent_required`). */
  async issue(
    auth: AuthContext,
    residentId: string,
    kind: CredentialKind,
    requestId: string | null,
  ): Promise<CredentialView> {
    return this.db.transaction(async (tx) => {
      const communityId = await this.resident(tx, auth, residentId)
      let consentId: string | null = null
      if (kind === 'face') {
        const [consent] = await tx.query<{ id: string }>(ACTIVE_CONSENT, [residentId])
        if (!consent)
          throw conflict('face enrolment needs the resident’s consent on record', 'consent_required')
        consentId = consent.id
      }
      const [row] = await tx.query<CredentialRow>(ISSUE, [newId('ac'), residentId, kind, consentId])
      if (!row) throw new Error('credential not stored')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: `credential.issue:${kind}`,
        object: { type: 'resident', id: residentId, communityId },
        after: row,
        requestId,
      })
      return credentialView(row)
    })
  }

  async list(
    auth: AuthContext,
    residentId: string,
  ): Promise<{ consents: ConsentView[]; credentials: CredentialView[] }> {
    return this.db.transaction(async (tx) => {
      await this.resident(tx, auth, residentId)
      const consents = await tx.query<ConsentRow>(CONSENTS, [residentId])
      const credentials = await tx.query<CredentialRow>(CREDENTIALS, [residentId])
      return { consents: consents.map(consentView), credentials: credentials.map(credentialView) }
    })
  }
}
