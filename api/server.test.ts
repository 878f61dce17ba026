import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import mqtt from 'mqtt'
import { configFrom, createLogger, loadOrCreateKeyFile } from '../data/index.ts'
import { issueDeviceToken } from '../ingest/index.ts'
import { totpCode, totpStep } from '../data/index.ts'
import { existingPlatform } from './platform.ts'
import type { HealthBody } from './routes/health.ts'
import { startServer, type RunningServer } from './server.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { dumpPostgres, PLAINTEXT_PII } from './testing/dump.ts'

const silent = createLogger({ level: 'silent' })

describe('startServer on embedded defaults', () => {
  const dir = tempDir('server-')
  let server: RunningServer
  let token = ''

  /** Signs in an operator account created through the platform the running app uses. */
  async function signIn(): Promise<string> {
    const platform = existingPlatform(server.stores)
    assert.ok(platform, 'the app composed its platform')
    const [company] = await server.stores.postgres.query<{ id: string }>(
      'SELECT id FROM companies ORDER BY id LIMIT 1',
    )
    const issued = await platform.users.create(
      { id: 'test', role: 'operator', companyId: company?.id ?? '' },
      {
        username: 'ops-test',
        displayName: 'ops',
        role: 'administrator',
        scope: { kind: 'company', ids: [] },
      },
      null,
    )
    const secret = new URL(issued.totpUri ?? '').searchParams.get('secret') ?? ''
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'ops-test',
        password: issued.password,
        totp: totpCode(secret, totpStep(Date.now())),
      }),
    })
    assert.equal(response.status, 200)
    return ((await response.json()) as { accessToken: string }).accessToken
  }
  const authed = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })

  // An installation that already holds an older model version of its own.
  const olderLift = join(dir.path, 'models', 'pdm-elevator', 'v1')
  before(async () => {
    mkdirSync(olderLift, { recursive: true })
    writeFileSync(join(olderLift, 'manifest.json'), '{"older": true}')
    const config = configFrom({
      DATA_DIR: dir.path,
      PORT: '0',
      MQTT_EMBEDDED_PORT: '0',
      COMMUNITY_PROFILE: 'small',
      SIMULATOR: '0',
      INGEST_BATCH_AGE_MS: '20',
      INGEST_REGISTRY_REFRESH_MS: '100',
    })
    server = await startServer(config, silent)
    token = await signIn()
  })
  after(async () => {
    await server.close()
    dir.remove()
  })

  it('adds the shipped model versions the data directory lacks, leaving the ones it has', () => {
    for (const name of ['pdm-elevator', 'pdm-water-pump'])
      for (const version of readdirSync(join(import.meta.dirname, '../models/fixtures/fleet/models', name)))
        assert.ok(existsSync(join(dir.path, 'models', name, version, 'manifest.json')), `${name}/${version}`)
    assert.equal(readFileSync(join(olderLift, 'manifest.json'), 'utf8'), '{"older": true}')
  })

  it('serves /api/v1/health with every store up, its kind, version and latency', async () => {
    const response = await fetch(`${server.url}/api/v1/health`)
    assert.equal(response.status, 200)
    const body = (await response.json()) as HealthBody
    assert.equal(body.status, 'ok')
    const byStore = Object.fromEntries(body.stores.map((s) => [s.store, s]))
    assert.equal(byStore.postgres?.kind, 'pglite')
    assert.equal(byStore.postgres?.status, 'ok')
    assert.match(byStore.postgres?.version ?? '', /^\d+/)
    assert.equal(byStore.clickhouse?.kind, 'chdb')
    assert.equal(byStore.clickhouse?.status, 'ok')
    assert.equal(typeof byStore.clickhouse?.latencyMs, 'number')
    assert.equal(byStore.influx?.status, 'off')
  })

  it('loaded the community into PostgreSQL, with personal data only encrypted', async () => {
    const db = server.stores.postgres
    const [counts] = await db.query<{ buildings: number; residents: number; devices: number }>(
      `SELECT (SELECT count(*) FROM buildings)::int AS buildings, (SELECT count(*) FROM residents)::int AS residents,
              (SELECT count(*) FROM devices)::int AS devices`,
    )
    assert.ok((counts?.buildings ?? 0) > 0 && (counts?.residents ?? 0) > 0 && (counts?.devices ?? 0) > 0)
    const [resident] = await db.query<{ id_number_enc: Uint8Array }>(
      'SELECT id_number_enc FROM residents LIMIT 1',
    )
    assert.ok(resident)
    assert.match(server.stores.pii.decrypt(resident.id_number_enc), /^\d{17}[\dX]$/)
  })

  it('ingests what a device publishes to the embedded broker', async () => {
    const [device] = await server.stores.postgres.query<{ id: string; community_id: string; kind: string }>(
      "SELECT id, community_id, kind FROM devices WHERE kind = 'water_pump' ORDER BY id LIMIT 1",
    )
    assert.ok(device && server.mqttUrl)
    const client = await mqtt.connectAsync(server.mqttUrl)
    const topic = `community/${device.community_id}/${device.kind}/${device.id}/telemetry`
    await client.publishAsync(topic, JSON.stringify({ ts: Date.now(), seq: 42, m: { flow: 3.5 } }), {
      qos: 1,
    })
    await client.endAsync()
    const deadline = Date.now() + 10_000
    for (;;) {
      const result = await server.stores.clickhouse.client.query({
        query: 'SELECT m FROM telemetry WHERE device_id = {d:String} AND seq = 42',
        query_params: { d: device.id },
        format: 'JSONEachRow',
      })
      const rows = await result.json<{ m: Record<string, number> }>()
      if (rows.length === 1) {
        assert.deepEqual(rows[0]?.m, { flow: 3.5 })
        break
      }
      assert.ok(Date.now() < deadline, 'telemetry not stored within 10 s')
      await new Promise((r) => setTimeout(r, 50))
    }
  })

  it('starts ingesting a device added to the registry, without a restart', async () => {
    const [pump] = await server.stores.postgres.query<{ community_id: string; building_id: string | null }>(
      "SELECT community_id, building_id FROM devices WHERE kind = 'water_pump' LIMIT 1",
    )
    assert.ok(pump && server.mqttUrl)
    await server.stores.postgres.query(
      `INSERT INTO devices (id, community_id, kind, model, install_date, x, y, z, building_id)
       VALUES ('new-pump-9', $1, 'water_pump', 'TEST', '2026-11-01', 0, 0, 0, $2)`,
      [pump.community_id, pump.building_id],
    )
    await new Promise((r) => setTimeout(r, 400))
    const client = await mqtt.connectAsync(server.mqttUrl)
    const topic = `community/${pump.community_id}/water_pump/new-pump-9/telemetry`
    await client.publishAsync(topic, JSON.stringify({ ts: Date.now(), seq: 1, m: { flow: 1 } }), { qos: 1 })
    await client.endAsync()
    const deadline = Date.now() + 10_000
    for (;;) {
      const result = await server.stores.clickhouse.client.query({
        query: "SELECT count() AS n FROM telemetry WHERE device_id = 'new-pump-9'",
        format: 'JSONEachRow',
      })
      const [row] = await result.json<{ n: number }>()
      if (Number(row?.n) === 1) break
      assert.ok(Date.now() < deadline, 'the new device was not ingested')
      await new Promise((r) => setTimeout(r, 50))
    }
  })

  describe('POST /ingest/v1/batch', () => {
    let device: { id: string; community_id: string; kind: string }
    let token: string
    const post = (body: unknown, auth?: string) =>
      fetch(`${server.url}/ingest/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })

    before(async () => {
      const [row] = await server.stores.postgres.query<{ id: string; community_id: string; kind: string }>(
        "SELECT id, community_id, kind FROM devices WHERE kind = 'electricity_meter' ORDER BY id LIMIT 1",
      )
      assert.ok(row)
      device = row
      token = issueDeviceToken(loadOrCreateKeyFile(dir.path, 'ingest'), device.id)
    })

    it('stores a gateway batch and answers only after storage, with each item accounted for', async () => {
      const now = Date.now()
      const messages = [
        { ts: now, seq: 1, m: { kwh: 10.5 } },
        { ts: now + 1, seq: 2, m: { kwh: 10.6 } },
        { ts: now + 2, seq: 2, m: { kwh: 10.6 } },
        { ts: 'yesterday', seq: 3, m: { kwh: 1 } },
      ]
      const response = await post({ device: device.id, channel: 'telemetry', messages }, token)
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), {
        stored: 2,
        duplicates: 1,
        rejected: [{ index: 3, reason: 'wrong_type' }],
      })
      const result = await server.stores.clickhouse.client.query({
        query: 'SELECT count() AS n FROM telemetry WHERE device_id = {d:String}',
        query_params: { d: device.id },
        format: 'JSONEachRow',
      })
      const [count] = await result.json<{ n: number }>()
      assert.equal(Number(count?.n), 2, 'stored before the 200 was sent')
    })

    const refusals: [string, () => [unknown, string | undefined], number, string][] = [
      [
        'a missing token',
        () => [{ device: device.id, channel: 'telemetry', messages: [{}] }, undefined],
        401,
        'unauthorized',
      ],
      [
        'a forged token',
        () => [{ device: device.id, channel: 'telemetry', messages: [{}] }, token.slice(0, -2) + 'xx'],
        401,
        'unauthorized',
      ],
      [
        'a token for another device',
        () => [{ device: 'c01-other', channel: 'telemetry', messages: [{}] }, token],
        403,
        'forbidden',
      ],
      ['a body that is not JSON', () => ['{oops', token], 400, 'bad_request'],
      [
        'an unknown channel',
        () => [{ device: device.id, channel: 'gossip', messages: [{}] }, token],
        400,
        'bad_request',
      ],
      [
        'extra envelope fields',
        () => [{ device: device.id, channel: 'telemetry', messages: [{}], admin: true }, token],
        400,
        'bad_request',
      ],
      [
        'an empty message list',
        () => [{ device: device.id, channel: 'telemetry', messages: [] }, token],
        400,
        'bad_request',
      ],
    ]
    for (const [what, make, status, code] of refusals) {
      it(`answers ${status} ${code} to ${what}`, async () => {
        const [body, auth] = make()
        const response = await post(body, auth)
        assert.equal(response.status, status)
        const json = (await response.json()) as { error: { code: string } }
        assert.equal(json.error.code, code)
      })
    }

    it('answers 413 to a body over the limit', async () => {
      const response = await post('x'.repeat(20 * 1024 * 1024), token)
      assert.equal(response.status, 413)
    })
  })

  it('serves the twin scene of a community to a signed-in user, without personal data', async () => {
    assert.equal((await fetch(`${server.url}/api/v1/twin/communities`)).status, 401)
    const list = (await (await authed('/api/v1/twin/communities')).json()) as {
      communities: { id: string }[]
    }
    const id = list.communities[0]?.id
    assert.ok(id)
    const response = await authed(`/api/v1/twin/communities/${id}/scene`)
    assert.equal(response.status, 200)
    const text = await response.text()
    const scene = JSON.parse(text) as { buildings: unknown[]; devices: { kind: string }[] }
    assert.ok(scene.buildings.length > 0)
    assert.ok(scene.devices.some((d) => d.kind === 'elevator'))
    // Whole numbers only: digits after a decimal point are coordinates, not phone numbers.
    assert.doesNotMatch(text, /(?<![\d.])(\d{17}[\dXx]|1[3-9]\d{9})(?![\d])/, 'no ID or phone numbers')
    const missing = await authed('/api/v1/twin/communities/nope/scene')
    assert.equal(missing.status, 404)
  })

  it('serves Prometheus metrics to metrics:read only', async () => {
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401)
    const response = await authed('/metrics')
    assert.equal(response.status, 200)
    assert.match(await response.text(), /ingest_rows_stored_total\{sink="clickhouse"\} \d+/)
  })

  it('keeps no plaintext ID or phone number in either store', async () => {
    const postgres = await dumpPostgres(server.stores.postgres)
    assert.ok(postgres.includes('residents '), 'the dump holds the residents table')
    assert.equal(PLAINTEXT_PII.exec(postgres)?.[0], undefined)
    const { client } = server.stores.clickhouse
    const tables = await (
      await client.query({ query: 'SHOW TABLES', format: 'JSONEachRow' })
    ).json<{ name: string }>()
    let clickhouse = ''
    for (const { name } of tables) {
      const result = await client.query({
        query: `SELECT * FROM ${name} LIMIT 100000`,
        format: 'JSONEachRow',
      })
      clickhouse += JSON.stringify(await result.json()) + '\n'
    }
    assert.ok(clickhouse.includes('kwh'), 'the dump holds the telemetry written above')
    assert.equal(PLAINTEXT_PII.exec(clickhouse)?.[0], undefined)
  })

  it('answers unknown routes with the JSON error shape', async () => {
    const response = await fetch(`${server.url}/api/v1/nope`)
    assert.equal(response.status, 404)
    const body = (await response.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'not_found')
  })
})

describe('npm start with a bad setting', () => {
  function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('exit', (code) => resolve({ code, stderr }))
    })
  }

  it('exits non-zero with one line naming DATABASE_URL when the server is unreachable', async () => {
    const dir = tempDir('bad-db-')
    try {
      const { code, stderr } = await start({ DATABASE_URL: 'postgres://127.0.0.1:1/x', DATA_DIR: dir.path })
      assert.notEqual(code, 0)
      const lines = stderr.trim().split('\n')
      assert.equal(lines.length, 1, stderr)
      assert.match(lines[0] ?? '', /^config: DATABASE_URL="postgres:\/\/127\.0\.0\.1:1\/x" is unreachable/)
    } finally {
      dir.remove()
    }
  })

  it('exits non-zero with one line naming PORT when it is invalid', async () => {
    const { code, stderr } = await start({ PORT: 'abc' })
    assert.notEqual(code, 0)
    assert.match(stderr.trim(), /^config: PORT="abc" [^\n]+$/)
  })
})
