/**
 * InfluxDB through the v1-compatible HTTP API (`/ping`, `/write`, `/query`), which InfluxDB 1.x, 2.x (with a DBRP
 * mapping) and 3.x all accept. Writes are line protocol with millisecond precision.
 */

export interface InfluxOptions {
  readonly url: string
  readonly database: string
  /** `Token …` credentials (2.x/3.x tokens, or `user:password` on 1.8+). */
  readonly token?: string | undefined
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number
}

export class InfluxError extends Error {
  override readonly name = 'InfluxError'
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

export interface InfluxSeries {
  readonly name: string
  readonly columns: readonly string[]
  readonly values: readonly (readonly unknown[])[]
}

export interface Influx {
  readonly database: string
  /** Server version from the `X-Influxdb-Version` header. */
  ping(): Promise<{ version: string; latencyMs: number }>
  /** Writes line-protocol text (lines separated by `\n`); resolves when the server has accepted them. */
  write(lines: string): Promise<void>
  /** Runs an InfluxQL query against the database; returns the series of the first statement. */
  query(influxql: string): Promise<InfluxSeries[]>
  /** Creates the database (1.x); harmless where it exists. */
  ensureDatabase(): Promise<void>
}

/** A client for one database; no connection is made until the first call. */
export function createInflux(options: InfluxOptions): Influx {
  const base = options.url.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const headers: Record<string, string> = options.token ? { Authorization: `Token ${options.token}` } : {}

  async function request(path: string, init: RequestInit): Promise<Response> {
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      const cause =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : ''
      throw new InfluxError(`InfluxDB at ${base} is unreachable: ${cause || String(error)}`)
    }
    if (!response.ok && response.status !== 204) {
      const body = await response.text().catch(() => '')
      throw new InfluxError(
        `InfluxDB ${path.split('?')[0]} answered ${response.status}: ${body.slice(0, 300)}`,
        response.status,
      )
    }
    return response
  }

  async function queryRaw(q: string, withDb: boolean): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' })
    if (withDb) params.set('db', options.database)
    const response = await request('/query', {
      method: 'POST',
      body: params,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    const body = (await response.json()) as {
      results?: { series?: InfluxSeries[]; error?: string }[]
      error?: string
    }
    const first = body.results?.[0]
    const error = body.error ?? first?.error
    if (error) throw new InfluxError(`InfluxDB query failed: ${error}`)
    return first?.series ?? []
  }

  return {
    database: options.database,
    async ping() {
      const started = performance.now()
      const response = await request('/ping', { method: 'GET' })
      await response.arrayBuffer()
      return {
        version: response.headers.get('x-influxdb-version') ?? 'unknown',
        latencyMs: performance.now() - started,
      }
    },
    async write(lines: string) {
      if (lines.length === 0) return
      const params = new URLSearchParams({ db: options.database, precision: 'ms' })
      const response = await request(`/write?${params.toString()}`, {
        method: 'POST',
        body: lines,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      })
      await response.arrayBuffer()
    },
    query: (influxql) => queryRaw(influxql, true),
    async ensureDatabase() {
      await queryRaw(`CREATE DATABASE "${options.database.replace(/["\\]/g, '\\$&')}"`, false)
    },
  }
}
