/**
 * Audit routes (`audit:read`): the entries in the caller's scope, the latest signed tree head, and inclusion and
 * consistency proofs (RFC 6962) that anyone holding a head can check. There is no route that changes or deletes
 * an entry, for any role.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { AuditIntegrityError, ENTRY_COLUMNS, type AuditEntry, type MerkleTree } from '../../data/index.ts'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { ApiError, badRequest } from '../http/errors.ts'
import { errorResponses, json, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'

const hex = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('hex') : null)
const hexString = z.string().regex(/^[0-9a-f]*$/)

const entrySchema = z
  .strictObject({
    seq: z.number().int(),
    ts: z.string(),
    communityId: z.string().nullable(),
    actorId: z.string(),
    actorRole: z.string(),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string(),
    beforeHash: hexString.nullable(),
    afterHash: hexString.nullable(),
    requestId: z.string().nullable(),
    leafHash: hexString,
  })
  .openapi('AuditEntry')

const headSchema = z
  .strictObject({
    treeSize: z.number().int(),
    rootHash: hexString,
    ts: z.string(),
    keyId: z.string(),
    signature: z.string().openapi({ description: 'Ed25519, base64' }),
    publicKey: z.string().openapi({ description: 'raw Ed25519 public key, hex' }),
  })
  .openapi('SignedTreeHead')

const read = () => [guard('audit:read')]
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const entries = createRoute({
  method: 'get',
  path: '/audit/entries',
  tags: ['audit'],
  summary: 'Audit entries in your scope, oldest first (keyset pagination by seq)',
  middleware: read(),
  request: {
    query: z.strictObject({
      after: z.coerce.number().int().min(-1).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
      objectType: z.string().max(40).optional(),
      objectId: z.string().max(64).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(entrySchema), next: z.number().int().nullable() })),
    ...errorResponses(400, 401, 403),
  },
})

const treeHead = createRoute({
  method: 'get',
  path: '/audit/tree-head',
  tags: ['audit'],
  summary: 'The latest signed tree head (issued now if the last is older than the signing interval)',
  middleware: read(),
  responses: { 200: json(headSchema.nullable()), ...errorResponses(401, 403) },
})

const inclusion = createRoute({
  method: 'get',
  path: '/audit/proofs/inclusion',
  tags: ['audit'],
  summary: 'Audit path of entry `seq` in the tree of `treeSize` entries',
  middleware: read(),
  request: { query: z.strictObject({ seq: size, treeSize: size }) },
  responses: {
    200: json(
      z.strictObject({
        seq: z.number(),
        treeSize: z.number(),
        leafHash: hexString,
        rootHash: hexString,
        path: z.array(hexString),
      }),
    ),
    ...errorResponses(400, 401, 403),
  },
})

const consistency = createRoute({
  method: 'get',
  path: '/audit/proofs/consistency',
  tags: ['audit'],
  summary: 'Proof that the tree of `first` entries is a prefix of the tree of `second` entries',
  middleware: read(),
  request: { query: z.strictObject({ first: size, second: size }) },
  responses: {
    200: json(
      z.strictObject({
        first: z.number(),
        second: z.number(),
        firstRoot: hexString,
        secondRoot: hexString,
        path: z.array(hexString),
      }),
    ),
    ...errorResponses(400, 401, 403),
  },
})

/** The in-memory tree; a log that is no longer gapless is reported as 409, not as a server error. */
async function treeOf(platform: Platform): Promise<MerkleTree> {
  try {
    return await platform.auditLog.current()
  } catch (error) {
    if (error instanceof AuditIntegrityError) {
      throw new ApiError(
        409,
        'audit_inconsistent',
        'the audit log fails its integrity checks; run npm run audit -- verify',
      )
    }
    throw error
  }
}

/** The audit routes. */
export function auditRoutes(platform: Platform) {
  const db = platform.db
  const intervalMs = platform.config.api.auditHeadIntervalSeconds * 1000
  return routeApp()
    .openapi(entries, async (c) => {
      const auth = authOf(c)
      const q = c.req.valid('query')
      const limit = q.limit ?? 100
      const params: unknown[] = [auth.companyId, q.after ?? -1, limit]
      let where = 'company_id = $1 AND seq > $2'
      if (auth.scope.kind !== 'company') {
        params.push([...auth.scope.communityIds])
        where += ` AND community_id = ANY($${params.length}::text[])`
      }
      if (q.objectType) {
        params.push(q.objectType)
        where += ` AND object_type = $${params.length}`
      }
      if (q.objectId) {
        params.push(q.objectId)
        where += ` AND object_id = $${params.length}`
      }
      const rows = await db.query<AuditEntry & { leafHash: Uint8Array }>(
        `SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE ${where} ORDER BY seq LIMIT $3`,
        params,
      )
      const items = rows.map((r) => ({
        seq: r.seq,
        ts: r.ts.toISOString(),
        communityId: r.communityId,
        actorId: r.actorId,
        actorRole: r.actorRole,
        action: r.action,
        objectType: r.objectType,
        objectId: r.objectId,
        beforeHash: hex(r.beforeHash),
        afterHash: hex(r.afterHash),
        requestId: r.requestId,
        leafHash: hex(r.leafHash) ?? '',
      }))
      return c.json({ items, next: rows.length === limit ? (items.at(-1)?.seq ?? null) : null }, 200)
    })
    .openapi(treeHead, async (c) => {
      let head = await platform.auditLog.latestHead()
      if (!head || Date.now() - head.ts.getTime() > intervalMs) {
        await treeOf(platform)
        head = await platform.auditLog.issueHead(platform.auditSigner)
      }
      if (!head) return c.json(null, 200)
      return c.json(
        {
          treeSize: head.treeSize,
          rootHash: head.rootHash.toString('hex'),
          ts: head.ts.toISOString(),
          keyId: head.keyId,
          signature: head.signature.toString('base64'),
          publicKey: platform.auditSigner.publicKey.toString('hex'),
        },
        200,
      )
    })
    .openapi(inclusion, async (c) => {
      const { seq, treeSize } = c.req.valid('query')
      const tree = await treeOf(platform)
      if (treeSize > tree.size || seq >= treeSize) throw badRequest(`need seq < treeSize <= ${tree.size}`)
      return c.json(
        {
          seq,
          treeSize,
          leafHash: tree.leaf(seq).toString('hex'),
          rootHash: tree.root(treeSize).toString('hex'),
          path: tree.inclusionProof(seq, treeSize).map((h) => h.toString('hex')),
        },
        200,
      )
    })
    .openapi(consistency, async (c) => {
      const { first, second } = c.req.valid('query')
      const tree = await treeOf(platform)
      if (first > second || second > tree.size) throw badRequest(`need first <= second <= ${tree.size}`)
      return c.json(
        {
          first,
          second,
          firstRoot: tree.root(first).toString('hex'),
          secondRoot: tree.root(second).toString('hex'),
          path: tree.consistencyProof(first, second).map((h) => h.toString('hex')),
        },
        200,
      )
    })
}
