/**
 * Full verification of the audit log against its signed tree heads: what `npm run audit -- verify` runs.
 *
 * - every entry's leaf hash is recomputed from its columns (an edited row no longer matches its stored hash), and
 *   its MAC is checked with the key kept outside the database (a row written in SQL, hash and all, has no valid MAC);
 * - sequence numbers run 0, 1, 2, … without gaps (a deleted or inserted row leaves a gap or a shift);
 * - timestamps never go backwards (rows moved around);
 * - every signed head (from the table and from the file outside the database) has a valid signature and its root
 *   equals the root recomputed from the entries' content — so even an attacker who rewrites the rows and their
 *   hashes consistently is caught for every entry a head covers.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { Postgres } from '../postgres/types.ts'
import { entryLeafHash, type AuditEntry } from './entry.ts'
import { ENTRY_COLUMNS } from './log.ts'
import { MerkleTree } from './merkle.ts'
import { entryMac, treeHeadFromJson, verifyTreeHead, type TreeHead } from './tree-head.ts'

export type AuditProblemKind =
  | 'edited'
  | 'forged'
  | 'gap'
  | 'out_of_order'
  | 'bad_signature'
  | 'unknown_key'
  | 'root_mismatch'
  | 'truncated'

export interface AuditProblem {
  readonly kind: AuditProblemKind
  readonly seq?: number
  readonly detail: string
}

export interface AuditReport {
  readonly ok: boolean
  readonly entries: number
  readonly heads: number
  /** Size of the largest verified head; entries after it are not yet covered by a signature. */
  readonly coveredEntries: number
  readonly problems: readonly AuditProblem[]
}

const BATCH = 5_000
const HEADS = `SELECT tree_size AS "treeSize", root_hash AS "rootHash", ts, key_id AS "keyId", signature
  FROM audit_tree_heads ORDER BY tree_size`

/** Reads heads from the JSON-lines file mirror; missing file = none, unparsable lines are reported. */
export function readHeadFile(path: string): { heads: TreeHead[]; bad: number } {
  if (!existsSync(path)) return { heads: [], bad: 0 }
  const heads: TreeHead[] = []
  let bad = 0
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    let head: TreeHead | null
    try {
      head = treeHeadFromJson(JSON.parse(line))
    } catch {
      head = null
    }
    if (head) heads.push(head)
    else bad++
  }
  return { heads, bad }
}

/**
 * Verifies the whole log. `publicKeys` maps key id → raw Ed25519 public key of every signer that may have issued
 * heads; `macKey` is the entry MAC key; `extraHeads` are heads kept outside the database (the file mirror).
 */
export async function verifyAuditLog(
  db: Postgres,
  macKey: Buffer,
  publicKeys: ReadonlyMap<string, Uint8Array>,
  extraHeads: readonly TreeHead[] = [],
): Promise<AuditReport> {
  const problems: AuditProblem[] = []
  const tree = new MerkleTree()
  let expected = 0
  let lastTs = -Infinity
  for (;;) {
    const rows = await db.query<AuditEntry & { leafHash: Uint8Array; mac: Uint8Array }>(
      `SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expected, BATCH],
    )
    for (const row of rows) {
      if (row.seq !== expected) {
        problems.push({
          kind: 'gap',
          seq: expected,
          detail: `entry ${expected} is missing (next is ${row.seq})`,
        })
        expected = row.seq
      }
      const recomputed = entryLeafHash(row)
      if (!recomputed.equals(Buffer.from(row.leafHash))) {
        problems.push({
          kind: 'edited',
          seq: row.seq,
          detail: `entry ${row.seq} does not match its leaf hash`,
        })
      } else if (!entryMac(macKey, recomputed).equals(Buffer.from(row.mac))) {
        problems.push({ kind: 'forged', seq: row.seq, detail: `entry ${row.seq} was not written by the API` })
      }
      if (row.ts.getTime() < lastTs) {
        problems.push({
          kind: 'out_of_order',
          seq: row.seq,
          detail: `entry ${row.seq} is older than the one before`,
        })
      }
      lastTs = row.ts.getTime()
      // The tree is built from the content, not from the stored hashes: a head then checks the content itself.
      tree.push(recomputed)
      expected++
    }
    if (rows.length < BATCH) break
  }

  const stored = await db.query<TreeHead>(HEADS)
  const heads = [...stored, ...extraHeads].map((h) => ({
    ...h,
    rootHash: Buffer.from(h.rootHash),
    signature: Buffer.from(h.signature),
  }))
  let covered = 0
  for (const head of heads) {
    const key = publicKeys.get(head.keyId)
    if (!key) {
      problems.push({
        kind: 'unknown_key',
        detail: `head ${head.treeSize} is signed by unknown key ${head.keyId}`,
      })
      continue
    }
    if (!verifyTreeHead(head, key)) {
      problems.push({ kind: 'bad_signature', detail: `head ${head.treeSize} has an invalid signature` })
      continue
    }
    if (head.treeSize > tree.size) {
      problems.push({
        kind: 'truncated',
        detail: `head ${head.treeSize} covers more entries than the log holds (${tree.size})`,
      })
      continue
    }
    if (!tree.root(head.treeSize).equals(head.rootHash)) {
      problems.push({
        kind: 'root_mismatch',
        detail: `the first ${head.treeSize} entries do not match the signed root of ${head.ts.toISOString()}`,
      })
      continue
    }
    covered = Math.max(covered, head.treeSize)
  }
  return {
    ok: problems.length === 0,
    entries: tree.size,
    heads: heads.length,
    coveredEntries: covered,
    problems,
  }
}
