/**
 * A growable byte buffer that a batch's encoded rows are appended to. Rows kept as JavaScript strings grow into
 * ropes of small strings that live until the batch is stored, and the young-generation GC copies every one of
 * them on each scavenge (measured: a third of the ingest's main-thread time went to GC). Bytes in a Buffer live
 * outside the JS heap: the only garbage a message leaves is its short-lived temporaries. The sinks get the bytes
 * as they are.
 */
export class TextBuffer {
  private buffer: Buffer
  /** Bytes written. */
  length = 0

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes)
  }

  /** Appends text whose characters are all below U+0100 — ids, names and numbers the validator let through. */
  latin1(text: string): void {
    this.reserve(text.length)
    this.length += this.buffer.write(text, this.length, 'latin1')
  }

  /** Appends free text as UTF-8. */
  utf8(text: string): void {
    this.reserve(text.length * 3)
    this.length += this.buffer.write(text, this.length, 'utf8')
  }

  /** The bytes written so far (a view: valid until the next append or `clear`). */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  /** The bytes written so far as text (InfluxDB's client takes a string). */
  text(): string {
    return this.buffer.toString('utf8', 0, this.length)
  }

  /** Empties the buffer, keeping its memory for reuse. */
  clear(): void {
    this.length = 0
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes))
    this.buffer.copy(grown, 0, 0, this.length)
    this.buffer = grown
  }
}
