// Tests for findViolations: a sound set passes, and each kind of damage is reported with its own code.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Community, CommunitySet } from './types.ts'
import type { ViolationCode } from './invariants-types.ts'
import { generateCommunity } from './generate.ts'
import { findViolations } from './invariants.ts'

const pristine = generateCommunity({ seed: 7, profile: 'small' })

/** Everything is readonly in the public types; tests damage a deep copy through this mutable view. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] }

function damaged(damage: (c: Mutable<Community>, set: Mutable<CommunitySet>) => void): ViolationCode[] {
  const set = structuredClone(pristine) as Mutable<CommunitySet>
  damage(set.communities[0] as Mutable<Community>, set)
  return [...new Set(findViolations(set as CommunitySet).map((v) => v.code))]
}

function first<T>(items: readonly T[], pick: (t: T) => boolean = () => true): T {
  const found = items.find(pick)
  assert.ok(found !== undefined)
  return found
}

describe('findViolations', () => {
  it('finds nothing wrong with a generated set', () => {
    assert.deepEqual(findViolations(pristine), [])
  })

  it('reports a unit on a floor its building does not have', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.units).floor = 99
      }),
      ['unit-building'],
    )
  })

  it('reports a household whose unit does not exist and a resident of a vacant household', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.households).unitId = 'c01-nowhere'
      }),
      ['household-unit'],
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.residents).householdId = first(c.households, (h) => h.tenure === 'vacant').id
      }),
      ['resident-household'],
    )
  })

  it('reports dangling references and a space booked by two vehicles', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.devices, (d) => d.gateId !== null).gateId = 'c01-g99'
      }),
      ['dangling-ref'],
    )
    assert.deepEqual(
      damaged((c) => {
        const linked = c.vehicles.filter((v) => v.spaceId !== null)
        ;(linked[1] as Mutable<(typeof c.vehicles)[number]>).spaceId = (
          linked[0] as { spaceId: string }
        ).spaceId
      }),
      ['space-double-booked'],
    )
  })

  it('reports duplicate ids and device ids that would break an MQTT topic', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.areas).id = first(c.buildings).id
      }),
      ['duplicate-id'],
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.devices).id = 'c01/dev+1'
      }),
      ['device-id'],
    )
  })

  it('reports an ID number with a wrong check digit or a birth date that disagrees', () => {
    assert.deepEqual(
      damaged((c) => {
        const r = first(c.residents)
        r.idNumber = r.idNumber.slice(0, 17) + (r.idNumber[17] === '0' ? '1' : '0')
      }),
      ['id-number'],
    )
    assert.deepEqual(
      damaged((c) => {
        const r = first(c.residents, (x) => x.ageGroup === 'adult' && !x.birthDate.endsWith('-01'))
        r.birthDate = `${r.birthDate.slice(0, 8)}01`
      }),
      ['id-number'],
    )
  })

  it('reports a phone given to a young child, a malformed one and a repeated one', () => {
    const child = (c: Mutable<Community>) =>
      first(c.residents, (r) => r.ageGroup === 'child' && r.birthDate > '2016-01-01')
    assert.deepEqual(
      damaged((c) => {
        child(c).phone = '13800000000'
      }),
      ['phone'],
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.residents, (r) => r.phone !== null).phone = '12345678901'
      }),
      ['phone'],
    )
    assert.deepEqual(
      damaged((c) => {
        const withPhones = c.residents.filter((r) => r.phone !== null)
        ;(withPhones[1] as { phone: string | null }).phone = (withPhones[0] as { phone: string }).phone
      }),
      ['phone'],
    )
  })

  it('reports a repeated plate and a fuel car with a green plate', () => {
    assert.deepEqual(
      damaged((c) => {
        ;(c.vehicles[1] as { plate: string }).plate = first(c.vehicles).plate
      }),
      ['plate'],
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.vehicles, (v) => v.energy === 'electric').energy = 'fuel'
      }),
      ['plate'],
    )
  })

  it('reports an install date before the building was built', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.devices, (d) => d.kind === 'elevator').installDate = '1990-01-01'
      }),
      ['install-date'],
    )
  })

  it('reports a device moved outside the boundary', () => {
    assert.deepEqual(
      damaged((c) => {
        const light = first(c.devices, (d) => d.kind === 'street_light')
        light.position = [10_000, 10_000, 6]
      }),
      ['outside-boundary'],
    )
  })

  it('reports overlapping buildings and a building set on a road', () => {
    const codes = damaged((c) => {
      const [a, b] = c.buildings.filter((x) => x.kind === 'tower') as [
        Mutable<Community['buildings'][number]>,
        Mutable<Community['buildings'][number]>,
      ]
      b.footprint = a.footprint.map(([x, y]) => [x + 1, y + 1])
    })
    assert.ok(codes.includes('building-overlap'), codes.join())
    const onRoad = damaged((c) => {
      const club = first(c.buildings, (b) => b.kind === 'clubhouse')
      club.footprint = club.footprint.map(([x, y]) => [x, y - 14])
    })
    assert.ok(onRoad.includes('road-through-building'), onRoad.join())
  })

  it('reports an open area laid over a building', () => {
    assert.deepEqual(
      damaged((c) => {
        first(c.areas, (a) => a.kind === 'green_belt').polygon = first(
          c.buildings,
          (b) => b.kind === 'walkup',
        ).footprint
      }),
      ['area-over-building'],
    )
  })

  it('reports a tower moved too close behind another', () => {
    const codes = damaged((c) => {
      const towers = c.buildings.filter((b) => b.kind === 'tower')
      const [south, north] = towers.sort((a, b) => (a.footprint[0]?.[1] ?? 0) - (b.footprint[0]?.[1] ?? 0))
      if (!south || !north) throw new Error('needs two towers')
      // Set the northern tower 20 m behind the southern one, directly in line with it.
      const top = Math.max(...south.footprint.map((p) => p[1]))
      const depth =
        Math.max(...north.footprint.map((p) => p[1])) - Math.min(...north.footprint.map((p) => p[1]))
      const [x0, x1] = [
        Math.min(...south.footprint.map((p) => p[0])),
        Math.max(...south.footprint.map((p) => p[0])),
      ]
      north.footprint = [
        [x0, top + 20],
        [x1, top + 20],
        [x1, top + 20 + depth],
        [x0, top + 20 + depth],
      ]
    })
    assert.ok(codes.includes('sunlight'), codes.join())
  })

  it('reports a disconnected road graph, a wrong edge length and a gate off its node', () => {
    assert.ok(
      damaged((c) => {
        c.roads.nodes.push({ id: 'c01-n9999', position: [0, 0] })
      }).includes('road-disconnected'),
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.roads.edges).length += 5
      }),
      ['edge-length'],
    )
    assert.deepEqual(
      damaged((c) => {
        first(c.gates).nodeId = first(c.roads.nodes, (n) => n.id !== first(c.gates).nodeId).id
      }),
      ['gate-node'],
    )
  })

  it('reports a meter outside its building and a street light inside one', () => {
    assert.deepEqual(
      damaged((c) => {
        const meter = first(c.devices, (d) => d.kind === 'water_meter' && d.unitId !== null)
        meter.position = [0, 0, meter.position[2]]
      }),
      ['device-placement'],
    )
    assert.deepEqual(
      damaged((c) => {
        const tower = first(c.buildings, (b) => b.kind === 'tower')
        const [x, y] = tower.footprint[0] as [number, number]
        first(c.devices, (d) => d.kind === 'street_light').position = [x + 2, y + 2, 6]
      }),
      ['device-placement'],
    )
  })
})
