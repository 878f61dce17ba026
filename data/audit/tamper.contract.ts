/**
 * Tampering cases for the audit log, run against every PostgreSQL connection: rows edited, deleted, inserted or
 * reordered directly in SQL — naively, and by an attacker who also recomputes the leaf hashes — are each detected
 * by `verifyAuditLog`. The attacker here is a database superuser: the append-only triggers are switched off first.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, beforeEach, describe, it } from 'node:test'
import { migrate } from '../postgres/migrate.ts'
import type { Postgres } from '../postgres/types.ts'
import { entryLeafHash, type AuditEntry } from './entry.ts'
import { appendAudit, AuditLog, ENTRY_COLUMNS } from './log.ts'
import { entryMac, TreeHeadSigner } from './tree-head.ts'
import { verifyAuditLog, type AuditProblemKind } from './verify.ts'

type Row = AuditEntry & { leafHash: Uint8Array }

/** Registers the tampering cases for databases made by `open` (each case gets a fresh log of 12 entries). */
export function auditTamperContract(label: string, open: () => Promise<Postgres>): void {
  describe(`audit log tampering: ${label}`, () => {
    const signer = new TreeHeadSigner(randomBytes(32))
    const keys = new Map([[signer.keyId, signer.publicKey]])
    let db: Postgres
    let log: AuditLog

    const verify = () => verifyAuditLog(db, signer.macKey, keys)
    const kinds = async () => new Set((await verify()).problems.map((p) => p.kind))
    const asAttacker = async (script: (db: Postgres) => Promise<void>) => {
      await db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER')
      try {
        await script(db)
      } finally {
        await db.exec('ALTER TABLE audit_log ENABLE TRIGGER USER')
      }
    }
    const rows = () => db.query<Row>(`SELECT ${ENTRY_COLUMNS} FROM audit_log ORDER BY seq`)
    /** Rewrites a row's leaf hash to match its (edited) content, as a careful attacker would. */
    const rehash = async (seq: number) => {
      const [row] = await db.query<Row>(`SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE seq = $1`, [seq])
      assert.ok(row)
      await db.query('UPDATE audit_log SET leaf_hash = $2 WHERE seq = $1', [seq, entryLeafHash(row)])
    }
    const expect = async (kind: AuditProblemKind) => {
      const found = await kinds()
      assert.ok(found.has(kind), `expected ${kind}, found ${[...found].join(', ') || 'nothing'}`)
    }

    let pristine: { log: Record<string, unknown>[]; heads: Record<string, unknown>[] }

    before(async () => {
      db = await open()
      await migrate(db)
      log = new AuditLog(db)
      for (let i = 0; i < 12; i++) {
        await db.transaction((tx) =>
          appendAudit(tx, signer.macKey, {
            actor: { id: 'u-1', role: 'administrator', companyId: 'pm01' },
            action: 'resident.update',
            object: { type: 'resident', id: `r-${i}`, communityId: 'c01' },
            before: { phone: 'x' },
            after: { phone: `y${i}` },
          }),
        )
      }
      await log.issueHead(signer)
      pristine = {
        log: await db.query('SELECT * FROM audit_log ORDER BY seq'),
        heads: await db.query('SELECT * FROM audit_tree_heads'),
      }
    })

    // Each case starts from the same signed log of 12 entries.
    beforeEach(() =>
      asAttacker(async (d) => {
        await d.query('DELETE FROM audit_log')
        await d.query('DELETE FROM audit_tree_heads')
        for (const [table, rows] of [
          ['audit_log', pristine.log],
          ['audit_tree_heads', pristine.heads],
        ] as const) {
          for (const row of rows) {
            const columns = Object.keys(row)
            await d.query(
              `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
              columns.map((c) => row[c]),
            )
          }
        }
      }),
    )
    after(() => db?.close())

    it('finds nothing wrong with an untouched log', async () => {
      const report = await verify()
      assert.deepEqual(report.problems, [])
      assert.equal(report.entries, 12)
      assert.equal(report.coveredEntries, 12)
    })

    it('refuses UPDATE, DELETE and TRUNCATE through the triggers', async () => {
      await assert.rejects(db.query("UPDATE audit_log SET action = 'x' WHERE seq = 1"), /append-only/)
      await assert.rejects(db.query('DELETE FROM audit_log WHERE seq = 1'), /append-only/)
      await assert.rejects(db.exec('TRUNCATE audit_log'), /append-only/)
    })

    it('detects an edited row', async () => {
      await asAttacker((d) =>
        d.query("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 4").then(() => {}),
      )
      await expect('edited')
    })

    it('detects an edited row whose leaf hash was recomputed', async () => {
      await asAttacker(async (d) => {
        await d.query("UPDATE audit_log SET action = 'resident.read' WHERE seq = 4")
        await rehash(4)
      })
      const found = await kinds()
      assert.ok(found.has('forged') && found.has('root_mismatch'), [...found].join(', '))
    })

    it('detects a deleted row', async () => {
      await asAttacker((d) => d.query('DELETE FROM audit_log WHERE seq = 5').then(() => {}))
      await expect('gap')
    })

    it('detects a deleted row when the later rows were renumbered', async () => {
      await asAttacker(async (d) => {
        await d.query('DELETE FROM audit_log WHERE seq = 5')
        for (let seq = 6; seq < 12; seq++) {
          await d.query('UPDATE audit_log SET seq = $1 WHERE seq = $2', [seq - 1, seq])
          await rehash(seq - 1)
        }
      })
      const found = await kinds()
      assert.ok(found.has('root_mismatch') || found.has('truncated'), [...found].join(', '))
    })

    it('detects deleted rows at the end of the log', async () => {
      await asAttacker((d) => d.query('DELETE FROM audit_log WHERE seq >= 10').then(() => {}))
      await expect('truncated')
    })

    it('detects an inserted row, even one appended after the last signed head with a correct leaf hash', async () => {
      const [last] = (await rows()).slice(-1)
      assert.ok(last)
      const forged: AuditEntry = {
        ...last,
        seq: 12,
        ts: new Date(last.ts.getTime() + 1),
        objectId: 'r-forged',
      }
      await asAttacker((d) =>
        d
          .query(
            `INSERT INTO audit_log (seq, ts, company_id, community_id, actor_id, actor_role, action, object_type,
               object_id, before_hash, after_hash, request_id, leaf_hash, mac)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
            [
              forged.seq,
              forged.ts,
              forged.companyId,
              forged.communityId,
              forged.actorId,
              forged.actorRole,
              forged.action,
              forged.objectType,
              forged.objectId,
              forged.beforeHash,
              forged.afterHash,
              forged.requestId,
              entryLeafHash(forged),
              randomBytes(32),
            ],
          )
          .then(() => {}),
      )
      await expect('forged')
    })

    it('detects a row inserted in the middle, with the rest renumbered and rehashed', async () => {
      await asAttacker(async (d) => {
        for (let seq = 11; seq >= 3; seq--) {
          await d.query('UPDATE audit_log SET seq = $1 WHERE seq = $2', [seq + 1, seq])
          await rehash(seq + 1)
        }
        await d.query(
          `INSERT INTO audit_log (seq, ts, actor_id, actor_role, action, object_type, object_id, leaf_hash, mac)
           SELECT 3, ts, 'u-1', 'administrator', 'resident.update', 'resident', 'r-inserted', leaf_hash, mac
           FROM audit_log WHERE seq = 2`,
        )
        await rehash(3)
      })
      await expect('root_mismatch')
    })

    it('detects two rows swapped', async () => {
      await asAttacker(async (d) => {
        await d.query('UPDATE audit_log SET seq = 1000 WHERE seq = 2')
        await d.query('UPDATE audit_log SET seq = 2 WHERE seq = 7')
        await d.query('UPDATE audit_log SET seq = 7 WHERE seq = 1000')
      })
      const found = await kinds()
      assert.ok(found.has('edited') && found.has('out_of_order'), [...found].join(', '))
    })

    it('detects two rows swapped with their hashes and MACs recomputed by someone holding the MAC key', async () => {
      await asAttacker(async (d) => {
        await d.query('UPDATE audit_log SET seq = 1000 WHERE seq = 2')
        await d.query('UPDATE audit_log SET seq = 2 WHERE seq = 7')
        await d.query('UPDATE audit_log SET seq = 7 WHERE seq = 1000')
        for (const seq of [2, 7]) {
          await rehash(seq)
          const [row] = await d.query<{ leaf_hash: Uint8Array }>(
            'SELECT leaf_hash FROM audit_log WHERE seq = $1',
            [seq],
          )
          await d.query('UPDATE audit_log SET mac = $2 WHERE seq = $1', [
            seq,
            entryMac(signer.macKey, row!.leaf_hash),
          ])
        }
      })
      await expect('root_mismatch')
    })

    it('detects a forged tree head', async () => {
      const other = new TreeHeadSigner(randomBytes(32))
      const head = other.sign(12, randomBytes(32))
      await db.query(
        'INSERT INTO audit_tree_heads (tree_size, root_hash, ts, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
        [13, head.rootHash, head.ts, signer.keyId, head.signature],
      )
      await expect('bad_signature')
    })
  })
}
