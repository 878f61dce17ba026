/**
 * The JWT signing keys: Ed25519 key pairs with ids, kept in PostgreSQL (so every API instance shares them) with the
 * private half encrypted under the auth master key. The newest unretired key signs; it is rotated when older than
 * the rotation period, and a retired key still verifies for the grace period only (at least one token lifetime),
 * after which tokens that name it are refused like tokens with an unknown `kid`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto'
import type { PiiCipher, Postgres } from '../../data/index.ts'

interface KeyRow {
  kid: string
  public_key: Uint8Array
  private_key_enc: Uint8Array
  created_at: Date
  retired_at: Date | null
}

interface LoadedKey {
  readonly kid: string
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject | null
  readonly createdAt: number
  readonly retiredAt: number | null
}

export interface SigningKeyOptions {
  readonly rotationSeconds: number
  readonly graceSeconds: number
  /** Clock (ms), for tests. */
  readonly now?: () => number
}

const KEYS =
  'SELECT kid, public_key, private_key_enc, created_at, retired_at FROM auth_signing_keys ORDER BY created_at'
const ROTATION_LOCK = 727_411_020
/** Re-read the table this often, so a rotation made by another instance is seen. */
const RELOAD_MS = 60_000
/** …and at most this often when a token names a kid we do not know. */
const UNKNOWN_KID_RELOAD_MS = 5_000

/** The shared key ring. */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>()
  private loadedAt = -Infinity
  private loading: Promise<void> | null = null
  private readonly now: () => number

  constructor(
    private readonly db: Postgres,
    /** Encrypts private keys at rest (an AES-256-GCM cipher under the auth master key). */
    private readonly secrets: PiiCipher,
    private readonly options: SigningKeyOptions,
  ) {
    this.now = options.now ?? Date.now
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.db.query<KeyRow>(KEYS)
        const keys = new Map<string, LoadedKey>()
        for (const row of rows) {
          const publicKey = createPublicKey({ key: Buffer.from(row.public_key), format: 'der', type: 'spki' })
          const privateKey =
            row.retired_at === null
              ? createPrivateKey({
                  key: Buffer.from(this.secrets.decrypt(row.private_key_enc), 'base64'),
                  format: 'der',
                  type: 'pkcs8',
                })
              : null
          keys.set(row.kid, {
            kid: row.kid,
            publicKey,
            privateKey,
            createdAt: row.created_at.getTime(),
            retiredAt: row.retired_at?.getTime() ?? null,
          })
        }
        this.keys = keys
        this.loadedAt = this.now()
      } finally {
        this.loading = null
      }
    })()
    return this.loading
  }

  private newest(): LoadedKey | null {
    let best: LoadedKey | null = null
    for (const key of this.keys.values()) {
      if (key.retiredAt === null && key.privateKey && (!best || key.createdAt > best.createdAt)) best = key
    }
    return best
  }

  /** The key that signs now, creating or rotating it when needed. */
  async signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (this.now() - this.loadedAt > RELOAD_MS) await this.load()
    let current = this.newest()
    if (!current || this.now() - current.createdAt >= this.options.rotationSeconds * 1000) {
      await this.rotate(false)
      current = this.newest()
    }
    if (!current?.privateKey) throw new Error('no JWT signing key')
    return { kid: current.kid, privateKey: current.privateKey }
  }

  /** The public key for `kid` if it may still verify tokens (current, or retired within the grace period). */
  async verificationKey(kid: string): Promise<KeyObject | null> {
    let key = this.keys.get(kid)
    if (!key && this.now() - this.loadedAt > UNKNOWN_KID_RELOAD_MS) {
      await this.load()
      key = this.keys.get(kid)
    }
    if (!key) return null
    if (key.retiredAt !== null && this.now() > key.retiredAt + this.options.graceSeconds * 1000) return null
    return key.publicKey
  }

  /**
   * Retires the current key and creates a new one. Unless `force`, does nothing when another instance already
   * rotated (the current key is younger than the rotation period). Returns the new current kid.
   */
  async rotate(force = true): Promise<string> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ROTATION_LOCK])
      const [current] = await tx.query<{ created_at: Date }>(
        'SELECT created_at FROM auth_signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
      )
      const fresh = current && this.now() - current.created_at.getTime() < this.options.rotationSeconds * 1000
      if (fresh && !force) return
      const { publicKey, privateKey } = generateKeyPairSync('ed25519')
      const spki = publicKey.export({ format: 'der', type: 'spki' })
      const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
      const kid = createHash('sha256').update(spki).digest().subarray(0, 12).toString('base64url')
      const at = new Date(this.now())
      await tx.query('UPDATE auth_signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [at])
      await tx.query(
        `INSERT INTO auth_signing_keys (kid, alg, public_key, private_key_enc, created_at)
         VALUES ($1, 'EdDSA', $2, $3, $4)`,
        [kid, spki, this.secrets.encrypt(pkcs8.toString('base64')), at],
      )
    })
    await this.load()
    const current = this.newest()
    if (!current) throw new Error('no JWT signing key after rotation')
    return current.kid
  }
}
