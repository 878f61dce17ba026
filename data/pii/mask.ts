/**
 * Masks for personal data on screens and in responses, following common practice in China:
 * phone 138****1234, ID number 310104********123X, name 张* / 欧阳**.
 */

/** `13812341234` → `138****1234`. Anything that is not an 11-digit mobile is masked entirely. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length)
}

/** Keeps the region code (6) and the last 4; hides the birth date and sequence. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length)
}

/** Keeps the surname's first character. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}
