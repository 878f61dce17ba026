/**
 * What the operator commands open: PostgreSQL only (not ClickHouse or the broker), migrated, with the data
 * directory locked when it is the embedded database — so a command refuses to run beside a running embedded
 * server instead of corrupting it.
 */
import { pathToFileURL } from 'node:url'
import {
  ConfigError,
  loadConfig,
  loadOrCreateKeyFile,
  lockDataDir,
  migrate,
  openPostgres,
  PiiCipher,
  type Config,
  type Postgres,
} from '../../data/index.ts'

export interface CliStores {
  readonly config: Config
  readonly postgres: Postgres
  readonly pii: PiiCipher
  close(): Promise<void>
}

/** Where a command writes, and the configuration it runs with (tests run commands in-process). */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  readonly config?: Config
}

export const defaultIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
}

/** Whether the module at `url` is the script node was started with. */
export function isEntry(url: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === url
}

/** Opens the configured PostgreSQL for an operator command. */
export async function openCliStores(given?: Config): Promise<CliStores> {
  const config = given ?? loadConfig()
  const unlock = config.postgres.kind === 'pglite' ? lockDataDir(config.dataDir) : () => undefined
  try {
    const postgres = await openPostgres(config.postgres)
    await migrate(postgres)
    return {
      config,
      postgres,
      pii: new PiiCipher(config.piiKey ?? loadOrCreateKeyFile(config.dataDir)),
      async close() {
        await postgres.close()
        unlock()
      },
    }
  } catch (error) {
    unlock()
    if (error instanceof ConfigError) throw error
    throw new ConfigError(
      config.postgres.kind === 'server' ? 'DATABASE_URL' : 'DATA_DIR',
      undefined,
      `could not be opened: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    )
  }
}

/** Runs a command's main, printing ConfigErrors and ApiErrors as one line and exiting non-zero. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(1)
    },
  )
}
