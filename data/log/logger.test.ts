import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { createLogger } from './logger.ts'

describe('createLogger', () => {
  it('redacts personal data fields at any of the first three levels', () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const log = createLogger({ level: 'info' }, sink)
    log.info({ phone: '13812341234', resident: { idNumber: '310104199001011234', name: 'x' } }, 'created')
    const text = lines.join('')
    assert.doesNotMatch(text, /13812341234|310104199001011234/)
    assert.match(text, /\[redacted\]/)
    assert.match(text, /"msg":"created"/)
  })
})
