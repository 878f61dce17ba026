/**
 * An exclusive lock on DATA_DIR: the embedded stores (PGlite, chDB) must never be opened by two processes at
 * once, which would corrupt them. The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../config/errors.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock or throws a ConfigError naming DATA_DIR; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, '.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(file, 'utf8'))
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new ConfigError(
          'DATA_DIR',
          dataDir,
          `is in use by process ${owner}; stop it or choose another DATA_DIR`,
        )
      }
      rmSync(file, { force: true })
    }
  }
  throw new ConfigError('DATA_DIR', dataDir, 'could not be locked')
}
