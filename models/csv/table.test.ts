/** Column typing and the missing / malformed counts, including the Huawei spreadsheet damage. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DataError } from '../errors.ts'
import { isMissingCell, parseNumberCell } from './cells.ts'
import { parseCsv } from './parse.ts'
import { buildTable, cellReport, columnOf } from './table.ts'
import type { NumericColumn } from './table.ts'

const table = (text: string, options = {}) => buildTable(parseCsv(text), options)

describe('cells', () => {
  it('accepts only plain decimal numbers', () => {
    const ok: [string, number][] = [
      ['1', 1],
      ['-3', -3],
      ['+2.', 2],
      ['.5', 0.5],
      ['1e3', 1000],
      ['93.744', 93.744],
    ]
    for (const [cell, value] of ok) assert.equal(parseNumberCell(cell), value, cell)
    for (const cell of [
      '18. Jan',
      '31. Jul',
      'Nov 99',
      '1,5',
      '1 000',
      '0x10',
      'Infinity',
      '1e999',
      '12abc',
      '',
    ]) {
      assert.ok(Number.isNaN(parseNumberCell(cell)), cell)
    }
  })

  it('recognises missing-value tokens', () => {
    for (const cell of ['', 'NA', 'n/a', 'NaN', 'null', 'None', '?', '-', '#N/A'])
      assert.ok(isMissingCell(cell), cell)
    for (const cell of ['0', 'no', 'x']) assert.ok(!isMissingCell(cell), cell)
  })
})

describe('buildTable', () => {
  it('types numeric and string columns', () => {
    const t = table('id,kind,v\n1,pump,2.5\n2,lift,3\n')
    assert.deepEqual(
      t.columns.map((c) => c.kind),
      ['numeric', 'string', 'numeric'],
    )
    assert.deepEqual([...(columnOf(t, 'v') as NumericColumn).values], [2.5, 3])
  })

  it('counts spreadsheet dates in numeric columns as malformed, never as numbers (Huawei)', () => {
    const t = table(
      'ball-bearing;humidity;vibration\n93.705;73.996;18. Jan\n31. Jul;74.112;4.167\n93.7;;18.011\n93.6;73.9;Nov 99\n',
    )
    const vibration = columnOf(t, 'vibration') as NumericColumn
    assert.equal(vibration.kind, 'numeric')
    assert.equal(vibration.malformed, 2)
    assert.equal(vibration.firstMalformedRow, 0)
    assert.ok(Number.isNaN(vibration.values[0]!))
    assert.equal(vibration.values[2], 18.011)
    const r = cellReport(t)
    assert.equal(r.malformed_cells, 3)
    assert.equal(r.missing_cells, 1)
    assert.deepEqual(r.by_column['ball-bearing'], { kind: 'numeric', missing: 0, malformed: 1 })
    assert.deepEqual(r.by_column.humidity, { kind: 'numeric', missing: 1, malformed: 0 })
    assert.equal(r.separator, ';')
  })

  it('makes a mostly-text column a string column', () => {
    const t = table('state\nok\nok\n3\nfault\n')
    assert.equal(t.columns[0]!.kind, 'string')
    assert.equal(t.columns[0]!.malformed, 0)
  })

  it('keeps a numeric-looking column as strings when asked', () => {
    const t = table('type,v\n1,2\n2,3\n', { categorical: ['type'] })
    assert.equal(columnOf(t, 'type').kind, 'string')
  })

  it('names columns for headerless files', () => {
    const t = table('1 2 3\n4 5 6\n', { noHeader: true })
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['c1', 'c2', 'c3'],
    )
    assert.equal(t.rowCount, 2)
    const named = table('1 2 3\n4 5 6\n', { columns: ['unit', 'cycle', 's1'] })
    assert.deepEqual([...(columnOf(named, 's1') as NumericColumn).values], [3, 6])
  })

  it('pads short rows and counts ragged rows', () => {
    const t = table('a,b,c\n1,2\n1,2,3,4\n')
    assert.equal(t.raggedRows, 2)
    assert.equal(columnOf(t, 'c').missing, 1)
  })

  it('rejects unusable input with clear errors', () => {
    assert.throws(
      () => table(''),
      (e: Error) => e instanceof DataError && /empty/.test(e.message),
    )
    assert.throws(() => table('a,b\n'), /no data rows/)
    assert.throws(() => table('1,2\n3,4\n'), /looks like data/)
    assert.throws(() => table('a,a\n1,2\n'), /duplicate column name "a"/)
    assert.throws(() => table('a,b\n1,2\n', { columns: ['x'] }), /names 1 columns but the file has 2/)
    assert.throws(
      () => columnOf(table('a,b\n1,2\n'), 'y', 'label column'),
      /label column "y" is not in the CSV/,
    )
  })
})
