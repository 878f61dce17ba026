/**
 * The audit log in PostgreSQL: `appendAudit` writes an entry inside the caller's transaction (so the change and
 * its entry commit or roll back together), numbering entries gaplessly under an advisory lock. `AuditLog` mirrors
 * the stored leaf hashes in a Merkle tree for proofs, and issues signed tree heads into their own table and,
 * when given a file, into an append-only file outside the database.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Postgres, Sql } from '../postgres/types.ts'
import { entryLeafHash, stateHash, type AuditEntry } from './entry.ts'
import { MerkleTree } from './merkle.ts'
import { entryMac, treeHeadToJson, type TreeHead, type TreeHeadSigner } from './tree-head.ts'

/** What a service records about a change. `before`/`after` are hashed; they are never stored. */
export interface AuditInput {
  readonly actor: { readonly id: string; readonly role: string; readonly companyId: string | null }
  readonly action: string
  readonly object: { readonly type: string; readonly id: string; readonly communityId?: string | null }
  readonly before?: unknown
  readonly after?: unknown
  readonly requestId?: string | null
}

const AUDIT_LOCK = 727_411_010
const NEXT = `SELECT coalesce(max(seq) + 1, 0)::int8 AS next, date_trunc('milliseconds', clock_timestamp()) AS now
  FROM audit_log`
const INSERT = `INSERT INTO audit_log (seq, ts, company_id, community_id, actor_id, actor_role, action, object_type,
  object_id, before_hash, after_hash, request_id, leaf_hash, mac)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
const LEAVES_FROM = 'SELECT seq, leaf_hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2'
const LATEST_HEAD = `SELECT tree_size AS "treeSize", root_hash AS "rootHash", ts, key_id AS "keyId", signature
  FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1`
const INSERT_HEAD = `INSERT INTO audit_tree_heads (tree_size, root_hash, ts, key_id, signature)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING`

/** Row of `audit_log` with columns renamed to the entry's fields. */
export const ENTRY_COLUMNS = `seq, ts, company_id AS "companyId", community_id AS "communityId", actor_id AS "actorId",
  actor_role AS "actorRole", action, object_type AS "objectType", object_id AS "objectId",
  before_hash AS "beforeHash", after_hash AS "afterHash", request_id AS "requestId", leaf_hash AS "leafHash",
  mac`

/**
 * Appends one entry in the transaction `tx`, MAC'd with `macKey`; returns it. Serialises with other writers until
 * `tx` ends.
 */
export async function appendAudit(tx: Sql, macKey: Buffer, input: AuditInput): Promise<AuditEntry> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK])
  const [row] = await tx.query<{ next: number; now: Date }>(NEXT)
  if (!row) throw new Error('audit: no sequence row')
  const entry: AuditEntry = {
    seq: row.next,
    ts: row.now,
    companyId: input.actor.companyId,
    communityId: input.object.communityId ?? null,
    actorId: input.actor.id,
    actorRole: input.actor.role,
    action: input.action,
    objectType: input.object.type,
    objectId: input.object.id,
    beforeHash: stateHash(input.before),
    afterHash: stateHash(input.after),
    requestId: input.requestId ?? null,
  }
  const leaf = entryLeafHash(entry)
  await tx.query(INSERT, [
    entry.seq,
    entry.ts,
    entry.companyId,
    entry.communityId,
    entry.actorId,
    entry.actorRole,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.beforeHash,
    entry.afterHash,
    entry.requestId,
    leaf,
    entryMac(macKey, leaf),
  ])
  return entry
}

/** The stored log is not a gapless sequence (rows were deleted or renumbered): run `npm run audit -- verify`. */
export class AuditIntegrityError extends Error {
  override readonly name = 'AuditIntegrityError'
}

/** The Merkle view of the stored log, and the issuer of signed tree heads. */
export class AuditLog {
  private readonly tree = new MerkleTree()
  private syncing: Promise<void> | null = null

  constructor(
    private readonly db: Postgres,
    private readonly headFile: string | null = null,
  ) {}

  /** Reads leaf hashes appended since the last sync (in batches). */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        for (;;) {
          const rows = await this.db.query<{ seq: number; leaf_hash: Uint8Array }>(LEAVES_FROM, [
            this.tree.size,
            10_000,
          ])
          for (const row of rows) {
            if (row.seq !== this.tree.size)
              throw new AuditIntegrityError(`audit_log has a gap at ${this.tree.size}`)
            this.tree.push(row.leaf_hash)
          }
          if (rows.length < 10_000) return
        }
      } finally {
        this.syncing = null
      }
    })()
    return this.syncing
  }

  /** The tree after a sync. */
  async current(): Promise<MerkleTree> {
    await this.sync()
    return this.tree
  }

  /** The most recent signed head, or null. */
  async latestHead(): Promise<TreeHead | null> {
    const [row] = await this.db.query<{
      treeSize: number
      rootHash: Uint8Array
      ts: Date
      keyId: string
      signature: Uint8Array
    }>(LATEST_HEAD)
    return row ? { ...row, rootHash: Buffer.from(row.rootHash), signature: Buffer.from(row.signature) } : null
  }

  /** Signs a head for the current log if it grew since the last head; returns the latest head. */
  async issueHead(signer: TreeHeadSigner): Promise<TreeHead | null> {
    const tree = await this.current()
    const latest = await this.latestHead()
    if (tree.size === 0 || (latest && latest.treeSize >= tree.size)) return latest
    const head = signer.sign(tree.size, tree.root(tree.size))
    await this.db.query(INSERT_HEAD, [head.treeSize, head.rootHash, head.ts, head.keyId, head.signature])
    if (this.headFile) {
      mkdirSync(dirname(this.headFile), { recursive: true, mode: 0o700 })
      appendFileSync(this.headFile, JSON.stringify(treeHeadToJson(head)) + '\n', { mode: 0o600 })
    }
    return head
  }
}
