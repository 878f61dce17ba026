/**
 * The one way analytics reads ClickHouse: a named SQL constant with `{name:Type}` parameters bound by the client,
 * rows back as JSON objects (64-bit integers as numbers, see data/clickhouse/open.ts).
 */
import type { ClickHouse } from '../data/index.ts'

/** Runs `query` with bound `params`; returns its rows. */
export async function rows<T>(
  store: ClickHouse,
  query: string,
  params?: Readonly<Record<string, unknown>>,
): Promise<T[]> {
  const result = await store.client.query({ query, format: 'JSONEachRow', query_params: params })
  return result.json<T>()
}
