/**
 * Records service: list, read, create, update, archive and restore for every record kind, plus the residents'
 * personal-data operations (exact search by phone or ID number, audited unmask). Every object id is checked
 * against the caller's scope — the object itself, and for a new record its parent — and an object out of scope
 * answers 404 exactly like a missing one. Every change writes its audit entry in the same transaction.
 */
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { PiiCipher, Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthStates } from '../auth/auth-state.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope, scopeCondition, type ObjectLocation, type Scope } from '../auth/scope.ts'
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts'
import { kinds, type KindName, type KindSpec } from './kinds.ts'
import { columnValues, recordRepository, type ListQuery, type RecordView } from './repository.ts'
import { decryptResident, encodeResidentPii, ensureResidentMasks } from './residents-pii.ts'

export interface RecordDeps {
  readonly db: Postgres
  readonly pii: PiiCipher
  readonly auditor: Auditor
  readonly states: AuthStates
  /** How long a list page may be served from memory (0 = never); writes through this process clear it at once. */
  readonly listCacheMs: number
}

export interface Page {
  readonly items: RecordView[]
  readonly nextCursor: string | null
}

/** Cursor = base64url of the last id; opaque to clients. */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url')
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw badRequest('cursor: not a cursor this API issued')
  return id
}

function newId(spec: KindSpec): string {
  return `${spec.idPrefix}-${randomBytes(8).toString('base64url').replace(/[-_]/g, 'x')}`
}

/** Database errors a client caused, as API errors. */
function translate(error: unknown): never {
  const code = (error as { code?: string } | null)?.code
  if (code === '23505') throw conflict('a record with the same unique value exists')
  if (code === '23514' || code === '22003' || code === '22007' || code === '22008') {
    throw badRequest('a value is outside what the record accepts')
  }
  throw error
}

const RESIDENT_SECRETS = `SELECT id_number_enc, phone_enc, community_id, building_id, household_id FROM residents
  WHERE id = $1`

interface CachedPage {
  readonly until: number
  readonly page: Page
  json?: Uint8Array<ArrayBuffer>
  gzip?: Uint8Array<ArrayBuffer>
}

const scopeKeys = new WeakMap<Scope, string>()
const encoder = new TextEncoder()

/** A string that identifies a resolved scope (cached per scope object). */
function scopeKey(scope: Scope): string {
  let key = scopeKeys.get(scope)
  if (!key) {
    const ids = (set: ReadonlySet<string> | null) => (set ? [...set].sort().join(',') : '*')
    key = `${scope.kind}|${ids(scope.communityIds)}|${ids(scope.buildingIds)}|${ids(scope.householdIds)}`
    scopeKeys.set(scope, key)
  }
  return key
}

export class RecordService {
  private masks: Promise<number> | null = null
  /**
   * Recently served list pages. Lists are the hot read (screens poll them); a page is reused for at most
   * listCacheMs, per scope and query, and every write made through this process clears the cache at once, so a
   * client never reads its own write stale. Other API instances see a change within listCacheMs.
   */
  private readonly pages = new Map<string, CachedPage>()

  constructor(private readonly deps: RecordDeps) {}

  /** Forgets cached list pages (after any write). */
  invalidate(): void {
    this.pages.clear()
  }

  /** Fills missing masked forms once (after a community load) before residents are read. */
  private ready(spec: KindSpec): Promise<unknown> {
    if (spec.name !== 'residents') return Promise.resolve()
    this.masks ??= ensureResidentMasks(this.deps.db, this.deps.pii).catch((error: unknown) => {
      this.masks = null
      throw error
    })
    return this.masks
  }

  async list(
    auth: AuthContext,
    kind: KindName,
    query: Omit<ListQuery, 'after'> & { cursor?: string },
  ): Promise<Page> {
    return (await this.listPage(auth, kind, query)).page
  }

  /** A page as UTF-8 JSON (serialised and encoded once per cached page: lists are the hot path). */
  async listJson(
    auth: AuthContext,
    kind: KindName,
    query: Omit<ListQuery, 'after'> & { cursor?: string },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const entry = await this.listPage(auth, kind, query)
    return (entry.json ??= encoder.encode(JSON.stringify(entry.page)))
  }

  /**
   * A page as gzip-compressed UTF-8 JSON, compressed once per cached page (a page of 20 residents shrinks about
   * fivefold; compressing each response instead would cost more than serving it).
   */
  async listGzip(
    auth: AuthContext,
    kind: KindName,
    query: Omit<ListQuery, 'after'> & { cursor?: string },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const entry = await this.listPage(auth, kind, query)
    if (!entry.gzip) {
      const json = (entry.json ??= encoder.encode(JSON.stringify(entry.page)))
      const zipped = gzipSync(json, { level: 6 })
      entry.gzip = new Uint8Array(zipped.buffer, zipped.byteOffset, zipped.byteLength)
    }
    return entry.gzip
  }

  private async listPage(
    auth: AuthContext,
    kind: KindName,
    query: Omit<ListQuery, 'after'> & { cursor?: string },
  ): Promise<{ page: Page; json?: Uint8Array<ArrayBuffer>; gzip?: Uint8Array<ArrayBuffer> }> {
    const spec = kinds[kind]
    const key = this.deps.listCacheMs > 0 ? `${kind}|${scopeKey(auth.scope)}|${JSON.stringify(query)}` : ''
    const now = Date.now()
    const cached = key ? this.pages.get(key) : undefined
    if (cached && cached.until > now) return cached
    await this.ready(spec)
    const items = await recordRepository.list(this.deps.db, spec, auth.scope, {
      ...query,
      after: query.cursor ? decodeCursor(query.cursor) : null,
    })
    const last = items.at(-1)
    const page = {
      items,
      nextCursor: items.length === query.limit && last ? encodeCursor(String(last.id)) : null,
    }
    const entry: CachedPage = { until: now + this.deps.listCacheMs, page }
    if (key) {
      if (this.pages.size >= 5_000) this.pages.clear()
      this.pages.set(key, entry)
    }
    return entry
  }

  /** One record in scope (404 when missing or out of scope). */
  async get(auth: AuthContext, kind: KindName, id: string, sql: Sql = this.deps.db): Promise<RecordView> {
    const spec = kinds[kind]
    await this.ready(spec)
    const found = await recordRepository.get(sql, spec, id)
    if (!found || !inScope(auth.scope, found.location)) throw notFound(spec.objectType)
    return found.view
  }

  /** Creates a record under its parent (which must be in scope); returns it. */
  async create(
    auth: AuthContext,
    kind: KindName,
    input: Readonly<Record<string, unknown>>,
    requestId: string | null,
    sql?: Sql,
  ): Promise<RecordView> {
    const spec = kinds[kind]
    const run = async (tx: Sql) => {
      const values = await this.newRow(auth, spec, input, tx)
      try {
        await recordRepository.insert(tx, spec, values)
      } catch (error) {
        translate(error)
      }
      const after = await recordRepository.raw(tx, spec, String(values.id))
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: `${spec.objectType}.create`,
        object: {
          type: spec.objectType,
          id: String(values.id),
          communityId: String(values.community_id ?? values.id),
        },
        after,
        requestId,
      })
      const created = await recordRepository.get(tx, spec, String(values.id))
      if (!created) throw new Error('created record not found')
      return created.view
    }
    const view = sql ? await run(sql) : await this.deps.db.transaction(run)
    this.invalidate()
    if (kind === 'communities') this.deps.states.forgetAll()
    return view
  }

  /** The column values of a new record: id, columns inherited from the parent, fields, personal data. */
  private async newRow(
    auth: AuthContext,
    spec: KindSpec,
    input: Readonly<Record<string, unknown>>,
    sql: Sql,
  ): Promise<Record<string, unknown>> {
    const id = newId(spec)
    let inherited: Record<string, string> = {}
    let location: ObjectLocation
    if (spec.parent) {
      const parentId = String(input[spec.parent.field])
      const found = await recordRepository.parentColumns(sql, spec, parentId)
      if (!found) throw notFound(spec.parent.field.replace(/Id$/, ''))
      inherited = found
      location = {
        communityId: found.community_id ?? '',
        buildingId: found.building_id ?? (spec.name === 'units' ? parentId : null),
        householdId: spec.parent.table === 'households' ? parentId : null,
      }
      if (!inScope(auth.scope, location)) throw notFound(spec.parent.field.replace(/Id$/, ''))
    } else if (auth.scope.kind !== 'company') {
      throw new ApiError(403, 'forbidden', 'creating a community needs company scope')
    }
    const values: Record<string, unknown> = {
      id,
      ...(spec.parent ? { [parentColumn(spec)]: input[spec.parent.field] } : {}),
      ...inherited,
      ...columnValues(spec, input, 'create'),
    }
    if (spec.name === 'communities') {
      values.company_id = auth.companyId
      values.roads = '{}'
    }
    if (spec.name === 'residents') {
      Object.assign(
        values,
        encodeResidentPii(this.deps.pii, input as { idNumber?: string; phone?: string | null }),
      )
    }
    return values
  }

  /** Applies an update to a record in scope. */
  async update(
    auth: AuthContext,
    kind: KindName,
    id: string,
    input: Readonly<Record<string, unknown>>,
    requestId: string | null,
  ): Promise<RecordView> {
    const spec = kinds[kind]
    const values = columnValues(spec, input, 'update')
    if (spec.name === 'residents') {
      Object.assign(
        values,
        encodeResidentPii(this.deps.pii, input as { idNumber?: string; phone?: string | null }),
      )
    }
    if (Object.keys(values).length === 0) throw badRequest('body: nothing to change')
    return this.change(auth, spec, id, `${spec.objectType}.update`, requestId, async (tx) => {
      try {
        await recordRepository.update(tx, spec, id, values)
      } catch (error) {
        translate(error)
      }
    })
  }

  /** Archives (or restores) a record in scope; idempotent. */
  async setArchived(
    auth: AuthContext,
    kind: KindName,
    id: string,
    archived: boolean,
    requestId: string | null,
  ): Promise<RecordView> {
    const spec = kinds[kind]
    return this.change(
      auth,
      spec,
      id,
      `${spec.objectType}.${archived ? 'archive' : 'restore'}`,
      requestId,
      (tx) => recordRepository.setArchived(tx, spec, id, archived).catch(translate),
    )
  }

  private async change(
    auth: AuthContext,
    spec: KindSpec,
    id: string,
    action: string,
    requestId: string | null,
    apply: (tx: Sql) => Promise<void>,
  ): Promise<RecordView> {
    this.invalidate()
    return this.deps.db
      .transaction(async (tx) => {
        const found = await recordRepository.get(tx, spec, id, true)
        if (!found || !inScope(auth.scope, found.location)) throw notFound(spec.objectType)
        const before = await recordRepository.raw(tx, spec, id)
        await apply(tx)
        const after = await recordRepository.raw(tx, spec, id)
        await this.deps.auditor.record(tx, {
          actor: actorOf(auth),
          action,
          object: { type: spec.objectType, id, communityId: found.location.communityId },
          before,
          after,
          requestId,
        })
        const changed = await recordRepository.get(tx, spec, id)
        if (!changed) throw notFound(spec.objectType)
        return changed.view
      })
      .finally(() => this.invalidate())
  }

  /** Residents in scope whose phone or ID number is exactly the given one (found through the lookup hash). */
  async searchResidents(
    auth: AuthContext,
    by: { readonly phone?: string | undefined; readonly idNumber?: string | undefined },
  ): Promise<RecordView[]> {
    const spec = kinds.residents
    await this.ready(spec)
    const params: unknown[] = []
    const scope = scopeCondition(auth.scope, spec.scope, params)
    const conditions: string[] = []
    if (by.phone) {
      params.push(this.deps.pii.lookupHash(by.phone))
      conditions.push(`phone_hash = $${params.length}`)
    }
    if (by.idNumber) {
      params.push(this.deps.pii.lookupHash(by.idNumber))
      conditions.push(`id_number_hash = $${params.length}`)
    }
    if (conditions.length === 0) throw badRequest('body: give phone or idNumber')
    const rows = await this.deps.db.query<{ id: string }>(
      `SELECT id FROM residents WHERE ${scope} AND (${conditions.join(' OR ')}) ORDER BY id LIMIT 50`,
      params,
    )
    const views: RecordView[] = []
    for (const row of rows) views.push(await this.get(auth, 'residents', row.id))
    return views
  }

  /** Returns the plaintext of a resident's ID and/or phone number, and audits that it was shown. */
  async unmask(
    auth: AuthContext,
    id: string,
    fields: readonly ('idNumber' | 'phone')[],
    reason: string,
    requestId: string | null,
  ): Promise<{ id: string; idNumber?: string | null; phone?: string | null }> {
    return this.deps.db.transaction(async (tx) => {
      const [row] = await tx.query<{
        id_number_enc: Uint8Array | null
        phone_enc: Uint8Array | null
        community_id: string
        building_id: string
        household_id: string
      }>(RESIDENT_SECRETS, [id])
      const location = row && {
        communityId: row.community_id,
        buildingId: row.building_id,
        householdId: row.household_id,
      }
      if (!row || !location || !inScope(auth.scope, location)) throw notFound('resident')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: `pii.unmask:${[...fields].sort().join(',')}`,
        object: { type: 'resident', id, communityId: row.community_id },
        // The reason is hashed like any state: it is kept by whoever holds it, provable against the log.
        after: { fields, reason },
        requestId,
      })
      return { id, ...decryptResident(this.deps.pii, row, fields) }
    })
  }
}

function parentColumn(spec: KindSpec): string {
  const column = spec.columns.find((c) => c.field === spec.parent?.field)
  if (!column) throw new Error(`${spec.name}: parent field has no column`)
  return column.column
}
