import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SseParser } from './sse-parser.ts'

function parse(chunks: readonly string[]): { events: [string, string, string][]; parser: SseParser } {
  const events: [string, string, string][] = []
  const parser = new SseParser((type, data, id) => events.push([type, data, id]))
  for (const chunk of chunks) parser.push(chunk)
  return { events, parser }
}

describe('SseParser', () => {
  it('dispatches typed events with ids and multi-line data', () => {
    const { events } = parse(['event: telemetry\nid: 7\ndata: {"a":1}\ndata: {"b":2}\n\n'])
    assert.deepEqual(events, [['telemetry', '{"a":1}\n{"b":2}', '7']])
  })

  it('handles lines split across chunks and every line ending', () => {
    const { events } = parse(['da', 'ta: x\r', '\n\r\ndata: y\r\r', 'event: e\ndata:z\n', '\n'])
    assert.deepEqual(events, [
      ['message', 'x', ''],
      ['message', 'y', ''],
      ['e', 'z', ''],
    ])
  })

  it('ignores comments, keeps the last id across events and reads retry', () => {
    const { events, parser } = parse([': ping\n\nid: 41\ndata: a\n\nretry: 2500\ndata: b\n\n'])
    assert.deepEqual(events, [
      ['message', 'a', '41'],
      ['message', 'b', '41'],
    ])
    assert.equal(parser.lastEventId, '41')
    assert.equal(parser.retry, 2500)
  })

  it('drops a partial event on reset', () => {
    const { events, parser } = parse(['data: half'])
    parser.reset()
    parser.push('data: whole\n\n')
    assert.deepEqual(events, [['message', 'whole', '']])
  })
})
