import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeviceRegistry } from './registry.ts'

describe('DeviceRegistry', () => {
  const pump = { id: 'c01-p1', communityId: 'c01', kind: 'water_pump' } as const
  const lift = { id: 'c01-l1', communityId: 'c01', kind: 'elevator' } as const

  it('resolves a device topic to its route, and says why another topic has none', () => {
    const registry = new DeviceRegistry([pump])
    const route = registry.resolve('community/c01/water_pump/c01-p1/telemetry')
    assert.ok(typeof route !== 'string')
    assert.equal(route.tsvPrefix, 'c01\twater_pump\tc01-p1\t')
    assert.equal(route.linePrefix, 'water_pump,community=c01,device=c01-p1 ')
    assert.equal(registry.resolve('community/c01/water_pump/c01-p9/telemetry'), 'unknown_device')
    assert.equal(registry.resolve('community/c02/water_pump/c01-p1/telemetry'), 'unknown_device')
    assert.equal(registry.resolve('community/c01/elevator/c01-p1/telemetry'), 'kind_mismatch')
    assert.equal(registry.resolve('community/c01/water_pump/c01-p1/chatter'), 'bad_topic')
    assert.equal(registry.resolve('community/c01/water_pump/c01-p1'), 'bad_topic')
  })

  it('syncs with a fresh device list: new devices resolve, archived ones no longer do, indices are not reused', () => {
    const registry = new DeviceRegistry([pump])
    assert.equal(typeof registry.resolve('community/c01/water_pump/c01-p1/telemetry'), 'object')
    assert.deepEqual(registry.sync([lift]), { added: 1, removed: 1 })
    assert.equal(registry.resolve('community/c01/water_pump/c01-p1/telemetry'), 'unknown_device')
    const route = registry.resolve('community/c01/elevator/c01-l1/event')
    assert.ok(typeof route !== 'string')
    assert.equal(route.index, 1)
    assert.equal(registry.capacity, 2)
  })

  it('refuses ids that are not safe in topics', () => {
    assert.throws(() => new DeviceRegistry([{ id: 'a/b', communityId: 'c01', kind: 'elevator' }]))
  })
})
