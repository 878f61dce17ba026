import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SeqTracker } from './dedup.ts'

describe('SeqTracker', () => {
  it('says unknown before it knows a device, then new, then duplicate for a repeat', () => {
    const t = new SeqTracker(2)
    assert.equal(t.check(0, 10), 'unknown')
    t.mark(0, 10)
    assert.equal(t.check(0, 11), 'new')
    assert.equal(t.check(0, 10), 'duplicate')
    assert.equal(t.check(1, 10), 'unknown', 'devices are independent')
  })

  it('accepts out-of-order messages inside its ring and verifies older ones', () => {
    const t = new SeqTracker(1)
    for (const seq of [100, 200, 300]) t.mark(0, seq)
    assert.equal(t.check(0, 250), 'new')
    assert.equal(t.check(0, 50), 'unknown')
  })

  it('after a preload, treats higher seqs as new and lower ones as unknown', () => {
    const t = new SeqTracker(1)
    t.preload(0, 1000)
    assert.equal(t.check(0, 1001), 'new')
    assert.equal(t.check(0, 999), 'unknown')
    assert.equal(t.check(0, 1000), 'unknown')
  })

  it('keeps treating preloaded-range seqs as unknown after verifying some of them', () => {
    const t = new SeqTracker(1)
    t.preload(0, 100)
    t.mark(0, 90)
    assert.equal(t.check(0, 91), 'unknown', 'only the store knows whether 91 was stored')
    assert.equal(t.check(0, 90), 'duplicate')
  })

  it('grows without forgetting', () => {
    const t = new SeqTracker(1)
    t.mark(0, 5)
    t.ensure(1000)
    assert.equal(t.check(0, 5), 'duplicate')
    assert.equal(t.check(999, 5), 'unknown')
  })

  it('never calls a message new that it has recorded within its last 16 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 100 }), (seqs) => {
        const t = new SeqTracker(1)
        const recent: number[] = []
        for (const seq of seqs) {
          const verdict = t.check(0, seq)
          if (recent.slice(-16).includes(seq)) assert.equal(verdict, 'duplicate')
          if (verdict !== 'duplicate') {
            t.mark(0, seq)
            recent.push(seq)
          }
        }
      }),
    )
  })
})
