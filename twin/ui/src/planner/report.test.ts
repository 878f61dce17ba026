import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { csvField, kpiCsv } from './report.ts'

describe('planner report', () => {
  const rows = [
    { metric: 'gate wait p95', unit: 's', a: 42.5, b: 12, change: -30.5, lowerIsBetter: true },
    { metric: 'flow gate:c01-g02', unit: 'persons/s', a: 1.2, b: null, change: null, lowerIsBetter: false },
  ]

  it('writes the KPI table as CSV with A, B and the change', () => {
    const csv = kpiCsv(rows, 'base', 'two gates')
    assert.deepEqual(csv.split('\r\n'), [
      'metric,unit,base,two gates,change (b - a),lower is better',
      'gate wait p95,s,42.5,12,-30.5,yes',
      'flow gate:c01-g02,persons/s,1.2,,,no',
      '',
    ])
  })

  it('writes one scenario without B columns, quoting what needs it', () => {
    assert.equal(
      kpiCsv(rows.slice(0, 1), 'a, "quoted"', null).split('\r\n')[0],
      'metric,unit,"a, ""quoted""",lower is better',
    )
    assert.equal(csvField(null), '')
    assert.equal(csvField('x\ny'), '"x\ny"')
  })
})
