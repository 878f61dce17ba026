/**
 * Record invariants of a CommunitySet: ids unique and MQTT-safe, every reference resolving, units on real floors,
 * people with valid ID numbers and phones, unique plates, dates that make sense. Pure checks: they report, they
 * never throw, so a planner can run them on an edited community.
 */
import type { Community, CommunitySet } from './types.ts'
import type { Violation } from './invariants-types.ts'
import { isValidIdNumber, idNumberBirthDate, idNumberGender } from './id-number.ts'
import { isValidMobile, isValidPlate } from './contacts.ts'
import { REFERENCE_DATE, ageOn } from './dates.ts'
import { ageGroupOf } from './persons.ts'

/** Device ids become MQTT topic levels: no '/', '+', '#' or anything outside this set. */
const TOPIC_SAFE = /^[A-Za-z0-9_-]+$/

function allIds(set: CommunitySet): Generator<string> {
  function* walk() {
    yield set.company.id
    for (const c of set.communities) {
      yield c.id
      for (const list of [
        c.buildings,
        c.units,
        c.households,
        c.residents,
        c.vehicles,
        c.roads.nodes,
        c.roads.edges,
        c.gates,
        c.parkingLots,
        c.parkingSpaces,
        c.areas,
        c.devices,
      ]) {
        for (const item of list) yield item.id
      }
    }
  }
  return walk()
}

function checkIds(set: CommunitySet, out: Violation[]): void {
  const seen = new Set<string>()
  for (const id of allIds(set)) {
    if (seen.has(id)) out.push({ code: 'duplicate-id', id, message: `id ${id} is used more than once` })
    seen.add(id)
  }
  for (const c of set.communities) {
    for (const d of c.devices) {
      if (!TOPIC_SAFE.test(d.id))
        out.push({ code: 'device-id', id: d.id, message: 'device id is not MQTT-topic safe' })
    }
  }
}

function checkStructure(c: Community, out: Violation[]): void {
  const buildings = new Map(c.buildings.map((b) => [b.id, b]))
  const units = new Map(c.units.map((u) => [u.id, u]))
  const households = new Map(c.households.map((h) => [h.id, h]))
  const nodes = new Set(c.roads.nodes.map((n) => n.id))
  const lots = new Set(c.parkingLots.map((l) => l.id))
  const spaces = new Set(c.parkingSpaces.map((s) => s.id))
  const gates = new Set(c.gates.map((g) => g.id))
  const dangling = (id: string, what: string) =>
    out.push({ code: 'dangling-ref', id, message: `${what} does not exist` })

  for (const b of c.buildings) {
    if (b.communityId !== c.id) dangling(b.id, `community ${b.communityId}`)
    for (const n of b.entranceNodeIds ?? []) if (!nodes.has(n)) dangling(b.id, `entrance node ${n}`)
    for (const s of b.servedBuildingIds ?? []) if (!buildings.has(s)) dangling(b.id, `served building ${s}`)
  }
  for (const u of c.units) {
    const b = buildings.get(u.buildingId)
    if (!b) out.push({ code: 'unit-building', id: u.id, message: `building ${u.buildingId} does not exist` })
    else if (u.floor < 1 || u.floor > b.floors || u.entrance < 1 || u.entrance > Math.max(1, b.entrances)) {
      out.push({
        code: 'unit-building',
        id: u.id,
        message: `floor ${u.floor} / entrance ${u.entrance} is not in ${b.id}`,
      })
    }
  }
  for (const h of c.households) {
    const u = units.get(h.unitId)
    if (!u || u.usage !== 'residential')
      out.push({ code: 'household-unit', id: h.id, message: `residential unit ${h.unitId} does not exist` })
  }
  const occupied = new Set<string>()
  for (const r of c.residents) {
    const h = households.get(r.householdId)
    if (!h)
      out.push({ code: 'resident-household', id: r.id, message: `household ${r.householdId} does not exist` })
    else if (h.tenure === 'vacant')
      out.push({ code: 'resident-household', id: r.id, message: `household ${h.id} is vacant` })
    occupied.add(r.householdId)
  }
  const booked = new Set<string>()
  for (const v of c.vehicles) {
    if (!households.has(v.householdId)) dangling(v.id, `household ${v.householdId}`)
    if (v.spaceId !== null) {
      if (!spaces.has(v.spaceId)) dangling(v.id, `space ${v.spaceId}`)
      if (booked.has(v.spaceId))
        out.push({ code: 'space-double-booked', id: v.spaceId, message: 'space is linked to two vehicles' })
      booked.add(v.spaceId)
    }
  }
  for (const s of c.parkingSpaces) if (!lots.has(s.lotId)) dangling(s.id, `lot ${s.lotId}`)
  for (const l of c.parkingLots)
    if (!nodes.has(l.entranceNodeId)) dangling(l.id, `entrance node ${l.entranceNodeId}`)
  for (const e of c.roads.edges)
    if (!nodes.has(e.from) || !nodes.has(e.to)) dangling(e.id, `node ${e.from} or ${e.to}`)
  for (const g of c.gates) if (!nodes.has(g.nodeId)) dangling(g.id, `node ${g.nodeId}`)
  for (const d of c.devices) {
    if (d.buildingId !== null && !buildings.has(d.buildingId)) dangling(d.id, `building ${d.buildingId}`)
    if (d.unitId !== null && !units.has(d.unitId)) dangling(d.id, `unit ${d.unitId}`)
    if (d.gateId !== null && !gates.has(d.gateId)) dangling(d.id, `gate ${d.gateId}`)
    if (d.lotId !== null && !lots.has(d.lotId)) dangling(d.id, `lot ${d.lotId}`)
  }
}

function checkPeople(set: CommunitySet, out: Violation[]): void {
  const idNumbers = new Set<string>()
  const phones = new Set<string>()
  const plates = new Set<string>()
  for (const c of set.communities) {
    for (const r of c.residents) {
      if (
        !isValidIdNumber(r.idNumber) ||
        idNumberBirthDate(r.idNumber) !== r.birthDate ||
        idNumberGender(r.idNumber) !== r.gender
      ) {
        out.push({
          code: 'id-number',
          id: r.id,
          message: `ID number ${r.idNumber} is invalid or disagrees with birth date/gender`,
        })
      }
      if (idNumbers.has(r.idNumber))
        out.push({ code: 'id-number', id: r.id, message: `ID number ${r.idNumber} is not unique` })
      idNumbers.add(r.idNumber)
      const age = ageOn(r.birthDate)
      if (age < 0 || ageGroupOf(age) !== r.ageGroup)
        out.push({ code: 'age-group', id: r.id, message: `age ${age} is not ${r.ageGroup}` })
      if (r.phone === null) continue
      if (!isValidMobile(r.phone) || age < 12)
        out.push({ code: 'phone', id: r.id, message: `phone ${r.phone} is malformed or belongs to a child` })
      if (phones.has(r.phone))
        out.push({ code: 'phone', id: r.id, message: `phone ${r.phone} is not unique` })
      phones.add(r.phone)
    }
    for (const v of c.vehicles) {
      if (!isValidPlate(v.plate, v.energy))
        out.push({ code: 'plate', id: v.id, message: `plate ${v.plate} is not a valid ${v.energy} plate` })
      if (plates.has(v.plate))
        out.push({ code: 'plate', id: v.id, message: `plate ${v.plate} is not unique` })
      plates.add(v.plate)
    }
  }
}

function checkDates(c: Community, out: Violation[]): void {
  const built = new Map(c.buildings.map((b) => [b.id, b.builtYear]))
  for (const d of c.devices) {
    const from = `${(d.buildingId !== null ? built.get(d.buildingId) : undefined) ?? c.builtYear}-01-01`
    if (d.installDate < from || d.installDate > REFERENCE_DATE) {
      out.push({
        code: 'install-date',
        id: d.id,
        message: `installed ${d.installDate}, outside ${from}..${REFERENCE_DATE}`,
      })
    }
  }
  for (const h of c.households) {
    if (h.moveInDate > REFERENCE_DATE)
      out.push({
        code: 'install-date',
        id: h.id,
        message: `moved in ${h.moveInDate}, after ${REFERENCE_DATE}`,
      })
  }
}

/** Record violations across the whole set. */
export function recordViolations(set: CommunitySet): Violation[] {
  const out: Violation[] = []
  checkIds(set, out)
  for (const c of set.communities) {
    checkStructure(c, out)
    checkDates(c, out)
  }
  checkPeople(set, out)
  return out
}
