import { after } from 'node:test'
import { schemaContract, transportContract } from './clickhouse.contract.ts'
import { openClickHouse } from './open.ts'
import { tempDir } from '../testing/temp-dir.ts'

// chDB holds one engine per process: both suites share one data directory in this test file.
const dir = tempDir('chdb-')
after(() => dir.remove())
const open = () => openClickHouse({ kind: 'chdb', path: dir.path, database: 'contract' })

transportContract('chDB', open)
schemaContract('chDB', open)
