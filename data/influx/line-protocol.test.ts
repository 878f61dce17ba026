import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodePoint, escapeKey, escapeMeasurement, quoteString } from './line-protocol.ts'

describe('line protocol', () => {
  it('encodes measurement, sorted tags, fields and a millisecond timestamp', () => {
    const line = encodePoint({
      measurement: 'telemetry',
      tags: { device: 'p-1', community: 'c01' },
      fields: { flow: 12.5, running: true, note: 'ok' },
      ts: 1_700_000_000_123,
    })
    assert.equal(line, 'telemetry,community=c01,device=p-1 flow=12.5,running=true,note="ok" 1700000000123')
  })

  it('escapes commas, spaces and equals signs where the protocol requires', () => {
    assert.equal(escapeMeasurement('a b,c=d'), 'a\\ b\\,c=d')
    assert.equal(escapeKey('a b,c=d'), 'a\\ b\\,c\\=d')
    assert.equal(quoteString('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"')
  })

  it('replaces newlines, which would split the line', () => {
    assert.equal(escapeKey('a\nb'), 'a\\ b')
    assert.doesNotMatch(encodePoint({ measurement: 'm\n', fields: { s: 'x\ny' }, ts: 1 }), /\n/)
  })

  it('skips empty tag values, which the protocol cannot carry', () => {
    assert.equal(
      encodePoint({ measurement: 'm', tags: { a: '', b: 'x' }, fields: { v: 1 }, ts: 5 }),
      'm,b=x v=1 5',
    )
  })

  it('refuses non-finite numbers and points without fields', () => {
    assert.throws(() => encodePoint({ measurement: 'm', fields: { v: Number.NaN }, ts: 1 }), RangeError)
    assert.throws(() => encodePoint({ measurement: 'm', fields: { v: Infinity }, ts: 1 }), RangeError)
    assert.throws(() => encodePoint({ measurement: 'm', fields: {}, ts: 1 }), RangeError)
  })
})
