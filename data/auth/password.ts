/**
 * Password hashing with scrypt, Node's built-in memory-hard KDF. Hashes are self-describing
 * (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, base64) so the cost can be raised later and old hashes still verify;
 * `needsRehash` tells the sign-in to upgrade one.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_BYTES = 32
const SALT_BYTES = 16
const BLOCK_SIZE = 8
const PARALLELISM = 1
const PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/** Hashes a password with a fresh salt at cost 2^logN (15 ≈ 32 MiB of memory per hash). */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, logN, BLOCK_SIZE, PARALLELISM)
  return `$scrypt$ln=${logN},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** True when `password` matches `encoded`; false for a wrong password or a malformed hash. Constant-time compare. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = PATTERN.exec(encoded)
  if (!match) return false
  const [, ln, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string]
  const expected = Buffer.from(hash, 'base64')
  if (Number(ln) > 22 || Number(ln) < 1 || expected.length !== KEY_BYTES) return false
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(ln), Number(r), Number(p))
  return timingSafeEqual(actual, expected)
}

/** True when a stored hash was made with a lower cost than the configured one. */
export function needsRehash(encoded: string, logN: number): boolean {
  const match = PATTERN.exec(encoded)
  return !match || Number(match[1]) < logN
}

/** Checks a new password against the minimum policy; returns the problem, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'must be at least 10 characters'
  if (password.length > 200) return 'must be at most 200 characters'
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length
  if (classes < 3) return 'must mix at least three of: lower case, upper case, digits, symbols'
  return null
}

/** A random password that passes the policy (for demo accounts and resets): 120 random bits, base64url. */
export function generatePassword(): string {
  for (;;) {
    const candidate = randomBytes(15).toString('base64url')
    if (passwordProblem(candidate) === null) return candidate
  }
}
