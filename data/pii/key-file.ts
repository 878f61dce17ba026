/**
 * Secret keys for the embedded default (the personal-data master key, the device-token key): created once under
 * DATA_DIR/keys with owner-only permissions, read on every later start. A deployment sets PII_KEY and
 * INGEST_TOKEN_KEY instead (and keeps them in its secret store).
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PiiError } from './cipher.ts'

/** Returns the 32-byte key at `dataDir/keys/<name>.key`, creating it if it does not exist. */
export function loadOrCreateKeyFile(dataDir: string, name = 'pii'): Buffer {
  const dir = join(dataDir, 'keys')
  const file = join(dir, `${name}.key`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // 'wx' fails if another process created the file between the check and the write.
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    chmodSync(file, 0o600)
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new PiiError(`${file} does not hold a 32-byte base64 key`)
  return key
}
