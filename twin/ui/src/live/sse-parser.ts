/**
 * An incremental parser for `text/event-stream` (the WHATWG server-sent events format), fed decoded text chunks
 * as they arrive from a fetch body. Pure: no I/O, so it is tested in Node (sse-parser.test.ts).
 */

/** One dispatched event: its type (default "message"), its data lines joined by "\n", and the last event id. */
export type SseHandler = (type: string, data: string, lastEventId: string) => void

/** Parses a stream of text chunks into events; `retry` carries the last server-requested reconnection delay. */
export class SseParser {
  /** The id of the last event that carried one (sent back as Last-Event-ID on reconnect). */
  lastEventId = ''
  /** Reconnection delay the server asked for, ms (null until it sends a `retry:` field). */
  retry: number | null = null
  private buffer = ''
  private data: string[] = []
  private type = ''
  private pendingCr = false

  constructor(private readonly onEvent: SseHandler) {}

  /** Feeds the next chunk of decoded text. Lines may be split anywhere across chunks. */
  push(chunk: string): void {
    let text = chunk
    // A "\r\n" split across chunks: the "\r" already ended the line, so drop the "\n".
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1)
    this.pendingCr = false
    let start = 0
    const buffered = this.buffer + text
    for (let i = 0; i < buffered.length; i++) {
      const c = buffered.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      this.line(buffered.slice(start, i))
      if (c === 13) {
        if (i + 1 < buffered.length) {
          if (buffered.charCodeAt(i + 1) === 10) i++
        } else {
          this.pendingCr = true
        }
      }
      start = i + 1
    }
    this.buffer = buffered.slice(start)
  }

  /** Forgets a partial event (after a connection dropped mid-event); keeps lastEventId. */
  reset(): void {
    this.buffer = ''
    this.data = []
    this.type = ''
    this.pendingCr = false
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch()
      return
    }
    if (line.charCodeAt(0) === 58) return // ":" comment (heartbeats)
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    switch (field) {
      case 'data':
        this.data.push(value)
        break
      case 'event':
        this.type = value
        break
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value
        break
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value)
        break
      default:
        break
    }
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.type = ''
      return
    }
    const data = this.data.join('\n')
    const type = this.type || 'message'
    this.data = []
    this.type = ''
    this.onEvent(type, data, this.lastEventId)
  }
}
