import { describe } from 'node:test'
import { openPostgres } from './open.ts'
import { postgresContract } from './postgres.contract.ts'
import { createTempDatabase, testServer } from '../testing/servers.ts'

const server = testServer('TEST_DATABASE_URL')

describe('PostgreSQL server', { skip: server.skip }, () => {
  let drop: () => Promise<void> = () => Promise.resolve()
  postgresContract(
    'PostgreSQL server',
    async () => {
      const temp = await createTempDatabase(server.url)
      drop = temp.drop
      return openPostgres({ kind: 'server', url: temp.url })
    },
    () => drop(),
  )
})
