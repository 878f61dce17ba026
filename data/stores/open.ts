/**
 * Opens every store the configuration names, applies their migrations, and reports a store that cannot be
 * reached as a ConfigError naming the variable that pointed at it — the one line a failed start-up prints.
 */
import { migrateClickHouse } from '../clickhouse/migrate.ts'
import { openClickHouse } from '../clickhouse/open.ts'
import type { ClickHouse } from '../clickhouse/types.ts'
import type { Config } from '../config/config.ts'
import { storeVariables } from '../config/config.ts'
import { maskValue } from '../config/env.ts'
import { ConfigError } from '../config/errors.ts'
import { createInflux, type Influx } from '../influx/client.ts'
import { PiiCipher } from '../pii/cipher.ts'
import { loadOrCreateKeyFile } from '../pii/key-file.ts'
import { migrate } from '../postgres/migrate.ts'
import { openPostgres } from '../postgres/open.ts'
import type { Postgres } from '../postgres/types.ts'
import { lockDataDir } from './lock.ts'

export interface Stores {
  readonly postgres: Postgres
  readonly clickhouse: ClickHouse
  /** Null when INFLUX_URL is not set: the hot store is optional. */
  readonly influx: Influx | null
  readonly pii: PiiCipher
  close(): Promise<void>
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0])
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    const message = error.message || code || error.name
    return message.split('\n')[0] ?? message
  }
  return String(error)
}

async function attempt<T>(variable: string, value: string | undefined, open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const shown = value === undefined ? undefined : maskValue(variable, value)
    throw new ConfigError(variable, shown, `is unreachable or unusable: ${reason(error)}`)
  }
}

/** Opens and migrates all stores. On failure, whatever was opened is closed again before the error is thrown. */
export async function openStores(config: Config): Promise<Stores> {
  const opened: { close(): Promise<void> | void }[] = []
  const closeAll = async () => {
    for (const store of opened.reverse()) await Promise.resolve(store.close()).catch(() => undefined)
  }
  try {
    const usesDataDir = config.postgres.kind === 'pglite' || config.clickhouse.kind === 'chdb'
    if (usesDataDir) opened.push({ close: lockDataDir(config.dataDir) })

    const pgUrl = config.postgres.kind === 'server' ? config.postgres.url : undefined
    const postgres = await attempt(
      pgUrl ? storeVariables.postgres : 'DATA_DIR',
      pgUrl ?? config.dataDir,
      async () => {
        const db = await openPostgres(config.postgres)
        opened.push(db)
        await migrate(db)
        return db
      },
    )

    const chUrl = config.clickhouse.kind === 'server' ? config.clickhouse.url : undefined
    const clickhouse = await attempt(
      chUrl ? storeVariables.clickhouse : 'DATA_DIR',
      chUrl ?? config.dataDir,
      async () => {
        const store = await openClickHouse(config.clickhouse)
        opened.push(store)
        await migrateClickHouse(store)
        return store
      },
    )

    const influxOptions = config.influx
    const influx = influxOptions
      ? await attempt(storeVariables.influx, influxOptions.url, async () => {
          const client = createInflux(influxOptions)
          await client.ping()
          await client.ensureDatabase()
          return client
        })
      : null

    const pii = new PiiCipher(config.piiKey ?? loadOrCreateKeyFile(config.dataDir))
    return { postgres, clickhouse, influx, pii, close: closeAll }
  } catch (error) {
    await closeAll()
    throw error
  }
}
