import { openPostgres } from './open.ts'
import { postgresContract } from './postgres.contract.ts'
import { tempDir } from '../testing/temp-dir.ts'

postgresContract('PGlite in memory', () => openPostgres({ kind: 'pglite', dir: 'memory://' }))

const dir = tempDir('pglite-')
postgresContract(
  'PGlite on disk',
  () => openPostgres({ kind: 'pglite', dir: dir.path }),
  () => Promise.resolve(dir.remove()),
)
