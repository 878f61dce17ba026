/**
 * Opens the PostgreSQL store from options: PGlite under a directory, or a server by URL.
 */
import { mkdirSync } from 'node:fs'
import { openPglite } from './pglite.ts'
import { openServer } from './server.ts'
import type { Postgres, PostgresOptions } from './types.ts'

/** Opens (and for PGlite creates) the database; does not migrate. */
export async function openPostgres(options: PostgresOptions): Promise<Postgres> {
  switch (options.kind) {
    case 'pglite':
      if (!options.dir.startsWith('memory://')) mkdirSync(options.dir, { recursive: true })
      return openPglite(options.dir)
    case 'server':
      return openServer(options.url, options.maxConnections)
  }
}
