/**
 * A minimal XLSX (Office Open XML spreadsheet) writer and reader for record import and export: one sheet of
 * inline strings and numbers out; the first sheet's cells in (shared strings, inline strings, numbers, booleans).
 * Zip handling is fflate's; reading refuses archives that would inflate past a limit (zip bombs) and ignores
 * everything but the sheet and its strings (no external entities are ever resolved: this is not an XML parser).
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'

const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot carry.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '') // eslint-disable-line no-control-regex

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? ''
  })
}

function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

function columnIndex(ref: string): number {
  let index = 0
  for (const ch of ref.replace(/\d+$/, '')) index = index * 26 + (ch.charCodeAt(0) - 64)
  return index - 1
}

const FORMULA = /^[=+\-@\t\r]/

/** Writes one sheet; numbers stay numbers, everything else is an inline string (formula-looking text defused). */
export function writeXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): Uint8Array {
  const cell = (value: unknown, r: number, c: number) => {
    const ref = `${columnName(c)}${r}`
    if (value === null || value === undefined) return ''
    if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"><v>${value}</v></c>`
    let text = typeof value === 'string' ? value : JSON.stringify(value)
    if (FORMULA.test(text)) text = `'${text}`
    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`
  }
  const body = [header, ...rows]
    .map((row, r) => `<row r="${r + 1}">${row.map((v, c) => cell(v, r + 1, c)).join('')}</row>`)
    .join('')
  const files = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
  }
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])), {
    level: 6,
  })
}

/** The text of a `<si>` or `<is>` element: every `<t>` run concatenated. */
function runs(xml: string): string {
  let text = ''
  for (const match of xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) text += unescapeXml(match[1] ?? '')
  return text
}

/** Reads the first sheet's cells as text rows. Throws a RangeError for a file that is not a usable XLSX. */
export function readXlsx(data: Uint8Array, maxInflatedBytes = 64 * 1024 * 1024): string[][] {
  let total = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(data, {
      filter: (file) => {
        const wanted =
          /^xl\/(sharedStrings\.xml|workbook\.xml|_rels\/workbook\.xml\.rels|worksheets\/sheet\d+\.xml)$/.test(
            file.name,
          )
        if (wanted) total += file.originalSize
        if (total > maxInflatedBytes) throw new RangeError('the spreadsheet inflates past the size limit')
        return wanted
      },
    })
  } catch (error) {
    if (error instanceof RangeError) throw error
    throw new RangeError('not an XLSX file', { cause: error })
  }
  const text = (name: string) => (files[name] ? strFromU8(files[name]) : null)
  let sheetPath = 'xl/worksheets/sheet1.xml'
  const workbook = text('xl/workbook.xml')
  const rels = text('xl/_rels/workbook.xml.rels')
  const firstId = workbook ? /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1] : undefined
  if (firstId && rels) {
    const target = new RegExp(
      `<Relationship\\b[^>]*Id="${firstId.replace(/[^\w]/g, '')}"[^>]*Target="([^"]+)"`,
    ).exec(rels)?.[1]
    if (target) sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`
  }
  const sheet = text(sheetPath)
  if (sheet === null) throw new RangeError('the XLSX file has no worksheet')
  const shared = [...(text('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    runs(m[1] ?? ''),
  )
  const rows: string[][] = []
  for (const rowMatch of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const row: string[] = []
    let next = 0
    for (const cellMatch of (rowMatch[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cellMatch[1] ?? ''
      const inner = cellMatch[2] ?? ''
      const ref = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1]
      const index = ref ? columnIndex(ref) : next
      const type = /\bt="(\w+)"/.exec(attributes)?.[1] ?? 'n'
      const raw = unescapeXml(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '')
      const value =
        type === 's'
          ? (shared[Number(raw)] ?? '')
          : type === 'inlineStr'
            ? runs(inner)
            : type === 'b'
              ? raw === '1'
                ? 'true'
                : 'false'
              : raw
      while (row.length < index) row.push('')
      row[index] = value
      next = index + 1
    }
    if (row.some((cell) => cell !== '')) rows.push(row)
  }
  return rows
}
