import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TextBuffer } from './text-buffer.ts'

describe('TextBuffer', () => {
  it('appends Latin-1 and UTF-8 text as bytes, growing past its initial size', () => {
    const buffer = new TextBuffer(4)
    buffer.latin1('c01\tlift-1\t1764059415.123\n')
    buffer.utf8('{"note":"电梯 ü"}\n')
    const expected = 'c01\tlift-1\t1764059415.123\n{"note":"电梯 ü"}\n'
    assert.equal(buffer.bytes.toString('utf8'), expected)
    assert.equal(buffer.length, Buffer.byteLength(expected))
    assert.equal(buffer.text(), expected)
  })

  it('starts again empty after clear, keeping what it grew to', () => {
    const buffer = new TextBuffer(2)
    buffer.latin1('x'.repeat(1000))
    buffer.clear()
    assert.equal(buffer.length, 0)
    buffer.latin1('ab')
    assert.equal(buffer.bytes.toString('latin1'), 'ab')
  })
})
