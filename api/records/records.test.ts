/**
 * Core records through the API: create, read, update, archive and restore; search and keyset pagination; unique
 * constraints as 409; CSV and XLSX import (all rows or none, row-level errors, dry run) and export (scoped,
 * masked, formula-safe). Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { PLAINTEXT_PII } from '../testing/dump.ts'
import { formatCsv, parseCsv } from './csv.ts'
import { readXlsx, writeXlsx } from './xlsx.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function recordSuite(label: string, url?: string): void {
  describe(`records: ${label}`, () => {
    let f: Fixture
    let token: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      token = f.tokens.community_manager
    })
    after(() => f.close())
    const api = (method: string, path: string, body?: unknown) =>
      f.request(method, `/api/v1${path}`, { token, body })
    const count = async (sql: string, params: unknown[] = []) =>
      (await f.db.query<{ n: number }>(sql, params))[0]?.n ?? 0

    it('creates, reads, updates, archives and restores, with scope ids derived from the parent', async () => {
      const unit = (await (
        await api('POST', '/units', {
          buildingId: f.ids.building,
          entrance: 1,
          floor: 7,
          number: '0701',
          area: 95.5,
          bedrooms: 3,
          usage: 'residential',
        })
      ).json()) as { id: string; communityId: string; area: number }
      assert.equal(unit.communityId, f.ids.community)
      assert.equal(unit.area, 95.5)
      const household = (await (
        await api('POST', '/households', { unitId: unit.id, tenure: 'owner', moveInDate: '2025-03-01' })
      ).json()) as {
        id: string
        buildingId: string
        moveInDate: string
      }
      assert.equal(household.buildingId, f.ids.building)
      assert.equal(household.moveInDate, '2025-03-01')
      const patched = await api('PATCH', `/households/${household.id}`, { tenure: 'tenant' })
      assert.equal(((await patched.json()) as { tenure: string }).tenure, 'tenant')
      assert.equal((await api('PATCH', `/households/${household.id}`, {})).status, 400, 'nothing to change')
      const archived = (await (await api('POST', `/households/${household.id}/archive`)).json()) as {
        archivedAt: string | null
      }
      assert.ok(archived.archivedAt)
      const listed = (await (await api('GET', `/households?unitId=${unit.id}`)).json()) as {
        items: unknown[]
      }
      assert.equal(listed.items.length, 0, 'archived records leave the list')
      const withArchived = (await (
        await api('GET', `/households?unitId=${unit.id}&includeArchived=true`)
      ).json()) as { items: unknown[] }
      assert.equal(withArchived.items.length, 1)
      assert.equal(
        (
          await api('POST', '/residents', {
            householdId: household.id,
            name: 'x',
            gender: 'M',
            birthDate: '1980-01-01',
            idNumber: '11010519491231002X',
            relation: 'owner',
            ageGroup: 'adult',
          })
        ).status,
        404,
        'no records under an archived parent',
      )
      assert.equal(
        ((await (await api('POST', `/households/${household.id}/restore`)).json()) as { archivedAt: null })
          .archivedAt,
        null,
      )
      const entries = await count('SELECT count(*)::int AS n FROM audit_log WHERE object_id = $1', [
        household.id,
      ])
      assert.equal(entries, 4, 'create, update, archive, restore: one audit entry each')
    })

    it('pages through a list with an opaque cursor, in scope, without gaps or repeats', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = (await (
          await api('GET', `/residents?limit=37${cursor ? `&cursor=${cursor}` : ''}`)
        ).json()) as {
          items: { id: string; communityId: string }[]
          nextCursor: string | null
        }
        for (const item of page.items) {
          assert.equal(item.communityId, f.ids.community)
          seen.push(item.id)
        }
        cursor = page.nextCursor
      } while (cursor)
      assert.deepEqual([...seen].sort(), seen, 'ordered by id')
      assert.equal(new Set(seen).size, seen.length)
      assert.equal(
        seen.length,
        await count(
          'SELECT count(*)::int AS n FROM residents WHERE community_id = $1 AND archived_at IS NULL',
          [f.ids.community],
        ),
      )
      assert.equal((await api('GET', '/residents?cursor=%%%')).status, 400)
    })

    it('sends a list gzip-compressed to a client that accepts it, and plain to one that does not', async () => {
      const path = '/api/v1/residents?limit=20'
      const plain = await f.request('GET', path, { token })
      assert.equal(plain.headers.get('content-encoding'), null)
      assert.match(plain.headers.get('vary') ?? '', /accept-encoding/i)
      const expected = (await plain.json()) as { items: { id: string; phone: string | null }[] }
      assert.equal(expected.items.length, 20)
      for (const header of ['gzip', 'br;q=1, gzip;q=0.5', '*']) {
        const zipped = await f.request('GET', path, { token, headers: { 'accept-encoding': header } })
        assert.equal(zipped.headers.get('content-encoding'), 'gzip', header)
        const body = JSON.parse(
          gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8'),
        ) as unknown
        assert.deepEqual(body, expected, `${header}: the same page, masked the same way`)
      }
      for (const header of ['identity', 'gzip;q=0', 'br']) {
        const refused = await f.request('GET', path, { token, headers: { 'accept-encoding': header } })
        assert.notEqual(refused.headers.get('content-encoding'), 'gzip', header)
        assert.deepEqual(await refused.json(), expected, header)
      }
    })

    it('searches by name, plate and number', async () => {
      const [resident] = await f.db.query<{ name: string }>('SELECT name FROM residents WHERE id = $1', [
        f.ids.otherResident,
      ])
      const found = (await (
        await api('GET', `/residents?q=${encodeURIComponent(resident?.name ?? '')}`)
      ).json()) as { items: { name: string }[] }
      assert.ok(found.items.length >= 1 && found.items.every((r) => r.name.includes(resident?.name ?? '')))
      const none = (await (await api('GET', '/vehicles?q=%E6%B5%99A12345')).json()) as { items: unknown[] }
      assert.equal(none.items.length, 0, "another community's plate is not found")
    })

    it('answers 409 for a plate that is already registered in the community', async () => {
      const [vehicle] = await f.db.query<{ plate: string }>('SELECT plate FROM vehicles WHERE id = $1', [
        f.ids.vehicle,
      ])
      const response = await api('POST', '/vehicles', {
        householdId: f.ids.household,
        plate: vehicle?.plate,
        energy: 'fuel',
      })
      assert.equal(response.status, 409)
    })

    it('imports a CSV file whole, one audit entry per record', async () => {
      const before = await count('SELECT count(*)::int AS n FROM audit_log')
      const csv = formatCsv(
        ['householdId', 'plate', 'energy'],
        [
          [f.ids.household, '川A1B2C3', 'electric'],
          [f.ids.otherHousehold, '川A9Z8Y7', 'fuel'],
        ],
      )
      const response = await f.request('POST', '/api/v1/records/vehicles/import', {
        token,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      })
      assert.equal(response.status, 200, await response.clone().text())
      const result = (await response.json()) as { created: number; ids: string[] }
      assert.equal(result.created, 2)
      assert.equal(await count('SELECT count(*)::int AS n FROM audit_log'), before + 2)
    })

    it('imports nothing when any row is bad, and reports every bad row', async () => {
      const before = await count('SELECT count(*)::int AS n FROM vehicles')
      const csv = [
        'householdId,plate,energy',
        `${f.ids.household},川A5E6F7,electric`,
        `${f.ids.household},not a plate,fuel`,
        `${f.ids.otherCommunityHousehold},川A7E6F7,fuel`,
        `${f.ids.household},川A1B2C3,fuel`,
      ].join('\n')
      const response = await f.request('POST', '/api/v1/records/vehicles/import', {
        token,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      })
      assert.equal(response.status, 400)
      const body = (await response.json()) as {
        error: { code: string; details: { row: number; field: string | null }[] }
      }
      assert.equal(body.error.code, 'invalid_rows')
      assert.deepEqual(
        body.error.details.map((d) => d.row),
        [3],
      )
      // Schema errors first; with those fixed, the scope and uniqueness errors are reported together.
      const second = csv.replace('not a plate', '川A3C4D5')
      const again = await f.request('POST', '/api/v1/records/vehicles/import', {
        token,
        body: second,
        headers: { 'content-type': 'text/csv' },
      })
      const details = ((await again.json()) as { error: { details: { row: number; message: string }[] } })
        .error.details
      assert.deepEqual(
        details.map((d) => d.row),
        [4, 5],
      )
      assert.match(details[0]?.message ?? '', /not found/)
      assert.match(details[1]?.message ?? '', /unique|same/)
      assert.equal(await count('SELECT count(*)::int AS n FROM vehicles'), before, 'nothing half-imported')
      const unknownColumn = await f.request('POST', '/api/v1/records/vehicles/import', {
        token,
        body: 'householdId,plate,energy,communityId\n',
        headers: { 'content-type': 'text/csv' },
      })
      assert.equal(unknownColumn.status, 400)
    })

    it('dry-runs an import without writing', async () => {
      const before = await count('SELECT count(*)::int AS n FROM vehicles')
      const csv = `householdId,plate,energy\n${f.ids.household},川A0D0R0,fuel\n`
      const response = await f.request('POST', '/api/v1/records/vehicles/import?dryRun=true', {
        token,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      })
      assert.deepEqual(await response.json(), { created: 1, dryRun: true, ids: [] })
      assert.equal(await count('SELECT count(*)::int AS n FROM vehicles'), before)
    })

    it('imports XLSX, and exports CSV and XLSX in scope with personal data masked', async () => {
      const xlsx = writeXlsx(
        'residents',
        ['householdId', 'name', 'gender', 'birthDate', 'idNumber', 'phone', 'relation', 'ageGroup'],
        [
          [
            f.ids.household,
            '=HYPERLINK("x")',
            'F',
            '1949-12-31',
            '11010519491231002X',
            '13800138000',
            'other',
            'elderly',
          ],
        ],
      )
      const imported = await f.request('POST', '/api/v1/records/residents/import', {
        token,
        body: xlsx,
        headers: { 'content-type': XLSX },
      })
      assert.equal(imported.status, 200, await imported.clone().text())

      const csvResponse = await f.request('GET', '/api/v1/records/residents/export?format=csv', { token })
      assert.equal(csvResponse.status, 200)
      assert.match(csvResponse.headers.get('content-type') ?? '', /text\/csv/)
      const csv = await csvResponse.text()
      assert.doesNotMatch(csv, PLAINTEXT_PII)
      assert.match(csv, /138\*\*\*\*8000/)
      assert.match(csv, /'=HYPERLINK/, 'formula defused')
      const rows = parseCsv(csv)
      assert.ok(
        rows.slice(1).every((row) => row[3] === f.ids.community),
        'only the caller’s community',
      )

      const xlsxResponse = await f.request('GET', '/api/v1/records/residents/export?format=xlsx', { token })
      const sheet = readXlsx(new Uint8Array(await xlsxResponse.arrayBuffer()))
      assert.equal(sheet.length, rows.length)
      assert.deepEqual(sheet[0], rows[0])
      const [entry] = await f.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE action = 'resident.export' LIMIT 1",
      )
      assert.ok(entry, 'exports are audited')
    })
  })
}

describe('CSV and XLSX', () => {
  it('round-trips quotes, commas, line breaks and Chinese through CSV', () => {
    const rows = [['a,b', 'say "hi"', 'line\nbreak', '兰亭新苑', '']]
    assert.deepEqual(parseCsv(formatCsv(['x', 'y', 'z', 'w', 'v'], rows)).slice(1), rows)
    assert.throws(() => parseCsv('"open'), RangeError)
  })

  it('round-trips cells through XLSX and refuses a file that is not one', () => {
    const file = writeXlsx(
      's',
      ['id', 'n', 'text'],
      [
        ['a', 1.5, '<&>"'],
        ['b', 2, ''],
      ],
    )
    assert.deepEqual(readXlsx(file), [
      ['id', 'n', 'text'],
      ['a', '1.5', '<&>"'],
      ['b', '2', ''],
    ])
    assert.throws(() => readXlsx(new Uint8Array([1, 2, 3])), RangeError)
    assert.throws(() => readXlsx(file, 10), /size limit/)
  })
})

recordSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  recordSuite('PostgreSQL server', server.url),
)
