/** The CSV tokenizer on the shapes real exports take: separators, quotes, BOM, blank lines, line ends. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { detectSeparator, parseCsv } from './parse.ts'

describe('detectSeparator', () => {
  const cases: [string, string, string][] = [
    ['comma', 'a,b,c\n1,2,3\n', ','],
    ['semicolon with decimal points', 'x;y\n1.5;2\n3;4.25\n', ';'],
    ['semicolon beats commas inside quotes', 'x;y\n"1,5";2\n"3,1";4\n', ';'],
    ['tab', 'a\tb\n1\t2\n', '\t'],
    ['pipe', 'a|b|c\n1|2|3\n', '|'],
    ['runs of spaces (C-MAPSS)', '1 1 -0.0007 100.0  \n1 2 0.0019 100.0  \n', 'whitespace'],
    ['one column', 'value\n1\n2\n', ','],
    ['semicolon with spreadsheet dates containing spaces', 'a;b\n1;18. Jan\n2;3\n', ';'],
  ]
  for (const [name, text, expected] of cases) {
    it(`detects ${name}`, () => assert.equal(detectSeparator(text), expected))
  }
})

describe('parseCsv', () => {
  it('splits a plain comma file and trims cells', () => {
    const p = parseCsv('a, b ,c\n1,2,3\n')
    assert.deepEqual(p.records, [
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ])
    assert.equal(p.blankLines, 0)
  })

  it('strips a UTF-8 BOM', () => {
    const p = parseCsv('\ufeffid;v\n1;2\n')
    assert.equal(p.records[0]![0], 'id')
  })

  it('skips and counts blank lines, with CRLF and CR line ends', () => {
    const p = parseCsv('a,b\r\n\r\n1,2\r\n   \r3,4\n\n')
    assert.deepEqual(p.records, [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ])
    assert.equal(p.blankLines, 3)
    assert.deepEqual([...p.lines], [1, 3, 5])
  })

  it('handles quoted fields with separators, doubled quotes and line breaks', () => {
    const p = parseCsv('name;note\n"a;b";"say ""hi"""\n"multi\nline";x\nlast;"unterminated\n', ';')
    assert.deepEqual(p.records[1], ['a;b', 'say "hi"'])
    assert.deepEqual(p.records[2], ['multi\nline', 'x'])
    assert.deepEqual(p.records[3], ['last', 'unterminated'])
    assert.deepEqual([...p.lines], [1, 2, 3, 5])
  })

  it('keeps empty cells, including a trailing one', () => {
    const p = parseCsv('a;b;c\n1;;\n', ';')
    assert.deepEqual(p.records[1], ['1', '', ''])
  })

  it('splits whitespace-separated rows with leading and trailing blanks', () => {
    const p = parseCsv('  1 1  -0.0007\t100.0  \n1 2 0.0019 100.0\n')
    assert.equal(p.separator, 'whitespace')
    assert.deepEqual(p.records, [
      ['1', '1', '-0.0007', '100.0'],
      ['1', '2', '0.0019', '100.0'],
    ])
  })

  it('returns no records for an empty or blank text', () => {
    assert.equal(parseCsv('').records.length, 0)
    assert.equal(parseCsv('\n\n  \n').records.length, 0)
  })
})
