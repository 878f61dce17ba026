/**
 * The permission matrix, tested from outside: every role × every guarded route × (an object in the role's own
 * scope, one of another household, one of another community) gets the status the matrix and the scope rules say —
 * 403 without the permission, 404 for an object out of scope (exactly like a missing one), success otherwise — and
 * a denied request changes nothing (no audit entry, the object's row untouched). Also: every route of the app
 * declares a policy, and every guarded route is covered by this table. Runs on PGlite and on the server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Hono } from 'hono'
import { configFrom, createLogger } from '../data/index.ts'
import { createApp } from './app.ts'
import { testServer } from '../data/testing/servers.ts'
import { ingestRoutes } from '../ingest/index.ts'
import { roleHas, roles, type Permission, type Role } from './auth/permissions.ts'
import { routePolicies } from './auth/policy.ts'
import { kindNames, type KindName } from './records/kinds.ts'
import { openFixture, openTestDatabase, type Fixture } from './testing/fixture.ts'
import { declaredResponse } from './testing/schemas.ts'

type Target = 'own' | 'otherHousehold' | 'otherCommunity'
const targets: readonly Target[] = ['own', 'otherHousehold', 'otherCommunity']

/** Where an object sits; a level that is absent means the object is above that level. */
interface Location {
  readonly community: string
  readonly building?: string
  readonly household?: string
}

/** The scope rule, written from its definition: visible at the user's own level only. */
function visible(f: Fixture, role: Role, at: Location): boolean {
  const scope = { company: 'company', community: 'community', building: 'building', household: 'household' }
  const kind =
    {
      administrator: scope.company,
      auditor: scope.company,
      repair_staff: scope.building,
      maintenance_engineer: scope.building,
      resident: scope.household,
    }[role as string] ?? scope.community
  switch (kind) {
    case 'company':
      return true
    case 'community':
      return at.community === f.ids.community
    case 'building':
      return at.building === f.ids.building
    default:
      return at.household === f.ids.household
  }
}

interface Case {
  readonly method: string
  /** Route path as the app registers it. */
  readonly route: string
  readonly permission: Permission | 'signed-in'
  /** Targets this route is exercised with; object routes use all three. */
  readonly targets: readonly Target[]
  /** Request for a target: path, body, and the object's location (null = not an object route). */
  make(
    f: Fixture,
    target: Target,
    n: number,
  ): Promise<{
    path: string
    body?: unknown
    at: Location | null
    table?: string
    id?: string
    contentType?: string
  }>
}

let plateSeq = 0
const plate = () => `京A${String(10000 + plateSeq++).slice(-5)}`

async function locate(f: Fixture, table: string, id: string): Promise<Location> {
  const columns: Record<string, string> = {
    communities: 'id AS community, NULL AS building, NULL AS household',
    buildings: 'community_id AS community, id AS building, NULL AS household',
    units: 'community_id AS community, building_id AS building, NULL AS household',
    households: 'community_id AS community, building_id AS building, id AS household',
    residents: 'community_id AS community, building_id AS building, household_id AS household',
    vehicles: 'community_id AS community, building_id AS building, household_id AS household',
  }
  const [row] = await f.db.query<{ community: string; building: string | null; household: string | null }>(
    `SELECT ${columns[table]} FROM ${table} WHERE id = $1`,
    [id],
  )
  assert.ok(row, `${table} ${id}`)
  return {
    community: row.community,
    building: row.building ?? undefined,
    household: row.household ?? undefined,
  }
}

function targetId(f: Fixture, extra: Extra, kind: KindName, target: Target): string {
  const ids = f.ids
  const table: Record<KindName, Record<Target, string>> = {
    communities: { own: ids.community, otherHousehold: ids.community, otherCommunity: ids.otherCommunity },
    buildings: { own: ids.building, otherHousehold: ids.building, otherCommunity: ids.otherBuilding },
    units: { own: ids.unit, otherHousehold: extra.otherUnit, otherCommunity: ids.otherUnit },
    households: {
      own: ids.household,
      otherHousehold: ids.otherHousehold,
      otherCommunity: ids.otherCommunityHousehold,
    },
    residents: {
      own: ids.resident,
      otherHousehold: ids.otherResident,
      otherCommunity: ids.otherCommunityResident,
    },
    vehicles: {
      own: ids.vehicle,
      otherHousehold: extra.otherVehicle,
      otherCommunity: ids.otherCommunityVehicle,
    },
  }
  return table[kind][target]
}

interface Extra {
  otherUnit: string
  otherVehicle: string
  sacrificialUser: string
  dataRequest: string
}

const createBodies: Record<KindName, (parent: string, n: number) => Record<string, unknown>> = {
  communities: (_p, n) => ({
    name: `测试小区${n}`,
    city: '杭州',
    district: '西湖区',
    address: '路 1 号',
    lat: 30,
    lon: 120,
    builtYear: 2010,
  }),
  buildings: (p, n) => ({
    communityId: p,
    name: `${n}号楼`,
    kind: 'walkup',
    floors: 6,
    height: 18,
    floorHeight: 3,
    entrances: 1,
    elevatorCount: 0,
    builtYear: 2010,
  }),
  units: (p, n) => ({
    buildingId: p,
    entrance: 1,
    floor: 9,
    number: `9${String(n).padStart(3, '0')}`,
    area: 80,
    bedrooms: 2,
    usage: 'residential',
  }),
  households: (p) => ({ unitId: p, tenure: 'tenant', moveInDate: '2024-01-01' }),
  residents: (p) => ({
    householdId: p,
    name: '测试',
    gender: 'F',
    birthDate: '1949-12-31',
    idNumber: '11010519491231002X',
    phone: '13700001111',
    relation: 'other',
    ageGroup: 'elderly',
  }),
  vehicles: (p) => ({ householdId: p, plate: plate(), energy: 'electric' }),
}
const parentKind: Record<KindName, KindName | null> = {
  communities: null,
  buildings: 'communities',
  units: 'buildings',
  households: 'units',
  residents: 'households',
  vehicles: 'households',
}
const patches: Record<KindName, Record<string, unknown>> = {
  communities: { district: '测试区' },
  buildings: { basementFloors: 1 },
  units: { bedrooms: 3 },
  households: { tenure: 'owner' },
  residents: { occupation: 'home' },
  vehicles: { energy: 'electric' },
}

function cases(extra: () => Extra): Case[] {
  const list: Case[] = []
  const simple = (
    method: string,
    route: string,
    permission: Case['permission'],
    path = route,
    body?: unknown,
  ): Case => ({
    method,
    route,
    permission,
    targets: ['own'],
    make: () => Promise.resolve({ path: `/api/v1${path}`, body, at: null }),
  })
  for (const kind of kindNames) {
    const object = (method: string, suffix: string, permission: Permission, body?: unknown): Case => ({
      method,
      route: `/api/v1/${kind}/:id${suffix}`,
      permission,
      targets,
      async make(f, target) {
        const id = targetId(f, extra(), kind, target)
        return {
          path: `/api/v1/${kind}/${id}${suffix}`,
          body,
          at: await locate(f, kind, id),
          table: kind,
          id,
        }
      },
    })
    list.push({
      method: 'GET',
      route: `/api/v1/${kind}`,
      permission: 'record:read',
      targets: ['own'],
      make: () => Promise.resolve({ path: `/api/v1/${kind}?limit=200`, at: null }),
    })
    list.push(object('GET', '', 'record:read'))
    list.push(object('PATCH', '', 'record:manage', patches[kind]))
    const parent = parentKind[kind]
    list.push({
      method: 'POST',
      route: `/api/v1/${kind}`,
      permission: 'record:manage',
      targets: parent ? targets : ['own'],
      async make(f, target, n) {
        if (!parent)
          return { path: `/api/v1/${kind}`, body: createBodies[kind]('', n), at: { community: '__new__' } }
        const parentId = targetId(f, extra(), parent, target)
        const at = await locate(f, parent, parentId)
        // The new record sits where its parent is, below the parent's level.
        const where: Location =
          kind === 'buildings'
            ? { community: at.community }
            : kind === 'households'
              ? { community: at.community, building: at.building }
              : at
        return { path: `/api/v1/${kind}`, body: createBodies[kind](parentId, n), at: where }
      },
    })
    list.push(object('POST', '/archive', 'record:manage'))
    list.push(object('POST', '/restore', 'record:manage'))
  }
  const resident = (method: string, suffix: string, permission: Permission, body?: unknown): Case => ({
    method,
    route: `/api/v1/residents/:id${suffix}`,
    permission,
    targets,
    async make(f, target) {
      const id = targetId(f, extra(), 'residents', target)
      return {
        path: `/api/v1/residents/${id}${suffix}`,
        body,
        at: await locate(f, 'residents', id),
        table: 'residents',
        id,
      }
    },
  })
  list.push(
    resident('POST', '/unmask', 'pii:unmask', { fields: ['phone'], reason: 'callback about a repair' }),
  )
  list.push(resident('GET', '/face', 'record:read'))
  list.push(resident('POST', '/credentials', 'consent:manage', { kind: 'card' }))
  list.push(resident('POST', '/face-consent', 'consent:manage', { purpose: 'gate access', method: 'paper' }))
  list.push(resident('POST', '/face-consent/withdraw', 'consent:manage'))
  list.push(
    simple('POST', '/api/v1/residents/search', 'record:read', '/residents/search', { phone: '13900001234' }),
  )
  list.push({
    method: 'GET',
    route: '/api/v1/twin/communities/:id/scene',
    permission: 'twin:read',
    targets: ['own', 'otherCommunity'],
    make(f, target) {
      const id = target === 'own' ? f.ids.community : f.ids.otherCommunity
      // The scene is a community-level view for anyone whose scope reaches into the community.
      const inside = target === 'own'
      return Promise.resolve({
        path: `/api/v1/twin/communities/${id}/scene`,
        at: {
          community: id,
          building: inside ? f.ids.building : '-',
          household: inside ? f.ids.household : '-',
        },
      })
    },
  })
  list.push(simple('GET', '/api/v1/twin/communities', 'twin:read', '/twin/communities'))
  list.push(simple('GET', '/api/v1/me', 'signed-in', '/me'))
  list.push(simple('GET', '/api/v1/roles', 'signed-in', '/roles'))
  list.push(simple('GET', '/api/v1/users', 'user:manage', '/users'))
  list.push({
    method: 'POST',
    route: '/api/v1/users',
    permission: 'user:manage',
    targets: ['own'],
    make: (f, _t, n) =>
      Promise.resolve({
        path: '/api/v1/users',
        body: {
          username: `matrix-${n}`,
          displayName: 'matrix',
          role: 'planner',
          scope: { kind: 'community', ids: [f.ids.community] },
        },
        at: null,
      }),
  })
  for (const suffix of ['', '/disable', '/enable', '/reset-password']) {
    list.push({
      method: suffix ? 'POST' : 'GET',
      route: `/api/v1/users/:id${suffix}`,
      permission: 'user:manage',
      targets: ['own'],
      make: () =>
        Promise.resolve({
          path: `/api/v1/users/${extra().sacrificialUser}${suffix}`,
          body: suffix === '/reset-password' ? {} : undefined,
          at: null,
          table: 'users',
          id: extra().sacrificialUser,
        }),
    })
  }
  list.push(
    simple('GET', '/api/v1/records/:kind/export', 'record:export', '/records/households/export?format=csv'),
  )
  list.push({
    method: 'POST',
    route: '/api/v1/records/:kind/import',
    permission: 'record:manage',
    targets: ['own'],
    make: (f) =>
      Promise.resolve({
        path: '/api/v1/records/vehicles/import',
        body: `householdId,plate,energy\r\n${f.ids.household},${plate()},fuel\r\n`,
        contentType: 'text/csv',
        at: null,
      }),
  })
  list.push(simple('GET', '/api/v1/audit/entries', 'audit:read', '/audit/entries'))
  list.push(simple('GET', '/api/v1/audit/tree-head', 'audit:read', '/audit/tree-head'))
  list.push(
    simple('GET', '/api/v1/audit/proofs/inclusion', 'audit:read', '/audit/proofs/inclusion?seq=0&treeSize=2'),
  )
  list.push(
    simple(
      'GET',
      '/api/v1/audit/proofs/consistency',
      'audit:read',
      '/audit/proofs/consistency?first=1&second=2',
    ),
  )
  list.push(simple('GET', '/api/v1/me/data', 'self:data', '/me/data'))
  list.push(simple('POST', '/api/v1/me/deletion-request', 'self:data', '/me/deletion-request'))
  list.push(simple('GET', '/api/v1/data-requests', 'data_request:manage', '/data-requests'))
  list.push({
    method: 'POST',
    route: '/api/v1/data-requests/:id/reject',
    permission: 'data_request:manage',
    targets: ['own'],
    make: (f) =>
      Promise.resolve({
        path: `/api/v1/data-requests/${extra().dataRequest}/reject`,
        at: { community: f.ids.community },
        table: 'data_requests',
        id: extra().dataRequest,
      }),
  })
  return list
}

/** Routes deliberately left to their own tests (they would destroy the fixture's data). */
const coveredElsewhere = new Set(['POST /api/v1/data-requests/:id/complete', 'POST /api/v1/auth/logout'])

function matrixSuite(label: string, url?: string): void {
  describe(`permission matrix: ${label}`, () => {
    let f: Fixture
    let extra: Extra
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const [unit] = await f.db.query<{ unit_id: string }>('SELECT unit_id FROM households WHERE id = $1', [
        f.ids.otherHousehold,
      ])
      const vehicle = await f.platform.records.create(
        f.system,
        'vehicles',
        { householdId: f.ids.otherHousehold, plate: plate(), energy: 'fuel' },
        null,
      )
      const user = await f.platform.users.create(
        { id: 'test', role: 'test', companyId: f.system.companyId },
        {
          username: 'sacrificial',
          displayName: 'x',
          role: 'planner',
          scope: { kind: 'community', ids: [f.ids.community] },
        },
        null,
      )
      const [resident] = await f.db.query<{ id: string }>(
        'SELECT id FROM residents WHERE household_id = $1 AND id <> $2 ORDER BY id LIMIT 1',
        [f.ids.otherHousehold, f.ids.otherResident],
      )
      const neighbourAccount = await f.platform.users.create(
        { id: 'test', role: 'test', companyId: f.system.companyId },
        {
          username: 'neighbour',
          displayName: 'x',
          role: 'resident',
          scope: { kind: 'household', ids: [] },
          residentId: resident?.id ?? f.ids.otherResident,
        },
        null,
      )
      const request = await f.platform.dataRights.requestDeletion(
        { ...f.system, userId: neighbourAccount.user.id, residentId: resident?.id ?? f.ids.otherResident },
        null,
      )
      extra = {
        otherUnit: unit?.unit_id ?? '',
        otherVehicle: String(vehicle.id),
        sacrificialUser: user.user.id,
        dataRequest: request.id,
      }
    })
    after(() => f.close())

    const table = cases(() => extra)

    it('every route of the app, and of the ingest mounted as the server does, declares a policy', () => {
      const app = createApp({
        stores: {
          postgres: f.db,
          pii: f.platform.pii,
          clickhouse: undefined as never,
          influx: null,
          close: () => Promise.resolve(),
        },
        log: createLogger({ level: 'silent' }),
        config: f.config,
        platform: f.platform,
        // Route construction only: the analytics services are reached per request, and none is made here.
        analytics: {} as never,
        ui: true,
      })
      app.route(
        '/',
        ingestRoutes({
          pipeline: undefined as never,
          registry: undefined as never,
          metrics: undefined as never,
          tokenKey: Buffer.alloc(32),
          limits: configFrom({}).ingest.limits,
        }),
      )
      const undeclared = routePolicies(app).filter((r) => r.policy === null)
      assert.deepEqual(undeclared, [])
      const declared = new Map(routePolicies(app).map((r) => [`${r.method} ${r.path}`, r.policy?.kind]))
      assert.equal(declared.get('POST /ingest/v1/batch'), 'device-token')
      assert.equal(declared.get('GET /metrics'), 'metrics')
      assert.equal(declared.get('GET /api/v1/health'), 'public')
      assert.equal(declared.get('GET /api/v1/analytics/communities/:id/energy'), 'permission')
      assert.equal(declared.get('GET /api/v1/live'), 'permission')
      assert.equal(declared.get('GET /*'), 'public')
    })

    it('covers every guarded route of the platform modules in this table', () => {
      const covered = new Set(table.map((c) => `${c.method} ${c.route}`))
      const own = ['auth', 'me', 'roles', 'users', 'audit', 'records', 'data-requests', 'twin', ...kindNames]
      const missing = routePolicies(f.app)
        .filter((r) => own.some((prefix) => r.path.startsWith(`/api/v1/${prefix}`)))
        .filter((r) => r.policy && r.policy.kind !== 'public' && r.path.startsWith('/api/'))
        .map((r) => `${r.method} ${r.path}`)
        .filter((key) => !covered.has(key) && !coveredElsewhere.has(key))
      assert.deepEqual(missing, [])
    })

    let n = 0
    for (const c of table) {
      it(`${c.method} ${c.route}: every role × ${c.targets.join(', ')}`, async () => {
        const failures: string[] = []
        for (const role of roles) {
          for (const target of c.targets) {
            const req = await c.make(f, target, n++)
            const permitted = c.permission === 'signed-in' || roleHas(role, c.permission)
            const inScope =
              req.at === null || req.at.community === '__new__'
                ? req.at === null || role === 'administrator'
                : visible(f, role, req.at)
            const expected = !permitted
              ? 403
              : !inScope
                ? req.at?.community === '__new__'
                  ? 403
                  : 404
                : 'ok'
            const [before] = await f.db.query<{ seq: number }>(
              'SELECT coalesce(max(seq), -1)::int AS seq FROM audit_log',
            )
            const row =
              req.table && req.id
                ? JSON.stringify(await f.db.query(`SELECT * FROM ${req.table} WHERE id = $1`, [req.id]))
                : null
            const response = await f.request(c.method, req.path, {
              token: f.tokens[role],
              body: req.body,
              ...(req.contentType ? { headers: { 'content-type': req.contentType } } : {}),
            })
            const status = response.status
            const ok = expected === 'ok' ? status < 400 || status === 409 : status === expected
            if (!ok)
              failures.push(
                `${role} → ${target}: expected ${expected}, got ${status} ${await response.text()}`,
              )
            if (status >= 400 && status !== 409) {
              const [afterSeq] = await f.db.query<{ seq: number }>(
                'SELECT coalesce(max(seq), -1)::int AS seq FROM audit_log',
              )
              if (afterSeq?.seq !== before?.seq)
                failures.push(`${role} → ${target}: denied but audited a change`)
              if (row !== null && req.table && req.id) {
                const now = JSON.stringify(
                  await f.db.query(`SELECT * FROM ${req.table} WHERE id = $1`, [req.id]),
                )
                if (now !== row) failures.push(`${role} → ${target}: denied but the row changed`)
              }
            }
            const text = status === 204 ? '' : await response.clone().text()
            if (status < 300 && status !== 204 && !req.path.includes('/export')) {
              const schema = declaredResponse(f.app, c.method, c.route, status)
              const parsed = schema?.safeParse(JSON.parse(text))
              if (!parsed?.success)
                failures.push(
                  `${role} → ${target}: ${status} does not match its schema: ${text.slice(0, 200)}`,
                )
            }
            if (status === 200 && c.method === 'GET' && /^\/api\/v1\/(\w+)\?/.test(req.path)) {
              const kind = req.path.split('/')[3]?.split('?')[0] as KindName
              const body = JSON.parse(text) as { items: { id: string }[] }
              for (const item of body.items) {
                if (!visible(f, role, await locate(f, kind, item.id)))
                  failures.push(`${role}: list of ${kind} shows ${item.id}`)
              }
            }
          }
        }
        assert.deepEqual(failures, [])
      })
    }
  })
}

describe('route policies', () => {
  it('reports a route without a declared policy', () => {
    const app = new Hono().get('/api/v1/forgotten', (c) => c.text('x'))
    assert.deepEqual(
      routePolicies(app).map((r) => [r.path, r.policy]),
      [['/api/v1/forgotten', null]],
    )
  })
})

matrixSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  matrixSuite('PostgreSQL server', server.url),
)
