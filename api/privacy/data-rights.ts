/**
 * A resident's rights over their own data (PIPL arts. 45 and 47): export everything held about them (plaintext,
 * to them only, audited) and ask for deletion. Staff holding `data_request:manage` complete a deletion: the
 * resident's identifying data is erased (name replaced, ID and phone ciphertexts, hashes and masks removed), face
 * consent withdrawn, credentials revoked, the record archived and the linked account disabled. Audit entries stay:
 * they hold hashes, not the data.
 */
import { randomBytes } from 'node:crypto'
import type { PiiCipher, Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthStates } from '../auth/auth-state.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, inScope } from '../auth/scope.ts'
import type { Sessions } from '../auth/sessions.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { consentView, credentialView } from './consent.ts'

export interface DataRequestView {
  readonly id: string
  readonly residentId: string
  readonly communityId: string
  readonly kind: 'deletion'
  readonly status: 'pending' | 'completed' | 'rejected'
  readonly createdAt: string
  readonly decidedAt: string | null
}

type RequestRow = {
  id: string
  resident_id: string
  community_id: string
  kind: 'deletion'
  status: 'pending' | 'completed' | 'rejected'
  created_at: Date
  decided_at: Date | null
  user_id: string
}

const view = (r: RequestRow): DataRequestView => ({
  id: r.id,
  residentId: r.resident_id,
  communityId: r.community_id,
  kind: r.kind,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  decidedAt: r.decided_at?.toISOString() ?? null,
})

const RESIDENT = `SELECT id, household_id, building_id, community_id, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS
  birth_date, id_number_enc, phone_enc, relation, age_group, occupation, created_at FROM residents
  WHERE id = $1 AND erased_at IS NULL`
const HOUSEHOLD = `SELECT h.id, h.tenure, u.number AS unit, b.name AS building, c.name AS community
  FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = h.building_id
  JOIN communities c ON c.id = h.community_id WHERE h.id = $1`
const VEHICLES =
  'SELECT id, plate, energy FROM vehicles WHERE household_id = $1 AND archived_at IS NULL ORDER BY id'
const CONSENTS = `SELECT id, resident_id, purpose, method, granted_at, withdrawn_at FROM face_consents
  WHERE resident_id = $1 ORDER BY granted_at`
const CREDENTIALS = `SELECT id, resident_id, kind, created_at, revoked_at FROM access_credentials
  WHERE resident_id = $1 ORDER BY created_at`
const REQUEST_COLUMNS = 'id, resident_id, community_id, kind, status, created_at, decided_at, user_id'
const PENDING = `SELECT ${REQUEST_COLUMNS} FROM data_requests WHERE resident_id = $1 AND status = 'pending'`
const CREATE = `INSERT INTO data_requests (id, user_id, resident_id, community_id, kind) VALUES ($1, $2, $3, $4, 'deletion')
  RETURNING ${REQUEST_COLUMNS}`
const LIST = `SELECT ${REQUEST_COLUMNS} FROM data_requests WHERE community_id = ANY($1::text[]) AND id > $2
  ORDER BY id LIMIT $3`
const ONE = `SELECT ${REQUEST_COLUMNS} FROM data_requests WHERE id = $1 FOR UPDATE`
const DECIDE = `UPDATE data_requests SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1
  RETURNING ${REQUEST_COLUMNS}`
const ERASE = `UPDATE residents SET name = '已删除', id_number_enc = NULL, id_number_hash = NULL, id_number_masked = NULL,
  phone_enc = NULL, phone_hash = NULL, phone_masked = NULL, occupation = 'home', erased_at = now(),
  archived_at = coalesce(archived_at, now()), updated_at = now() WHERE id = $1`
const WITHDRAW =
  'UPDATE face_consents SET withdrawn_at = now() WHERE resident_id = $1 AND withdrawn_at IS NULL'
// Every credential of the resident, revoked ones too, loses its secret (card number, face template, PIN hash):
// the row stays, as the record that a credential existed and when it was revoked.
const REVOKE = `UPDATE access_credentials SET revoked_at = coalesce(revoked_at, now()),
  revoke_reason = coalesce(revoke_reason, 'personal data erased'), secret_enc = NULL, secret_hash = NULL,
  secret_masked = NULL WHERE resident_id = $1`
const DISABLE_USERS = `UPDATE users SET disabled_at = coalesce(disabled_at, now()), updated_at = now()
  WHERE resident_id = $1 RETURNING id`

export interface DataRightsDeps {
  readonly db: Postgres
  readonly pii: PiiCipher
  readonly auditor: Auditor
  readonly sessions: Sessions
  readonly states: AuthStates
  /** Called after a resident's data was erased (cached lists must not show it). */
  readonly onErase?: () => void
}

export class DataRightsService {
  constructor(private readonly deps: DataRightsDeps) {}

  private residentOf(auth: AuthContext): string {
    if (!auth.residentId) throw badRequest('this account is not linked to a resident')
    return auth.residentId
  }

  /** Everything held about the caller's own resident record, in plaintext, to them only. Audited. */
  async export(auth: AuthContext, requestId: string | null): Promise<Record<string, unknown>> {
    const residentId = this.residentOf(auth)
    const { db, pii } = this.deps
    return db.transaction(async (tx) => {
      const [r] = await tx.query<
        Record<string, unknown> & { id_number_enc: Uint8Array | null; phone_enc: Uint8Array | null }
      >(RESIDENT, [residentId])
      if (!r) throw notFound('resident')
      const household = (await tx.query(HOUSEHOLD, [r.household_id]))[0] ?? null
      const vehicles = await tx.query(VEHICLES, [r.household_id])
      const consents = await tx.query<Parameters<typeof consentView>[0]>(CONSENTS, [residentId])
      const credentials = await tx.query<Parameters<typeof credentialView>[0]>(CREDENTIALS, [residentId])
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'pii.export',
        object: { type: 'resident', id: residentId, communityId: String(r.community_id) },
        requestId,
      })
      return {
        exportedAt: new Date().toISOString(),
        account: { id: auth.userId, username: auth.username, role: auth.role },
        resident: {
          id: r.id,
          name: r.name,
          gender: r.gender,
          birthDate: r.birth_date,
          idNumber: r.id_number_enc ? pii.decrypt(r.id_number_enc) : null,
          phone: r.phone_enc ? pii.decrypt(r.phone_enc) : null,
          relation: r.relation,
          ageGroup: r.age_group,
          occupation: r.occupation,
          createdAt: (r.created_at as Date).toISOString(),
        },
        household,
        vehicles,
        faceConsents: consents.map(consentView),
        credentials: credentials.map(credentialView),
      }
    })
  }

  /** The caller asks for their data to be deleted; one pending request at a time. */
  async requestDeletion(auth: AuthContext, requestId: string | null): Promise<DataRequestView> {
    const residentId = this.residentOf(auth)
    return this.deps.db.transaction(async (tx) => {
      const [r] = await tx.query<{ community_id: string }>(RESIDENT, [residentId])
      if (!r) throw notFound('resident')
      if ((await tx.query(PENDING, [residentId])).length > 0)
        throw conflict('a deletion request is already pending')
      const [row] = await tx.query<RequestRow>(CREATE, [
        `dr-${randomBytes(8).toString('base64url')}`,
        auth.userId,
        residentId,
        r.community_id,
      ])
      if (!row) throw new Error('request not stored')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'data_request.create',
        object: { type: 'data_request', id: row.id, communityId: r.community_id },
        after: row,
        requestId,
      })
      return view(row)
    })
  }

  /** Pending and decided requests of the communities the caller covers. */
  async list(auth: AuthContext, after: string, limit: number): Promise<DataRequestView[]> {
    const communities = [...auth.scope.communityIds].filter((id) => coversCommunity(auth.scope, id))
    return (await this.deps.db.query<RequestRow>(LIST, [communities, after, limit])).map(view)
  }

  /** Completes (erases the resident's data) or rejects a pending request. */
  async decide(
    auth: AuthContext,
    id: string,
    decision: 'complete' | 'reject',
    requestId: string | null,
  ): Promise<DataRequestView> {
    const disabled: string[] = []
    const result = await this.deps.db.transaction(async (tx) => {
      const [request] = await tx.query<RequestRow>(ONE, [id])
      if (
        !request ||
        !inScope(auth.scope, { communityId: request.community_id }) ||
        !coversCommunity(auth.scope, request.community_id)
      ) {
        throw notFound('data request')
      }
      if (request.status !== 'pending') throw conflict(`the request is already ${request.status}`)
      const [row] = await tx.query<RequestRow>(DECIDE, [
        id,
        decision === 'complete' ? 'completed' : 'rejected',
        auth.userId,
      ])
      if (!row) throw notFound('data request')
      if (decision === 'complete') {
        await tx.query(ERASE, [request.resident_id])
        await tx.query(WITHDRAW, [request.resident_id])
        await tx.query(REVOKE, [request.resident_id])
        for (const user of await tx.query<{ id: string }>(DISABLE_USERS, [request.resident_id])) {
          await this.deps.sessions.revokeAll(tx, user.id, 'personal data erased')
          disabled.push(user.id)
        }
      }
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: decision === 'complete' ? 'data_request.complete' : 'data_request.reject',
        object: { type: 'data_request', id, communityId: request.community_id },
        before: request,
        after: row,
        requestId,
      })
      return view(row)
    })
    for (const user of disabled) this.deps.states.forgetUser(user)
    if (decision === 'complete') this.deps.onErase?.()
    return result
  }
}
