/**
 * Resident ID numbers in the GB 11643-1999 format: 6-digit administrative division code, 8-digit birth date,
 * 3-digit order code (odd last digit for men, even for women) and an ISO 7064 MOD 11-2 check character.
 * Records validate against these functions; the generator composes synthetic numbers with them.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'
const SHAPE = /^\d{17}[\dX]$/

/** The MOD 11-2 check character ('0'–'9' or 'X') for the first 17 digits of an ID number. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got "${first17}"`)
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number)
  return CHECK_CHARS[sum % 11] as string
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  // Day 0 of the next month is the last day of this one; UTC avoids time-zone surprises.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * Whether `id` is a well-formed 18-character ID number: digits with an upper-case X only as the check character,
 * a real calendar birth date from 1900 on, and a matching check character.
 */
export function isValidIdNumber(id: string): boolean {
  if (!SHAPE.test(id)) return false
  const year = Number(id.slice(6, 10))
  if (year < 1900 || !isCalendarDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false
  return idNumberCheckDigit(id.slice(0, 17)) === id[17]
}

/** The birth date encoded in an ID number, as YYYY-MM-DD. */
export function idNumberBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
}

/** The gender encoded in an ID number's order code. */
export function idNumberGender(id: string): 'M' | 'F' {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F'
}

/**
 * Composes an ID number. `order` is the 3-digit order code (0–999); its parity must match `gender`, which the
 * function checks rather than silently fixing, so a caller bug cannot produce a misgendered number.
 */
export function composeIdNumber(
  division: string,
  birthDate: string,
  order: number,
  gender: 'M' | 'F',
): string {
  if (!/^\d{6}$/.test(division)) throw new RangeError(`division code must be 6 digits, got "${division}"`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
    throw new RangeError(`birth date must be YYYY-MM-DD, got "${birthDate}"`)
  if (!Number.isInteger(order) || order < 0 || order > 999)
    throw new RangeError(`order code out of range: ${order}`)
  if ((order % 2 === 1) !== (gender === 'M'))
    throw new RangeError(`order code ${order} does not encode ${gender}`)
  const first17 = `${division}${birthDate.replaceAll('-', '')}${String(order).padStart(3, '0')}`
  return first17 + idNumberCheckDigit(first17)
}
