/**
 * `npm start`: the command center on whatever the environment configures (embedded stores by default).
 * A configuration problem ends the process with exit code 1 and one line that says what to set.
 */
import { ConfigError, createLogger, loadConfig } from '../data/index.ts'
import { startServer } from './server.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  const log = createLogger({ level: config.logLevel, name: 'command-center' })
  const running = await startServer(config, log)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
  process.exit(1)
})
