/**
 * Test helpers for the real-server tier: which servers are configured, and throwaway databases on them so that
 * runs never see each other's tables. With REQUIRE_SERVERS=1 (CI) a missing server is a failure, not a skip.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { loadTestServers } from '../config/env.ts'

export type ServerName = 'TEST_DATABASE_URL' | 'TEST_CLICKHOUSE_URL' | 'TEST_INFLUX_URL' | 'TEST_MQTT_URL'

/**
 * The URL of a test server, or a skip reason when it is not configured. Throws when servers are required.
 * Use as `describe(name, { skip: server.skip }, …)`.
 */
export function testServer(name: ServerName): { url: string; skip: false } | { url: ''; skip: string } {
  const servers = loadTestServers()
  const url = servers[name]
  if (url) return { url, skip: false }
  if (servers.REQUIRE_SERVERS)
    throw new Error(`${name} is not set, and REQUIRE_SERVERS=1 makes the real-server tier mandatory`)
  return { url: '', skip: `${name} not set: real-server tier skipped` }
}

/** The pid of the test InfluxDB process (to pause it in outage tests), if `.ci/run` started one. */
export function testInfluxPid(): number | undefined {
  return loadTestServers().TEST_INFLUX_PID
}

/** Creates an empty database on the server at `url`; returns its URL and a function that drops it. */
export async function createTempDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const temp = new URL(url)
  temp.pathname = `/${name}`
  return {
    url: temp.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
