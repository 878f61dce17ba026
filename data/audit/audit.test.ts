import { describe } from 'node:test'
import { openPostgres } from '../postgres/open.ts'
import { createTempDatabase, testServer } from '../testing/servers.ts'
import { auditTamperContract } from './tamper.contract.ts'

auditTamperContract('PGlite', () => openPostgres({ kind: 'pglite', dir: 'memory://' }))

const server = testServer('TEST_DATABASE_URL')
describe('audit log on the PostgreSQL server', { skip: server.skip }, () => {
  const drops: (() => Promise<void>)[] = []
  auditTamperContract('PostgreSQL server', async () => {
    const temp = await createTempDatabase(server.url)
    drops.push(temp.drop)
    const db = await openPostgres({ kind: 'server', url: temp.url, maxConnections: 2 })
    const close = db.close.bind(db)
    return { ...db, close: async () => (await close(), await drops.shift()?.()) }
  })
})
