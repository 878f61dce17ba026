/**
 * Personal data at rest (PIPL): AES-256-GCM encryption with a key id inside each ciphertext, so keys can rotate
 * and old rows stay readable, and a keyed hash (HMAC-SHA-256) for exact-match lookup without decrypting.
 *
 * Ciphertext layout: [0x01 format][4-byte key id][12-byte IV][16-byte tag][ciphertext].
 * Both the encryption and the lookup key are derived from one 32-byte master key with HKDF, so the hash of a
 * value cannot be used to decrypt it and vice versa.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

const FORMAT = 0x01
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + 4 + IV_BYTES + TAG_BYTES

export class PiiError extends Error {
  override readonly name = 'PiiError'
}

interface DerivedKey {
  readonly id: Buffer
  readonly enc: Buffer
  readonly mac: Buffer
}

function derive(master: Buffer): DerivedKey {
  if (master.length !== 32) throw new PiiError('a personal-data key must be 32 bytes')
  const salt = Buffer.from('community-twin/pii')
  return {
    id: createHash('sha256').update(master).digest().subarray(0, 4),
    enc: Buffer.from(hkdfSync('sha256', master, salt, 'enc-v1', 32)),
    mac: Buffer.from(hkdfSync('sha256', master, salt, 'mac-v1', 32)),
  }
}

/** Encrypts, decrypts and hashes personal data with a current key and, for reading, older ones. */
export class PiiCipher {
  private readonly current: DerivedKey
  private readonly byId = new Map<string, DerivedKey>()

  /** @param current the master key new data is written with; @param previous older keys still readable */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.current = derive(current)
    for (const key of [this.current, ...previous.map(derive)]) this.byId.set(key.id.toString('hex'), key)
  }

  /** Id of the key new ciphertexts carry (8 hex digits). */
  get keyId(): string {
    return this.current.id.toString('hex')
  }

  encrypt(plaintext: string): Uint8Array {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.current.enc, iv)
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.of(FORMAT), this.current.id, iv, cipher.getAuthTag(), body])
  }

  decrypt(data: Uint8Array): string {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    if (bytes.length < HEADER_BYTES || bytes[0] !== FORMAT)
      throw new PiiError('not a personal-data ciphertext')
    const key = this.byId.get(bytes.subarray(1, 5).toString('hex'))
    if (!key) throw new PiiError(`no key for personal-data key id ${bytes.subarray(1, 5).toString('hex')}`)
    const iv = bytes.subarray(5, 5 + IV_BYTES)
    const tag = bytes.subarray(5 + IV_BYTES, HEADER_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', key.enc, iv)
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new PiiError('personal-data ciphertext failed authentication')
    }
  }

  /**
   * Keyed hash for exact lookup. Values are normalised first (trimmed, upper-case) so "11010519491231002x" and
   * "11010519491231002X" find the same person.
   */
  lookupHash(value: string): Uint8Array {
    return createHmac('sha256', this.current.mac).update(value.trim().toUpperCase()).digest()
  }
}
