/**
 * Test fixture for the API: a migrated database holding the small generated community plus a second community
 * ("other community" cases), one demo account per role with a signed-in token, and helpers to call the app
 * through `app.request()`. Runs on PGlite or on a throwaway database on the PostgreSQL server.
 */
import { randomBytes } from 'node:crypto'
import {
  configFrom,
  createLogger,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
  totpCode,
  totpStep,
  type Config,
  type Postgres,
  type Stores,
} from '../../data/index.ts'
import { createTempDatabase } from '../../data/testing/servers.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createApp } from '../app.ts'
import type { AuthContext } from '../auth/context.ts'
import { resolveScope } from '../auth/auth-state.ts'
import { permissionsOf, roles, type Role } from '../auth/permissions.ts'
import { createPlatform, type Platform } from '../platform.ts'
import { ensureDemoAccounts, type DemoAccount } from '../users/demo-accounts.ts'

export interface Fixture {
  readonly app: ReturnType<typeof createApp>
  readonly platform: Platform
  readonly db: Postgres
  readonly config: Config
  readonly accounts: Readonly<Record<Role, DemoAccount>>
  readonly tokens: Record<Role, string>
  /** Ids of objects: in the demo scopes ("own"), another household of the same building, another community. */
  readonly ids: {
    readonly community: string
    readonly building: string
    readonly household: string
    readonly resident: string
    readonly vehicle: string
    readonly unit: string
    readonly otherHousehold: string
    readonly otherResident: string
    readonly otherCommunity: string
    readonly otherBuilding: string
    readonly otherUnit: string
    readonly otherCommunityHousehold: string
    readonly otherCommunityResident: string
    readonly otherCommunityVehicle: string
  }
  /** A company-scope context for setting up data directly through the services. */
  readonly system: AuthContext
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>
  login(username: string, password: string, totp?: string): Promise<Response>
  /** The current TOTP code of an account with a secret. */
  totp(account: DemoAccount, offsetSteps?: number): string
  close(): Promise<void>
}

const silent = createLogger({ level: 'silent' })

/** A database to run on: PGlite in memory, or a throwaway database on the server at `url`. */
export async function openTestDatabase(url?: string): Promise<{ db: Postgres; drop: () => Promise<void> }> {
  if (!url)
    return { db: await openPostgres({ kind: 'pglite', dir: 'memory://' }), drop: () => Promise.resolve() }
  const temp = await createTempDatabase(url)
  return { db: await openPostgres({ kind: 'server', url: temp.url, maxConnections: 4 }), drop: temp.drop }
}

/** Builds the fixture on `db` (which it closes). `env` overrides configuration. */
export async function openFixture(
  opened: { db: Postgres; drop: () => Promise<void> },
  env: Record<string, string> = {},
): Promise<Fixture> {
  const { db } = opened
  const dir = tempDir('api-')
  const config = configFrom({ DATA_DIR: dir.path, AUTH_SCRYPT_LOG_N: '10', LOG_LEVEL: 'error', ...env })
  await migrate(db)
  const pii = new PiiCipher(randomBytes(32))
  await loadCommunitySet(db, pii, generateCommunity({ profile: 'small', seed: 20261125 }))
  const stores: Stores = {
    postgres: db,
    clickhouse: {
      kind: 'chdb',
      database: 'none',
      cluster: undefined,
      client: undefined as never,
      version: () => Promise.resolve('not used in API tests'),
      close: () => Promise.resolve(),
    },
    influx: null,
    pii,
    close: () => db.close(),
  }
  const platform = createPlatform(config, stores, silent)
  const app = createApp({ stores, log: silent, config, platform })
  const list = (await ensureDemoAccounts(platform, silent, () => undefined)) ?? []
  const accounts = Object.fromEntries(list.map((a) => [a.role, a])) as Record<Role, DemoAccount>
  const companyId =
    (await db.query<{ id: string }>('SELECT id FROM companies ORDER BY id LIMIT 1'))[0]?.id ?? ''
  const system: AuthContext = {
    userId: 'system',
    username: 'system',
    role: 'administrator',
    companyId,
    permissions: permissionsOf('administrator'),
    scope: await resolveScope(db, companyId, 'company', []),
    sessionId: 'none',
    residentId: null,
  }

  // A second community with one of everything, for "other community" cases.
  const other = await platform.records.create(
    system,
    'communities',
    {
      name: '翠湖苑',
      city: '杭州',
      district: '西湖区',
      address: '文三路 1 号',
      lat: 30.27,
      lon: 120.13,
      builtYear: 2012,
      boundary: [],
    },
    null,
  )
  const systemNow = { ...system, scope: await resolveScope(db, companyId, 'company', []) }
  const otherBuilding = await platform.records.create(
    systemNow,
    'buildings',
    {
      communityId: other.id,
      name: '1号楼',
      kind: 'tower',
      floors: 18,
      basementFloors: 1,
      height: 54,
      floorHeight: 3,
      entrances: 1,
      elevatorCount: 2,
      builtYear: 2012,
      footprint: [],
    },
    null,
  )
  const otherUnit = await platform.records.create(
    systemNow,
    'units',
    {
      buildingId: otherBuilding.id,
      entrance: 1,
      floor: 3,
      number: '301',
      area: 89.5,
      bedrooms: 2,
      usage: 'residential',
    },
    null,
  )
  const otherHousehold = await platform.records.create(
    systemNow,
    'households',
    {
      unitId: otherUnit.id,
      tenure: 'owner',
      moveInDate: '2015-05-01',
    },
    null,
  )
  const otherResident = await platform.records.create(
    systemNow,
    'residents',
    {
      householdId: otherHousehold.id,
      name: '林晓',
      gender: 'F',
      birthDate: '1988-03-07',
      idNumber: '330106198803070026',
      phone: '13900001234',
      relation: 'owner',
      ageGroup: 'adult',
      occupation: 'commuter',
    },
    null,
  )
  const otherVehicle = await platform.records.create(
    systemNow,
    'vehicles',
    {
      householdId: otherHousehold.id,
      plate: '浙A12345',
      energy: 'fuel',
    },
    null,
  )

  const own = accounts.resident
  const [me] = await db.query<{
    id: string
    household_id: string
    building_id: string
    community_id: string
  }>(
    `SELECT r.id, r.household_id, r.building_id, r.community_id FROM users u JOIN residents r ON r.id = u.resident_id
     WHERE u.username = $1`,
    [own.username],
  )
  if (!me) throw new Error('fixture: resident account not linked')
  const [neighbour] = await db.query<{ household_id: string; id: string }>(
    `SELECT household_id, id FROM residents WHERE building_id = $1 AND household_id <> $2 ORDER BY id LIMIT 1`,
    [me.building_id, me.household_id],
  )
  const [vehicle] = await db.query<{ id: string }>(
    'SELECT id FROM vehicles WHERE household_id = $1 ORDER BY id LIMIT 1',
    [me.household_id],
  )
  let vehicleId = vehicle?.id
  if (!vehicleId) {
    vehicleId = String(
      (
        await platform.records.create(
          systemNow,
          'vehicles',
          { householdId: me.household_id, plate: '沪B54321', energy: 'electric' },
          null,
        )
      ).id,
    )
  }
  const [unit] = await db.query<{ unit_id: string }>('SELECT unit_id FROM households WHERE id = $1', [
    me.household_id,
  ])
  if (!neighbour || !unit) throw new Error('fixture: no neighbour')

  const request: Fixture['request'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body: string | Blob | undefined
    if (options.body !== undefined) {
      body =
        options.body instanceof Uint8Array
          ? new Blob([new Uint8Array(options.body)])
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    return Promise.resolve(app.request(path, { method, headers, body }))
  }
  const totp = (account: DemoAccount, offsetSteps = 0) =>
    totpCode(account.totpSecret ?? '', totpStep(Date.now()) + offsetSteps)
  const login = (username: string, password: string, code?: string) =>
    request('POST', '/api/v1/auth/login', { body: { username, password, ...(code ? { totp: code } : {}) } })

  const tokens = {} as Record<Role, string>
  for (const role of roles) {
    const account = accounts[role]
    const response = await login(
      account.username,
      account.password,
      account.totpSecret ? totp(account) : undefined,
    )
    if (response.status !== 200) throw new Error(`fixture: ${role} could not sign in (${response.status})`)
    tokens[role] = ((await response.json()) as { accessToken: string }).accessToken
  }

  return {
    app,
    platform,
    db,
    config,
    accounts,
    tokens,
    ids: {
      community: me.community_id,
      building: me.building_id,
      household: me.household_id,
      resident: me.id,
      vehicle: vehicleId,
      unit: unit.unit_id,
      otherHousehold: neighbour.household_id,
      otherResident: neighbour.id,
      otherCommunity: String(other.id),
      otherBuilding: String(otherBuilding.id),
      otherUnit: String(otherUnit.id),
      otherCommunityHousehold: String(otherHousehold.id),
      otherCommunityResident: String(otherResident.id),
      otherCommunityVehicle: String(otherVehicle.id),
    },
    system: systemNow,
    request,
    login,
    totp,
    async close() {
      await db.close()
      await opened.drop()
      dir.remove()
    },
  }
}
