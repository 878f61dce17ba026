/**
 * Signed tree heads: an Ed25519 signature over (tree size, root hash, time). The signing key is a 32-byte seed
 * kept outside the database (AUDIT_SIGNING_KEY or DATA_DIR/keys/audit.key), so whoever can edit the database
 * cannot issue a head that covers an edited log.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'

/** A signed statement that the log's first `treeSize` entries have Merkle root `rootHash`. */
export interface TreeHead {
  readonly treeSize: number
  readonly rootHash: Buffer
  readonly ts: Date
  readonly keyId: string
  readonly signature: Buffer
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

function message(treeSize: number, rootHash: Uint8Array, ts: Date): Buffer {
  return Buffer.from(
    `community-twin/audit/tree-head/v1\n${treeSize}\n${Buffer.from(rootHash).toString('hex')}\n${ts.toISOString()}`,
  )
}

/** Ed25519 keys from a 32-byte seed, and the entry MAC key derived from the same seed. */
export class TreeHeadSigner {
  private readonly privateKey: KeyObject
  /** Raw 32-byte public key. */
  readonly publicKey: Buffer
  /** First 8 bytes of SHA-256(public key), hex. */
  readonly keyId: string
  /** HMAC key of the per-entry MAC (HKDF of the seed, so it is not the signing key itself). */
  readonly macKey: Buffer

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new Error('an audit signing key must be 32 bytes')
    this.macKey = Buffer.from(hkdfSync('sha256', seed, 'community-twin/audit', 'entry-mac-v1', 32))
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    })
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' })
    this.publicKey = spki.subarray(SPKI_ED25519_PREFIX.length)
    this.keyId = createHash('sha256').update(this.publicKey).digest().subarray(0, 8).toString('hex')
  }

  /** Signs a head for a tree of `treeSize` entries with root `rootHash`, at `ts` (truncated to ms). */
  sign(treeSize: number, rootHash: Uint8Array, ts = new Date()): TreeHead {
    const at = new Date(Math.floor(ts.getTime()))
    return {
      treeSize,
      rootHash: Buffer.from(rootHash),
      ts: at,
      keyId: this.keyId,
      signature: sign(null, message(treeSize, rootHash, at), this.privateKey),
    }
  }
}

/** HMAC-SHA-256(macKey, leaf hash): the MAC stored beside each entry. */
export function entryMac(macKey: Buffer, leaf: Uint8Array): Buffer {
  return createHmac('sha256', macKey).update(leaf).digest()
}

/** Whether `head` carries a valid signature by the raw Ed25519 `publicKey`. */
export function verifyTreeHead(head: TreeHead, publicKey: Uint8Array): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(publicKey)]),
      format: 'der',
      type: 'spki',
    })
    return verify(null, message(head.treeSize, head.rootHash, head.ts), key, head.signature)
  } catch {
    return false
  }
}

/** A head as one JSON line (the file mirror kept outside the database). */
export function treeHeadToJson(head: TreeHead): Record<string, string | number> {
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash.toString('hex'),
    ts: head.ts.toISOString(),
    keyId: head.keyId,
    signature: head.signature.toString('base64'),
  }
}

/** Parses a JSON line written by `treeHeadToJson`; null when it is not one. */
export function treeHeadFromJson(value: unknown): TreeHead | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (
    typeof v.treeSize !== 'number' ||
    typeof v.rootHash !== 'string' ||
    typeof v.ts !== 'string' ||
    typeof v.keyId !== 'string' ||
    typeof v.signature !== 'string'
  ) {
    return null
  }
  return {
    treeSize: v.treeSize,
    rootHash: Buffer.from(v.rootHash, 'hex'),
    ts: new Date(v.ts),
    keyId: v.keyId,
    signature: Buffer.from(v.signature, 'base64'),
  }
}
