import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ValidationCase } from './validation.ts'
import {
  validateRimea1,
  validateRimea11,
  validateRimea12,
  validateRimea4,
  validateRimea6,
  validateRimea7,
  validateRimea9,
} from './validation.ts'

/** Runs a case, prints its measured figure against its criterion, and asserts that it passes. */
function check(t: { diagnostic: (m: string) => void }, run: () => ValidationCase): void {
  const c = run()
  const line = `${c.pass ? 'PASS' : 'FAIL'} ${c.id}: ${c.measured} [criterion: ${c.criterion}] (${c.wallMs} ms)`
  t.diagnostic(line)
  console.log(line)
  assert.ok(c.pass, line)
}

describe('RiMEA validation', () => {
  it('RiMEA 1: one person covers the 40 m corridor in 26–34 s', (t) => check(t, validateRimea1))
  it("RiMEA 4: speed–density follows Weidmann's fundamental diagram within 15%", (t) =>
    check(t, validateRimea4))
  it('RiMEA 6: 20 people round a corner and nobody crosses a wall', (t) => check(t, validateRimea6))
  it('RiMEA 7: walking speeds by age stay in the guideline ranges', (t) => check(t, validateRimea7))
  it('RiMEA 9: closing 2 of 4 exits about doubles the evacuation time', (t) =>
    check(t, () => validateRimea9()))
  it('RiMEA 11: most people take the nearer exit', (t) => check(t, validateRimea11))
  it('RiMEA 12: no jam at the second bottleneck', (t) => check(t, validateRimea12))
})
