/** Fitting the base features on training rows only, and applying them identically to new rows. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseCsv } from '../csv/parse.ts'
import { buildTable } from '../csv/table.ts'
import { DataError } from '../errors.ts'
import { baseMatrix } from './base.ts'
import { orderRows } from './ordering.ts'
import { baseFeatureNames, fitBaseFeatures } from './spec.ts'

const table = (text: string) => buildTable(parseCsv(text))
const none = new Set<string>()

describe('fitBaseFeatures', () => {
  const t = table('id,a,flat,empty,kind,serial\n1,1,5,,x,s1\n2,3,5,,y,s2\n3,5,5,,x,s3\n4,100,5,,y,s4\n')

  it('standardises with the training rows only and drops what cannot help', () => {
    const base = fitBaseFeatures(
      t,
      { reserved: new Set(['id']), excluded: new Set(['serial']) },
      Int32Array.from([0, 1, 2]),
    )
    // Rows 0-2 of "a": 1, 3, 5 -> mean 3, population std sqrt(8/3). Row 3 (100) is not training data.
    assert.equal(base.numeric.length, 1)
    assert.equal(base.numeric[0]!.name, 'a')
    assert.equal(base.numeric[0]!.mean, 3)
    assert.ok(Math.abs(base.numeric[0]!.std - Math.sqrt(8 / 3)) < 1e-12)
    assert.deepEqual(base.categorical, [{ name: 'kind', categories: ['x', 'y'] }])
    assert.deepEqual(Object.fromEntries(base.dropped.map((d) => [d.name, d.reason])), {
      flat: 'constant',
      empty: 'all missing',
      serial: 'excluded',
    })
    assert.deepEqual(baseFeatureNames(base), ['a', 'kind=x', 'kind=y'])
  })

  it('drops identifier-like text columns', () => {
    const base = fitBaseFeatures(t, { reserved: new Set(['id']), excluded: none })
    assert.match(base.dropped.find((d) => d.name === 'serial')!.reason, /identifier-like/)
  })

  it('fails clearly when no feature is left', () => {
    assert.throws(
      () => fitBaseFeatures(table('a,b\n1,x\n1,x\n'), { reserved: none, excluded: none }),
      (e: Error) =>
        e instanceof DataError && /no usable feature columns \(a: constant; b: constant\)/.test(e.message),
    )
  })
})

describe('baseMatrix', () => {
  const t = table('dev,t,v,kind\nA,2,4,x\nA,1,2,y\nA,3,,x\nB,1,,z\nB,2,6,x\n')
  const spec = {
    numeric: [{ name: 'v', mean: 4, std: 2 }],
    categorical: [{ name: 'kind', categories: ['x', 'y'] }],
  }

  it('orders by group then time, forward-fills within the device, one-hots with unknowns as zeros', () => {
    const ordering = orderRows(t, 'dev', 't')
    assert.deepEqual([...ordering.order], [1, 0, 2, 3, 4])
    const m = baseMatrix(t, { ...spec, impute: 'ffill' }, ordering)
    assert.equal(m.width, 3)
    assert.equal(m.imputed, 2)
    // A: v 2, 4, (ffill 4) -> -1, 0, 0. B: (no history: mean 4) -> 0, then 6 -> 1. kind z is unseen -> 0 0.
    assert.deepEqual([...m.values], [-1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0])
  })

  it('imputes the training mean when asked', () => {
    const m = baseMatrix(t, { ...spec, impute: 'mean' }, orderRows(t, 'dev', 't'))
    assert.deepEqual(
      [...m.values].filter((_, i) => i % 3 === 0),
      [-1, 0, 0, 0, 1],
    )
  })

  it('rejects a scoring table without a spec column or with text in it', () => {
    const missing = table('dev,t,kind\nA,1,x\n')
    assert.throws(
      () => baseMatrix(missing, { ...spec, impute: 'mean' }, orderRows(missing)),
      /feature column "v" is not in the CSV/,
    )
    const text = table('v,kind\nhigh,x\nlow,y\n')
    assert.throws(
      () => baseMatrix(text, { ...spec, impute: 'mean' }, orderRows(text)),
      /numeric in training but holds text/,
    )
  })
})
