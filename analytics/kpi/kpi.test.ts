import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { migrateClickHouse, openClickHouse, type ClickHouse } from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { RollupRefresher } from '../rollup/refresh.ts'
import type { KpiContext } from './context.ts'
import { crowdByZone } from './crowd.ts'
import { energyByBuilding, energyByMeter } from './energy.ts'
import { elevatorKpis, pumpKpis } from './equipment.ts'
import { loadFixture, local, TZ } from './fixture.ts'
import { parkingOccupancy } from './parking.ts'
import { nightFlowSql, nightFlowSuspects } from './water.ts'
import { rows } from '../clickhouse.ts'
import { crowdSql } from './crowd.ts'
import { energyByBuildingSql } from './energy.ts'
import { elevatorsSql, pumpsSql } from './equipment.ts'
import { parkingSql } from './parking.ts'
import { rawSource, source, watermarkParams } from './source.ts'

const H = 3_600_000

// Every KPI is asked twice: first from the minute level only (nothing refreshed yet: the hour and day tables are
// empty and the watermarks at 0), then after the refresh job computed the closed hours and days. Same answers.
const phases = ['before the hour and day tables are computed', 'after the refresh job ran'] as const

describe('KPIs on fixed data (chDB)', () => {
  const dir = tempDir('kpi-')
  let store: ClickHouse
  let refresher: RollupRefresher
  let ctx: KpiContext

  before(async () => {
    store = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'kpi' })
    await migrateClickHouse(store)
    await loadFixture(store)
    refresher = new RollupRefresher(store, { timezone: TZ, insertMarginMs: 0 })
    ctx = { clickhouse: store, timezone: TZ, watermarks: () => refresher.watermarks(0) }
  })
  after(async () => {
    await store.close()
    dir.remove()
  })

  for (const phase of phases) {
    describe(phase, () => {
      before(async () => {
        if (phase === 'after the refresh job ran') {
          const result = await refresher.refresh()
          assert.ok(result.hours.length > 10, 'the refresh computed the closed hours')
          assert.ok(result.days.includes(local('2026-03-10 00:00')), 'and the closed local days')
        } else {
          assert.equal((await refresher.watermarks(0)).hourUntil, local('2026-03-08 01:00'))
        }
      })

      it('gives energy by building per hour as register deltas across bucket edges', async () => {
        const found = await energyByBuilding(ctx, {
          communityId: 'c1',
          from: local('2026-03-10 10:00'),
          to: local('2026-03-10 13:00'),
          grain: 'hour',
        })
        assert.deepEqual(found, [
          { buildingId: 'b1', t: local('2026-03-10 10:00'), kwh: 3 },
          { buildingId: 'b1', t: local('2026-03-10 11:00'), kwh: 2.25 },
          { buildingId: 'b1', t: local('2026-03-10 12:00'), kwh: 1.25 },
          { buildingId: 'b2', t: local('2026-03-10 10:00'), kwh: 0 },
          { buildingId: 'b2', t: local('2026-03-10 12:00'), kwh: 3 },
        ])
      })

      it('gives energy by building per local day and month', async () => {
        const day = { communityId: 'c1', from: local('2026-03-10 00:00'), to: local('2026-03-11 00:00') }
        assert.deepEqual(await energyByBuilding(ctx, { ...day, grain: 'day' }), [
          { buildingId: 'b1', t: local('2026-03-10 00:00'), kwh: 7.5 },
          { buildingId: 'b2', t: local('2026-03-10 00:00'), kwh: 3 },
        ])
        assert.deepEqual(await energyByBuilding(ctx, { ...day, grain: 'month' }), [
          { buildingId: 'b1', t: local('2026-03-01 00:00'), kwh: 7.5 },
          { buildingId: 'b2', t: local('2026-03-01 00:00'), kwh: 3 },
        ])
        assert.deepEqual(await energyByMeter(ctx, day), [
          { deviceId: 'em1', unitId: 'u1', kwh: 5.5 },
          { deviceId: 'em2', unitId: 'u2', kwh: 2 },
          { deviceId: 'em3', unitId: 'u3', kwh: 3 },
        ])
      })

      it('flags meters whose night flow never reached zero', async () => {
        const window = { communityId: 'c1', from: local('2026-03-08 00:00'), to: local('2026-03-11 00:00') }
        assert.deepEqual(await nightFlowSuspects(ctx, { ...window, minNights: 3 }), [
          {
            deviceId: 'wm1',
            unitId: 'u1',
            buildingId: 'b1',
            nights: 3,
            flowingNights: 3,
            minNightFlowM3h: 0.02,
            avgNightFlowM3h: 0.02,
          },
        ])
        const all = await nightFlowSuspects(ctx, { ...window, minNights: 1 })
        assert.deepEqual(
          all.map((s) => [s.deviceId, s.flowingNights, s.minNightFlowM3h, s.avgNightFlowM3h]),
          [
            ['wm1', 3, 0.02, 0.02],
            ['wm2', 1, 0, 0.0033],
          ],
        )
      })

      it('bins people in, out, net and density per zone in 5 minutes', async () => {
        const found = await crowdByZone(ctx, {
          communityId: 'c1',
          from: local('2026-03-10 10:00'),
          to: local('2026-03-10 10:10'),
        })
        assert.deepEqual(found, [
          {
            zoneId: 'a1',
            t: local('2026-03-10 10:00'),
            in: 3,
            out: 1,
            net: 2,
            present: 18,
            densityPer100m2: 9,
          },
          {
            zoneId: 'g1',
            t: local('2026-03-10 10:00'),
            in: 8,
            out: 2,
            net: 6,
            present: 0,
            densityPer100m2: null,
          },
          {
            zoneId: 'g1',
            t: local('2026-03-10 10:05'),
            in: 1,
            out: 4,
            net: 3,
            present: 0,
            densityPer100m2: null,
          },
        ])
      })

      it('estimates parking occupancy from entries and exits since counting began', async () => {
        const found = await parkingOccupancy(ctx, {
          communityId: 'c1',
          from: local('2026-03-10 10:00'),
          to: local('2026-03-10 12:00'),
        })
        assert.deepEqual(found, [
          {
            lotId: 'L1',
            t: local('2026-03-10 10:00'),
            entries: 3,
            exits: 1,
            capacity: 10,
            netVehicles: 7,
            occupancy: 0.7,
          },
          {
            lotId: 'L1',
            t: local('2026-03-10 11:00'),
            entries: 1,
            exits: 4,
            capacity: 10,
            netVehicles: 4,
            occupancy: 0.4,
          },
        ])
      })

      it('gives elevator availability, trips and faults, and pump run hours, starts and efficiency', async () => {
        const window = { communityId: 'c1', from: local('2026-03-10 10:00'), to: local('2026-03-10 12:00') }
        assert.deepEqual(await elevatorKpis(ctx, window), [
          { deviceId: 'el1', buildingId: 'b1', availability: 0.75, trips: 25, faults: 1 },
        ])
        assert.deepEqual(await pumpKpis(ctx, window), [
          {
            deviceId: 'wp1',
            buildingId: 'pr1',
            runHours: 1.5,
            starts: 3,
            avgFlowM3h: 20,
            avgPowerKw: 4.333,
            m3PerKwh: 4.615,
          },
        ])
      })
    })
  }

  it('answers every panel the same from the rollups and from the raw table', async () => {
    const params = {
      community: 'c1',
      ...watermarkParams(await refresher.watermarks(0), TZ),
      from: local('2026-03-08 00:00'),
      to: local('2026-03-11 00:00'),
      scan_from: local('2026-03-07 00:00'),
      from_day: local('2026-03-08 00:00'),
      kind: 'electricity_meter',
      metric: 'energy_kwh',
      min_flow: 0,
      min_nights: 1,
    }
    const cases: [string, (src: typeof source) => string, Record<string, unknown>][] = [
      ['energy by hour', (src) => energyByBuildingSql('hour', src), {}],
      ['energy by day', (src) => energyByBuildingSql('day', src), {}],
      ['night flow', nightFlowSql, {}],
      ['crowd', crowdSql, {}],
      ['parking', parkingSql, { from: local('2026-03-10 00:00') }],
      ['elevators', elevatorsSql, { kind: 'elevator' }],
      ['pumps', pumpsSql, { kind: 'water_pump' }],
    ]
    for (const [name, sql, extra] of cases) {
      const fromRollups = await rows(store, sql(source), { ...params, ...extra })
      const fromRaw = await rows(store, sql(rawSource), { ...params, ...extra })
      assert.ok(fromRollups.length > 0, `${name} has rows`)
      assert.deepEqual(fromRollups, fromRaw, name)
    }
  })

  it('recomputes an hour that received late data after it was computed', async () => {
    const late = local('2026-03-10 12:55')
    await store.client.insert({
      table: 'telemetry',
      format: 'JSONEachRow',
      values: [
        {
          community_id: 'c1',
          kind: 'electricity_meter',
          device_id: 'em3',
          ts: late,
          seq: 999,
          m: { energy_kwh: 14 },
          received_at: Date.now(),
        },
      ],
    })
    const stale = await refresher.watermarks(0)
    assert.equal(
      stale.hourUntil,
      local('2026-03-10 12:00'),
      'the hour table is complete only below the late hour',
    )
    const result = await refresher.refresh()
    assert.deepEqual(result.hours, [local('2026-03-10 12:00')])
    assert.deepEqual(result.days, [local('2026-03-10 00:00')])
    const hours = await energyByBuilding(ctx, {
      communityId: 'c1',
      from: local('2026-03-10 12:00'),
      to: local('2026-03-10 13:00'),
      grain: 'hour',
    })
    assert.deepEqual(hours, [
      { buildingId: 'b1', t: local('2026-03-10 12:00'), kwh: 1.25 },
      { buildingId: 'b2', t: local('2026-03-10 12:00'), kwh: 4 },
    ])
    assert.ok((await refresher.watermarks(0)).hourUntil > local('2026-03-10 12:00') + H)
  })

  it('reads the minutes past the hour table within a day the day table has not closed', async () => {
    // The tables as they stand at 11:xx on 10 March: the day table complete up to the day's start, the hour table
    // holding the hours before 11:00 only; the rest of the day is read from the minute level. (Last in this file:
    // it removes hours the other tests read.)
    await store.client.command({
      query: `ALTER TABLE telemetry_1h DELETE WHERE t >= fromUnixTimestamp64Milli({from:Int64})
        AND t < fromUnixTimestamp64Milli({to:Int64})`,
      query_params: { from: local('2026-03-10 11:00'), to: local('2026-03-11 00:00') },
      clickhouse_settings: { mutations_sync: '1' },
    })
    const params = {
      community: 'c1',
      ...watermarkParams({ hourUntil: local('2026-03-10 11:00'), dayUntil: local('2026-03-10 00:00') }, TZ),
      from: local('2026-03-08 00:00'),
      to: local('2026-03-11 00:00'),
      scan_from: local('2026-03-07 00:00'),
      kind: 'electricity_meter',
      metric: 'energy_kwh',
    }
    const sql = (src: typeof source) => energyByBuildingSql('day', src)
    const fromRollups = await rows(store, sql(source), params)
    assert.ok(fromRollups.length > 0)
    assert.deepEqual(fromRollups, await rows(store, sql(rawSource), params))
  })
})
