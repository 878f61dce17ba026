// Tests for households and residents: occupancy, tenure mix, family sizes and ages that hang together.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Resident } from './types.ts'
import { generateCommunity } from './generate.ts'
import { ageOn } from './dates.ts'

const set = generateCommunity({ seed: 3, profile: 'default' })
const c = set.communities[0] as (typeof set.communities)[number]
const members = new Map<string, Resident[]>()
for (const r of c.residents) members.set(r.householdId, [...(members.get(r.householdId) ?? []), r])

describe('populate', () => {
  it('occupies about 92% of households with a mix of owners and tenants', () => {
    const occupied = c.households.filter((h) => h.tenure !== 'vacant')
    const share = occupied.length / c.households.length
    assert.ok(share > 0.89 && share < 0.95, String(share))
    const tenants = occupied.filter((h) => h.tenure === 'tenant').length / occupied.length
    assert.ok(tenants > 0.12 && tenants < 0.35, String(tenants))
  })

  it('gives every occupied household 1–5 residents and every vacant one none', () => {
    for (const h of c.households) {
      const n = members.get(h.id)?.length ?? 0
      if (h.tenure === 'vacant') assert.equal(n, 0, h.id)
      else assert.ok(n >= 1 && n <= 5, `${h.id} has ${n}`)
    }
    const mean = c.residents.length / members.size
    assert.ok(mean > 2.3 && mean < 3.0, String(mean))
  })

  it('heads each household with one owner or tenant matching its tenure', () => {
    for (const h of c.households) {
      const list = members.get(h.id)
      if (!list) continue
      const heads = list.filter((r) => r.relation === 'owner' || r.relation === 'tenant')
      assert.equal(heads.length, 1, h.id)
      assert.equal(heads[0]?.relation, h.tenure)
    }
  })

  it('makes parents 18+ years older than their children and couples of opposite gender', () => {
    for (const list of members.values()) {
      const head = list[0] as Resident
      const spouse = list.find((r) => r.relation === 'spouse')
      if (spouse) assert.notEqual(spouse.gender, head.gender)
      const youngestParent = Math.min(
        ...[head, spouse].filter((r): r is Resident => r !== undefined).map((r) => ageOn(r.birthDate)),
      )
      for (const child of list.filter((r) => r.relation === 'child')) {
        assert.ok(youngestParent - ageOn(child.birthDate) >= 18, `${child.id}`)
      }
      for (const parent of list.filter((r) => r.relation === 'parent')) {
        assert.ok(ageOn(parent.birthDate) >= 50, parent.id)
      }
    }
  })

  it('has a realistic age structure: children, working-age adults and elderly all present', () => {
    const groups = { child: 0, adult: 0, elderly: 0 }
    for (const r of c.residents) groups[r.ageGroup]++
    const n = c.residents.length
    assert.ok(groups.child / n > 0.1 && groups.child / n < 0.3, JSON.stringify(groups))
    assert.ok(groups.elderly / n > 0.1 && groups.elderly / n < 0.35, JSON.stringify(groups))
    assert.ok(c.residents.some((r) => r.occupation === 'preschool'))
    assert.ok(c.residents.every((r) => r.occupation !== 'retired' || ageOn(r.birthDate) >= 60))
  })

  it('dates move-ins no earlier than the handover of the building', () => {
    const unitBuilding = new Map(c.units.map((u) => [u.id, u.buildingId]))
    const built = new Map(c.buildings.map((b) => [b.id, b.builtYear]))
    for (const h of c.households) {
      const year = built.get(unitBuilding.get(h.unitId) ?? '') ?? 9999
      assert.ok(Number(h.moveInDate.slice(0, 4)) >= year, `${h.id} ${h.moveInDate} < ${year}`)
    }
  })
})
