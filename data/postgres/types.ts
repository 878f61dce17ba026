/**
 * The PostgreSQL surface the rest of the code uses: the same for PGlite (embedded) and a PostgreSQL server, so
 * services and their tests do not know which one they run on. Rows come back with the same JS types on both:
 * int8 → number, numeric → string, timestamptz → Date, json/jsonb → parsed, bytea → Uint8Array.
 */

/** Something that runs SQL with bound parameters: a connection or an open transaction. */
export interface Sql {
  /** Runs one statement with `$1…` parameters bound by the driver; returns the rows. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>
}

export interface Postgres extends Sql {
  readonly kind: 'pglite' | 'server'
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  /** Server version string, e.g. "15.19". */
  version(): Promise<string>
  close(): Promise<void>
}

export type PostgresOptions =
  | {
      readonly kind: 'pglite'
      /** Directory for the data files; `memory://` for a throwaway database. */ readonly dir: string
    }
  | { readonly kind: 'server'; readonly url: string; /** Pool size. */ readonly maxConnections?: number }
