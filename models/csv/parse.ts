/**
 * Splits CSV text into records of string cells. Handles what maintenance exports actually contain: a UTF-8 BOM,
 * `,` `;` tab or `|` separators (detected from the first lines) or runs of spaces (NASA C-MAPSS), RFC 4180
 * quoting (`"a;b"`, `"say ""hi"""`, line breaks inside quotes), CRLF / LF / CR line ends and blank lines. It does
 * not interpret cells; see cells.ts and table.ts for that.
 */

/** How cells are separated. `whitespace` means any run of spaces and tabs, ignoring leading/trailing blanks. */
export type Separator = ',' | ';' | '\t' | '|' | 'whitespace'

/** The parsed records with what the parser noticed. */
export interface ParsedCsv {
  readonly separator: Separator
  /** Records in file order; cells trimmed of surrounding blanks (inside quotes too). */
  readonly records: string[][]
  /** 1-based physical line where each record starts, for error messages. */
  readonly lines: Int32Array
  /** Lines that were empty or blank and skipped. */
  readonly blankLines: number
}

const CANDIDATES: readonly Separator[] = [';', ',', '\t', '|']
const SAMPLE_LINES = 50

/**
 * Picks the separator from the first non-blank lines: the candidate that occurs, outside quotes, the same number
 * of times (at least once) on most sampled lines, preferring the higher count; else whitespace when lines contain
 * inner blanks; else `,` (a one-column file).
 */
export function detectSeparator(text: string): Separator {
  const sample: string[] = []
  for (const line of text.split(/\r\n|\n|\r/, SAMPLE_LINES * 4)) {
    if (line.trim() !== '') sample.push(line)
    if (sample.length === SAMPLE_LINES) break
  }
  if (sample.length === 0) return ','
  let best: Separator | undefined
  let bestCount = 0
  for (const sep of CANDIDATES) {
    const counts = new Map<number, number>()
    for (const line of sample) {
      const n = countOutsideQuotes(line, sep)
      counts.set(n, (counts.get(n) ?? 0) + 1)
    }
    let modeCount = 0
    let modeLines = 0
    for (const [n, lines] of counts) {
      if (lines > modeLines || (lines === modeLines && n > modeCount)) {
        modeCount = n
        modeLines = lines
      }
    }
    if (modeCount > 0 && modeLines >= 0.8 * sample.length && modeCount > bestCount) {
      best = sep
      bestCount = modeCount
    }
  }
  if (best !== undefined) return best
  return sample.some((line) => /\S[ \t]+\S/.test(line)) ? 'whitespace' : ','
}

function countOutsideQuotes(line: string, sep: string): number {
  let n = 0
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === sep && !quoted) n++
  }
  return n
}

/** Parses CSV text; `separator` defaults to detection. Never throws: odd input gives odd cells, counted later. */
export function parseCsv(input: string, separator: Separator | 'auto' = 'auto'): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const sep = separator === 'auto' ? detectSeparator(text) : separator
  const ws = sep === 'whitespace'
  const records: string[][] = []
  const lines: number[] = []
  let blankLines = 0
  let line = 1
  let i = 0
  const n = text.length

  const isSep = (c: string | undefined): boolean => (ws ? c === ' ' || c === '\t' : c === sep)
  const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t'

  while (i < n) {
    // Start of a record: skip blank lines (counting them) and, in whitespace mode, leading blanks.
    let j = i
    while (j < n && isBlank(text[j])) j++
    if (j >= n || text[j] === '\n' || text[j] === '\r') {
      if (j < n || j > i) blankLines++
      i = j < n && text[j] === '\r' && text[j + 1] === '\n' ? j + 2 : j + 1
      line++
      continue
    }
    const startLine = line
    const record: string[] = []
    i = ws ? j : i
    for (;;) {
      while (i < n && isBlank(text[i]) && !isSep(text[i])) i++
      let cell: string
      if (text[i] === '"') {
        let value = ''
        i++
        for (;;) {
          const close = text.indexOf('"', i)
          if (close < 0) {
            value += text.slice(i) // unterminated quote: keep the rest as the cell rather than lose data
            i = n
            break
          }
          value += text.slice(i, close)
          i = close + 1
          if (text[i] === '"') {
            value += '"'
            i++
          } else break
        }
        for (let k = 0; k < value.length; k++) if (value[k] === '\n') line++
        // Anything between the closing quote and the separator is kept (lenient), as text after the quoted part.
        const tailStart = i
        while (i < n && !isSep(text[i]) && text[i] !== '\n' && text[i] !== '\r') i++
        cell = (value + text.slice(tailStart, i)).trim()
      } else {
        const start = i
        while (i < n && !isSep(text[i]) && text[i] !== '\n' && text[i] !== '\r') i++
        cell = text.slice(start, i).trim()
      }
      record.push(cell)
      if (ws) {
        while (i < n && isBlank(text[i])) i++
        if (i >= n || text[i] === '\n' || text[i] === '\r') break
        continue
      }
      if (i < n && text[i] === sep) {
        i++
        continue
      }
      break
    }
    if (i < n) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
    }
    records.push(record)
    lines.push(startLine)
  }
  return { separator: sep, records, lines: Int32Array.from(lines), blankLines }
}
