import { describe } from 'node:test'
import { transportContract } from './clickhouse.contract.ts'
import { openClickHouse } from './open.ts'
import { testServer } from '../testing/servers.ts'

// Debian's clickhouse-server (18.16) is too old for our schema (DateTime64, query parameters): transport only.
const server = testServer('TEST_CLICKHOUSE_URL')

describe('ClickHouse server', { skip: server.skip }, () => {
  transportContract('server', () =>
    openClickHouse({ kind: 'server', url: server.url, database: 'contract_test' }),
  )
})
