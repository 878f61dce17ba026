/**
 * Records KPIs on the operations modules' own tables (migrated PGlite with a generated community): complaint
 * hotspots per local day, fee collection in yuan net of waivers, work-order SLA compliance and mean time to repair.
 * Expected answers are computed by hand from the rows each test writes.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
  type Postgres,
} from '../../data/index.ts'
import { local, TZ } from './fixture.ts'
import { complaintHotspots, feeCollection, workOrderSla } from './records.ts'

describe('records KPIs (PGlite)', () => {
  let db: Postgres
  let company: string
  let community: string
  let other: string
  let b1: string
  let b2: string
  const units = new Map<string, string[]>()
  const window = () => ({
    communityId: community,
    from: local('2026-03-01 00:00'),
    to: local('2026-04-01 00:00'),
    timezone: TZ,
  })

  before(async () => {
    db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(db)
    const set = generateCommunity({ profile: 'small', seed: 7 })
    await loadCommunitySet(db, new PiiCipher(randomBytes(32)), set)
    company = set.company.id
    community = set.communities[0]?.id ?? ''
    // A second community, for rows that must not be counted.
    other = `${community}-other`
    await db.exec(`CREATE TEMP TABLE twin AS SELECT * FROM communities WHERE id = '${community}';
      UPDATE twin SET id = '${other}';
      INSERT INTO communities SELECT * FROM twin`)
    const buildings = await db.query<{ id: string; unit: string }>(
      `SELECT b.id, u.id AS unit FROM buildings b JOIN units u ON u.building_id = b.id
       WHERE b.community_id = $1 ORDER BY b.id, u.id`,
      [community],
    )
    for (const row of buildings) units.set(row.id, [...(units.get(row.id) ?? []), row.unit])
    ;[b1 = '', b2 = ''] = [...units.keys()]
  })
  after(() => db.close())

  it('answers unavailable on a database not migrated that far', async () => {
    const bare = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    try {
      assert.deepEqual(await feeCollection(bare, window()), { available: false, rows: [] })
      assert.deepEqual(await workOrderSla(bare, window()), { available: false, rows: [] })
      assert.deepEqual(await complaintHotspots(bare, { ...window(), period: 'month' }), {
        available: false,
        rows: [],
      })
    } finally {
      await bare.close()
    }
  })

  it('ranks complaint hotspots by location and category per local day', async () => {
    let n = 0
    const add = (building: string, loc: string, cat: string, at: string, where = community) =>
      db.query(
        `INSERT INTO complaints (id, company_id, community_id, building_id, location, category, channel,
           description, state, reporter_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'app', 'test', 'open', 'u-test', $7, $7)`,
        [
          `cp-test-${++n}`,
          company,
          where,
          where === community ? building : null,
          loc,
          cat,
          new Date(local(at)),
        ],
      )
    await add(b1, 'lobby', 'noise', '2026-03-10 07:30') // local 07:30 is the previous UTC day
    await add(b1, 'lobby', 'noise', '2026-03-10 22:00')
    await add(b1, 'lobby', 'noise', '2026-03-11 09:00')
    await add(b2, 'garage', 'parking', '2026-03-10 12:00')
    await add(b1, 'lobby', 'noise', '2026-03-10 12:00', other)
    await add(b1, 'lobby', 'noise', '2026-04-01 00:00') // outside the window
    const { rows } = await complaintHotspots(db, { ...window(), period: 'day' })
    assert.deepEqual(rows, [
      { buildingId: b1, location: 'lobby', category: 'noise', t: local('2026-03-10 00:00'), complaints: 2 },
      {
        buildingId: b2,
        location: 'garage',
        category: 'parking',
        t: local('2026-03-10 00:00'),
        complaints: 1,
      },
      { buildingId: b1, location: 'lobby', category: 'noise', t: local('2026-03-11 00:00'), complaints: 1 },
    ])
  })

  it('gives the fee collection rate in yuan by building and month, net of waivers', async () => {
    for (const period of ['2026-02-01', '2026-03-01'])
      await db.query(
        `INSERT INTO billing_cycles (id, community_id, period, due_date, created_by) VALUES ($1, $2, $3, $3, 'u-test')`,
        [`cy-${period}`, community, period],
      )
    const taken = new Map<string, number>()
    const bill = (building: string, period: string, dueFen: number, paidFen: number, waivedFen = 0) => {
      const i = taken.get(building + period) ?? 0
      taken.set(building + period, i + 1)
      const unit = units.get(building)?.[i]
      assert.ok(unit, 'enough units in the building')
      return db.query(
        `INSERT INTO fee_bills (id, cycle_id, community_id, building_id, unit_id, period, due_date, amount_due,
           amount_paid, amount_waived) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)`,
        [
          `fb-${unit}-${period}`,
          `cy-${period}`,
          community,
          building,
          unit,
          period,
          dueFen,
          paidFen,
          waivedFen,
        ],
      )
    }
    await bill(b1, '2026-03-01', 30000, 30000) // ¥300 paid in full
    await bill(b1, '2026-03-01', 20000, 5000) // ¥200, ¥50 paid
    await bill(b1, '2026-03-01', 10000, 0, 10000) // ¥100 waived entirely: nothing owed
    await bill(b2, '2026-03-01', 40050, 0) // ¥400.50, unpaid
    await bill(b1, '2026-02-01', 10000, 10000) // outside the window
    assert.deepEqual(
      (await feeCollection(db, { ...window(), from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 3, 1) })).rows,
      [
        { buildingId: b1, month: '2026-03', due: 500, paid: 350, waived: 100, rate: 0.7 },
        { buildingId: b2, month: '2026-03', due: 400.5, paid: 0, waived: 0, rate: 0 },
      ],
    )
  })

  it('gives work-order SLA compliance and mean time to repair', async () => {
    let n = 0
    const order = (created: string, resolved: string | null, due: string, where = community) =>
      db.query(
        `INSERT INTO work_orders (id, company_id, community_id, source, category, skill, title, priority, state,
           created_at, updated_at, sla_started_at, respond_due_at, due_at, resolved_at)
         VALUES ($1, $2, $3, 'staff', 'repair', 'general', 'test', 'normal', $4, $5, $5, $5, $5, $6, $7)`,
        [
          `wo-test-${++n}`,
          company,
          where,
          resolved ? 'resolved' : 'new',
          new Date(local(created)),
          new Date(local(due)),
          resolved ? new Date(local(resolved)) : null,
        ],
      )
    await order('2026-03-10 08:00', '2026-03-10 10:00', '2026-03-10 12:00') // 2 h, within SLA
    await order('2026-03-10 08:00', '2026-03-10 14:00', '2026-03-10 12:00') // 6 h, late
    await order('2026-03-11 08:00', '2026-03-11 09:00', '2026-03-11 12:00') // 1 h, within SLA
    await order('2026-03-12 08:00', null, '2026-03-12 12:00') // open
    await order('2026-03-12 08:00', '2026-03-12 09:00', '2026-03-12 12:00', other) // another community
    assert.deepEqual((await workOrderSla(db, window())).rows, [
      { total: 4, resolved: 3, withinSla: 2, compliance: 0.6667, mttrHours: 3 },
    ])
  })
})
