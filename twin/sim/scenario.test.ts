import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rimea1 } from './rimea-scenarios.ts'
import { parseScenario, parseScenarioJson, ScenarioError } from './scenario.ts'

const base = rimea1()

function errorOf(input: unknown): ScenarioError {
  try {
    parseScenario(input)
  } catch (e) {
    assert.ok(e instanceof ScenarioError)
    return e
  }
  assert.fail('expected a ScenarioError')
}

describe('parseScenario', () => {
  it('accepts a RiMEA scenario and fills defaults', () => {
    const s = parseScenario(base)
    assert.equal(s.name, base.name)
    assert.deepEqual(s.sources, [])
    assert.deepEqual(s.vehicles, [])
  })

  it('names the path of a bad polygon', () => {
    const e = errorOf({ ...base, exits: [{ id: 'end', polygon: [[0, 0]] }] })
    assert.equal(e.path, 'exits[0].polygon')
    assert.match(e.message, /^scenario exits\[0\]\.polygon: a polygon needs at least 3 points$/)
  })

  it('names an unknown target', () => {
    const e = errorOf({ ...base, pedestrians: [{ id: 'a', position: [0, 1], speed: 1, target: 'nowhere' }] })
    assert.equal(e.path, 'pedestrians[0].target')
    assert.match(e.message, /unknown exit "nowhere"/)
  })

  it('rejects unknown keys and missing fields', () => {
    assert.equal(errorOf({ ...base, wals: [] }).path, '')
    assert.equal(errorOf({ ...base, dt: undefined }).path, 'dt')
    assert.equal(errorOf({ ...base, dt: -1 }).path, 'dt')
  })

  it('rejects duplicate ids and non-finite numbers', () => {
    const p = { id: 'a', position: [0, 1], speed: 1, target: 'end' }
    assert.equal(errorOf({ ...base, pedestrians: [p, p] }).path, 'pedestrians[1].id')
    assert.equal(
      errorOf({ ...base, pedestrians: [{ ...p, position: [0, Infinity] }] }).path,
      'pedestrians[0].position[1]',
    )
  })

  it('turns malformed JSON into a ScenarioError', () => {
    assert.throws(
      () => parseScenarioJson('{'),
      (e: unknown) => e instanceof ScenarioError && /not valid JSON/.test(e.message),
    )
  })
})
