/**
 * Opens ClickHouse: chDB in-process through `@clickhouse/client`'s pluggable connection, or a server over HTTP.
 * Creates the database if it is missing; does not migrate.
 */
import { mkdirSync } from 'node:fs'
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import type { ClickHouse, ClickHouseOptions } from './types.ts'

/** Settings sent with every request: millisecond timestamps as JSON numbers, 64-bit integers as numbers. */
const clickhouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_input_format: 'best_effort',
} as const

function connect(options: ClickHouseOptions, database: string | undefined): ClickHouseClient {
  switch (options.kind) {
    case 'chdb':
      return createClient({
        // chdb types its Connection against its own copy of @clickhouse/client-common; the shapes are the same.
        connection: createChdbConnection({
          path: options.path,
        }) as unknown as ClickHouseClientConfigOptions['connection'],
        ...(database ? { database } : {}),
        clickhouse_settings: clickhouseSettings,
      })
    case 'server':
      return createClient({
        url: options.url,
        ...(database ? { database } : {}),
        clickhouse_settings: clickhouseSettings,
        request_timeout: 60_000,
      })
  }
}

/** Opens the store and makes sure its database exists. */
export async function openClickHouse(options: ClickHouseOptions): Promise<ClickHouse> {
  if (options.kind === 'chdb') mkdirSync(options.path, { recursive: true })
  if (options.kind === 'server') {
    // Create the database through a client without a default database, which would not exist yet.
    const bootstrap = connect(options, undefined)
    try {
      const onCluster = options.cluster ? ` ON CLUSTER ${options.cluster}` : ''
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}${onCluster}` })
    } finally {
      await bootstrap.close()
    }
  }
  let client: ClickHouseClient
  if (options.kind === 'chdb') {
    // chDB keeps one engine per process: the same connection serves the bootstrap and the queries.
    client = connect(options, undefined)
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` })
    await client.command({ query: `USE ${options.database}` })
  } else {
    client = connect(options, options.database)
  }
  return {
    kind: options.kind,
    database: options.database,
    cluster: options.cluster,
    client,
    async version() {
      const result = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
      const [row] = await result.json<{ v: string }>()
      return row?.v ?? 'unknown'
    },
    close: () => client.close(),
  }
}
