/**
 * Content negotiation for bodies a route compresses itself (once, then reused): whether the client's
 * `Accept-Encoding` takes gzip. Follows RFC 9110 §12.5.3: a coding is acceptable when listed with q > 0, or when
 * `*` is listed with q > 0 and the coding is not listed with q = 0.
 */

// Clients send one of a handful of strings (a browser always the same): the answers are remembered.
const answers = new Map<string, boolean>()

/** Whether a response may be sent gzip-encoded to a client that sent this `Accept-Encoding`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  let answer = answers.get(header)
  if (answer === undefined) {
    if (answers.size >= 64) answers.clear()
    answer = parse(header)
    answers.set(header, answer)
  }
  return answer
}

function parse(header: string): boolean {
  let star = false
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';')
    const coding = name.trim().toLowerCase()
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue
    let q = 1
    for (const param of params) {
      const [key, value] = param.split('=')
      if (key?.trim().toLowerCase() === 'q') q = Number(value)
    }
    const acceptable = Number.isFinite(q) && q > 0
    if (coding === '*') star = acceptable
    else return acceptable
  }
  return star
}
