import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { migrate, openPostgres, type Postgres } from '../../data/index.ts'
import { LiveBus, type LiveEvent } from '../live/bus.ts'
import { AlarmEngine } from './engine.ts'
import { AlarmTransitionError } from './lifecycle.ts'
import { RuleStore } from './rule-store.ts'
import type { AlarmRuleInput } from './rules.ts'
import { AlarmScheduler } from './scheduler.ts'
import { AlarmNotFoundError, AlarmService, AlarmWriter } from './service.ts'
import { RecordingWorkOrderOpener } from './work-orders.ts'

const pump = { id: 'p1', communityId: 'c1', kind: 'water_pump' }

const hot: AlarmRuleInput = {
  id: 'pump-hot',
  communityId: null,
  name: 'Pump motor hot',
  type: 'threshold',
  deviceKind: 'water_pump',
  deviceId: null,
  metric: 'motor_temp_c',
  params: { op: '>', value: 80, durationS: 0, silent: false },
  severity: 'critical',
  enabled: true,
  escalateAfterS: 600,
  remindEveryS: 300,
  autoWorkOrder: true,
}

describe('AlarmService (PGlite)', () => {
  let db: Postgres
  const clock = { t: Date.UTC(2026, 10, 25, 8, 0, 0) }
  const now = () => clock.t
  const bus = new LiveBus(100, now)
  const published: LiveEvent[] = []
  bus.subscribe((e) => published.push(e))
  const workOrders = new RecordingWorkOrderOpener((r) => `WO-${r.alarmId}`)
  let service: AlarmService
  let rules: RuleStore
  let engine: AlarmEngine
  let writer: AlarmWriter
  let scheduler: AlarmScheduler

  before(async () => {
    db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(db)
    service = new AlarmService({ db, bus, workOrders, now })
    rules = new RuleStore(db, now)
    writer = new AlarmWriter(service, (e) => {
      throw e
    })
    engine = new AlarmEngine({ sink: writer, now, devices: [pump] })
    scheduler = new AlarmScheduler(engine, rules, service, {
      rulesPollMs: 60_000,
      staleCheckMs: 60_000,
      escalationCheckMs: 60_000,
    })
  })
  after(async () => {
    scheduler.stop()
    await db.close()
  })

  it('stores a rule with its author and applies it to the engine without a restart', async () => {
    const stored = await rules.create(hot, 'user-admin')
    assert.equal(stored.createdBy, 'user-admin')
    assert.equal(await scheduler.reloadIfChanged(), true)
    assert.equal(await scheduler.reloadIfChanged(), false, 'nothing changed since')
    assert.ok(engine.rules.has('pump-hot'))
  })

  it('opens an alarm from the stream, deduplicates repeats and opens its work order', async () => {
    engine.telemetry(pump, 0, clock.t, { motor_temp_c: 85 })
    await writer.idle()
    engine.telemetry(pump, 0, clock.t + 1000, { motor_temp_c: 70 })
    engine.telemetry(pump, 0, clock.t + 2000, { motor_temp_c: 90 })
    await writer.idle()
    const [alarm, ...others] = await service.list('all', { active: true })
    assert.equal(others.length, 0)
    assert.ok(alarm)
    assert.equal(alarm.state, 'open')
    assert.equal(alarm.occurrences, 2)
    assert.equal(alarm.value, 90)
    assert.equal(alarm.severity, 'critical')
    assert.equal(alarm.workOrderRef, `WO-${alarm.id}`)
    assert.equal(workOrders.requests.length, 1)
    const { history } = await service.get(alarm.id, 'all')
    assert.deepEqual(
      history.map((h) => [h.action, h.actor]),
      [
        ['opened', null],
        ['work_order', null],
        ['cleared', null],
        ['repeated', null],
      ],
    )
    assert.deepEqual(
      published.map((e) => (e.data as { action: string }).action),
      ['opened', 'work_order', 'cleared', 'repeated'],
    )
  })

  it('escalates, then reminds, an alarm nobody acknowledged', async () => {
    clock.t += 601_000
    const first = await service.notifyDue()
    assert.equal(first.escalated.length, 1)
    assert.equal((await service.notifyDue()).reminded.length, 0, 'just notified')
    clock.t += 301_000
    assert.equal((await service.notifyDue()).reminded.length, 1)
  })

  it('records who acknowledged, started and resolved it, and when', async () => {
    const [alarm] = await service.list('all', { active: true })
    assert.ok(alarm)
    await assert.rejects(service.act(alarm.id, 'acknowledge', 'user-x', new Set(['c9'])), AlarmNotFoundError)
    clock.t += 1000
    const acked = await service.act(alarm.id, 'acknowledge', 'user-duty', new Set(['c1']), 'on my way')
    assert.equal(acked.state, 'acknowledged')
    assert.equal(acked.acknowledgedBy, 'user-duty')
    assert.equal(acked.acknowledgedAt?.getTime(), clock.t)
    await assert.rejects(service.act(alarm.id, 'acknowledge', 'user-duty', 'all'), AlarmTransitionError)
    const started = await service.act(alarm.id, 'start', 'user-tech', 'all')
    assert.equal(started.inProgressBy, 'user-tech')
    const resolved = await service.act(alarm.id, 'resolve', 'user-tech', 'all', 'bearing replaced')
    assert.equal(resolved.state, 'resolved')
    assert.equal(resolved.resolvedBy, 'user-tech')
    const { history } = await service.get(alarm.id, 'all')
    assert.deepEqual(
      history.slice(-3).map((h) => [h.action, h.actor, h.state, h.note]),
      [
        ['acknowledged', 'user-duty', 'acknowledged', 'on my way'],
        ['in_progress', 'user-tech', 'in_progress', null],
        ['resolved', 'user-tech', 'resolved', 'bearing replaced'],
      ],
    )
  })

  it('opens a new alarm once the previous one is resolved', async () => {
    engine.telemetry(pump, 0, clock.t, { motor_temp_c: 70 })
    engine.telemetry(pump, 0, clock.t + 1, { motor_temp_c: 95 })
    await writer.idle()
    const active = await service.list('all', { active: true })
    assert.equal(active.length, 1)
    assert.equal(active[0]?.occurrences, 1)
    assert.equal((await service.list('all')).length, 2)
  })

  it('applies a changed rule on the next reload and a deleted one no more', async () => {
    await rules.update({ ...hot, params: { ...hot.params, value: 100 } }, 'user-admin')
    assert.equal(await scheduler.reloadIfChanged(), true)
    assert.equal((await rules.get('pump-hot'))?.updatedBy, 'user-admin')
    assert.equal(engine.rules.get('pump-hot')?.value, 100)
    assert.equal(await rules.remove('pump-hot', 'user-admin'), true)
    await scheduler.reloadIfChanged()
    // The migrations' default rules stay; the deleted one is gone from the engine.
    assert.equal(engine.rules.has('pump-hot'), false)
    assert.deepEqual(
      [...engine.rules.keys()].filter((id) => !id.startsWith('default-')),
      [],
    )
    assert.ok(engine.rules.has('default-pump-motor-hot'))
  })
})
