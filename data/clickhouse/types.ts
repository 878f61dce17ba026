/**
 * The ClickHouse surface: `@clickhouse/client` itself, connected either to chDB in-process (the embedded
 * default) or to a server by URL. Same client, same SQL, different connection.
 */
import type { ClickHouseClient } from '@clickhouse/client'

export type ClickHouseOptions = {
  /** Database that holds our tables. */
  readonly database: string
  /** When set, DDL is generated with `ON CLUSTER` and Replicated/Distributed engines. */
  readonly cluster?: string
} & (
  | {
      readonly kind: 'chdb'
      /** Data directory of the in-process engine (one per process). */ readonly path: string
    }
  | { readonly kind: 'server'; readonly url: string }
)

export interface ClickHouse {
  readonly kind: 'chdb' | 'server'
  readonly database: string
  readonly cluster: string | undefined
  /** The official client; queries bind parameters with `{name:Type}` placeholders. */
  readonly client: ClickHouseClient
  /** Engine version, e.g. "26.7.2.1". */
  version(): Promise<string>
  close(): Promise<void>
}
