// Tests for synthetic Chinese names: frequent surnames dominate and given names follow the birth decade.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng } from './rng.ts'
import { KNOWN_SURNAMES, pickGivenName, pickSurname } from './names.ts'

describe('pickSurname', () => {
  it('draws the common surnames most often', () => {
    const rng = createRng(1)
    const counts = new Map<string, number>()
    for (let i = 0; i < 20_000; i++) {
      const s = pickSurname(rng)
      counts.set(s, (counts.get(s) ?? 0) + 1)
    }
    assert.ok([...counts.keys()].every((s) => KNOWN_SURNAMES.has(s)))
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([s]) => s)
    for (const s of ['王', '李', '张']) assert.ok(top.includes(s), top.join())
  })
})

describe('pickGivenName', () => {
  it('names people in the fashion of their birth decade', () => {
    const rng = createRng(2)
    const old = new Set(Array.from({ length: 300 }, () => pickGivenName(rng, 'M', 1950)))
    const young = new Set(Array.from({ length: 300 }, () => pickGivenName(rng, 'M', 2015)))
    assert.ok(old.has('建国'))
    assert.ok(!young.has('建国'))
    assert.equal([...old].filter((n) => young.has(n)).length, 0)
  })

  it('gives one- or two-character names', () => {
    const rng = createRng(3)
    for (let i = 0; i < 500; i++) {
      const n = pickGivenName(rng, i % 2 === 0 ? 'M' : 'F', 1940 + (i % 80))
      assert.ok(n.length >= 1 && n.length <= 2, n)
    }
  })
})
