import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openPostgres, type Postgres } from '../../data/index.ts'
import { local, TZ } from './fixture.ts'
import { complaintHotspots, feeCollection, workOrderSla } from './records.ts'

// The records tables do not exist yet (records/operations modules): the test creates the minimal columns the
// queries assume, as those modules will.
const SCHEMA = `
CREATE TABLE complaints (id serial, community_id text, building_id text, location text, category text, created_at timestamptz);
CREATE TABLE fee_bills (id serial, community_id text, building_id text, period date, amount_due numeric(10,2), amount_paid numeric(10,2));
CREATE TABLE work_orders (id serial, community_id text, created_at timestamptz, resolved_at timestamptz, due_at timestamptz);`

describe('records KPIs (PGlite)', () => {
  let db: Postgres
  const window = {
    communityId: 'c1',
    from: local('2026-03-01 00:00'),
    to: local('2026-04-01 00:00'),
    timezone: TZ,
  }

  before(async () => {
    db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
  })
  after(() => db.close())

  it('answers unavailable while the records tables do not exist', async () => {
    assert.deepEqual(await feeCollection(db, window), { available: false, rows: [] })
    assert.deepEqual(await workOrderSla(db, window), { available: false, rows: [] })
    assert.deepEqual(await complaintHotspots(db, { ...window, period: 'month' }), {
      available: false,
      rows: [],
    })
  })

  it('ranks complaint hotspots by location and category per local day', async () => {
    await db.exec(SCHEMA)
    const add = (b: string, loc: string, cat: string, at: string, community = 'c1') =>
      db.query(
        'INSERT INTO complaints (community_id, building_id, location, category, created_at) VALUES ($1,$2,$3,$4,$5)',
        [community, b, loc, cat, new Date(local(at))],
      )
    await add('b1', 'lobby', 'noise', '2026-03-10 07:30') // local 07:30 is the previous UTC day
    await add('b1', 'lobby', 'noise', '2026-03-10 22:00')
    await add('b1', 'lobby', 'noise', '2026-03-11 09:00')
    await add('b2', 'garage', 'parking', '2026-03-10 12:00')
    await add('b1', 'lobby', 'noise', '2026-03-10 12:00', 'c2')
    const { rows } = await complaintHotspots(db, { ...window, period: 'day' })
    assert.deepEqual(rows, [
      { buildingId: 'b1', location: 'lobby', category: 'noise', t: local('2026-03-10 00:00'), complaints: 2 },
      {
        buildingId: 'b2',
        location: 'garage',
        category: 'parking',
        t: local('2026-03-10 00:00'),
        complaints: 1,
      },
      { buildingId: 'b1', location: 'lobby', category: 'noise', t: local('2026-03-11 00:00'), complaints: 1 },
    ])
  })

  it('gives the fee collection rate by building and month', async () => {
    const bill = (b: string, period: string, due: number, paid: number) =>
      db.query(
        'INSERT INTO fee_bills (community_id, building_id, period, amount_due, amount_paid) VALUES ($1,$2,$3,$4,$5)',
        ['c1', b, period, due, paid],
      )
    await bill('b1', '2026-03-01', 300, 300)
    await bill('b1', '2026-03-01', 200, 50)
    await bill('b2', '2026-03-01', 400, 0)
    await bill('b1', '2026-02-01', 100, 100)
    assert.deepEqual(
      (await feeCollection(db, { ...window, from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 3, 1) })).rows,
      [
        { buildingId: 'b1', month: '2026-03', due: 500, paid: 350, rate: 0.7 },
        { buildingId: 'b2', month: '2026-03', due: 400, paid: 0, rate: 0 },
      ],
    )
  })

  it('gives work-order SLA compliance and mean time to repair', async () => {
    const order = (created: string, resolved: string | null, due: string) =>
      db.query(
        'INSERT INTO work_orders (community_id, created_at, resolved_at, due_at) VALUES ($1,$2,$3,$4)',
        ['c1', new Date(local(created)), resolved ? new Date(local(resolved)) : null, new Date(local(due))],
      )
    await order('2026-03-10 08:00', '2026-03-10 10:00', '2026-03-10 12:00') // 2 h, within SLA
    await order('2026-03-10 08:00', '2026-03-10 14:00', '2026-03-10 12:00') // 6 h, late
    await order('2026-03-11 08:00', '2026-03-11 09:00', '2026-03-11 12:00') // 1 h, within SLA
    await order('2026-03-12 08:00', null, '2026-03-12 12:00') // open
    assert.deepEqual((await workOrderSla(db, window)).rows, [
      { total: 4, resolved: 3, withinSla: 2, compliance: 0.6667, mttrHours: 3 },
    ])
  })
})
