/**
 * Unique synthetic contact identifiers: mainland mobile numbers and licence plates. Each registry remembers what
 * it has handed out, so one registry shared across a whole CommunitySet keeps them unique across communities.
 */
import type { Rng } from './rng.ts'

/** Mainland mobile prefixes in common use (China Mobile, Unicom, Telecom, Broadnet), with rough weights. */
const MOBILE_PREFIXES: readonly (readonly [string, number])[] = [
  ...[
    '134',
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '152',
    '157',
    '158',
    '159',
    '182',
    '183',
    '187',
    '188',
    '198',
  ].map((p) => [p, 3] as const),
  ...['130', '131', '132', '155', '156', '166', '175', '176', '185', '186'].map((p) => [p, 2] as const),
  ...['133', '153', '173', '177', '180', '181', '189', '191', '193', '199'].map((p) => [p, 2] as const),
  ['192', 1],
  ['195', 1],
  ['197', 1],
]
const MOBILE_PREFIX_SET: ReadonlySet<string> = new Set(MOBILE_PREFIXES.map(([p]) => p))

/** Whether `phone` is 11 digits with a known mainland mobile prefix. */
export function isValidMobile(phone: string): boolean {
  return /^1\d{10}$/.test(phone) && MOBILE_PREFIX_SET.has(phone.slice(0, 3))
}

/** Hands out mobile numbers that are unique within the registry. */
export class PhoneRegistry {
  private readonly used = new Set<string>()

  next(rng: Rng): string {
    for (;;) {
      const phone = rng.weighted(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0')
      if (!this.used.has(phone)) {
        this.used.add(phone)
        return phone
      }
    }
  }
}

/** Letters allowed in plate serials: I and O are never issued (they read as 1 and 0). */
const SERIAL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'

/**
 * Whether `plate` is a mainland plate: province, issuing letter, then 5 serial characters for a fuel car, or 6
 * for a new-energy car (D for battery-electric or F for plug-in hybrid, then a letter or digit, then 4 digits).
 */
export function isValidPlate(plate: string, energy?: 'fuel' | 'electric'): boolean {
  const chars = [...plate]
  if (chars.length < 7 || !PROVINCES.includes(chars[0] as string)) return false
  if (!SERIAL_LETTERS.includes(chars[1] as string)) return false
  const serial = chars.slice(2).join('')
  const fuel = /^[A-HJ-NP-Z0-9]{5}$/.test(serial) && (serial.match(/[A-Z]/g)?.length ?? 0) <= 2
  const electric = /^[DF][A-HJ-NP-Z0-9]\d{4}$/.test(serial)
  if (energy === 'fuel') return fuel
  if (energy === 'electric') return electric
  return fuel || electric
}

/** Hands out plates of one province that are unique within the registry. */
export class PlateRegistry {
  private readonly used = new Set<string>()

  /** A new plate; `letters[0]` (the city's own) is used for most cars, the rest for cars registered elsewhere. */
  next(rng: Rng, province: string, letters: readonly string[], energy: 'fuel' | 'electric'): string {
    for (;;) {
      const letter = rng.chance(0.85) ? (letters[0] as string) : rng.pick(letters)
      const plate = province + letter + (energy === 'electric' ? electricSerial(rng) : fuelSerial(rng))
      if (!this.used.has(plate)) {
        this.used.add(plate)
        return plate
      }
    }
  }
}

function digit(rng: Rng): string {
  return String(rng.int(0, 9))
}

function letter(rng: Rng): string {
  return SERIAL_LETTERS[rng.int(0, SERIAL_LETTERS.length - 1)] as string
}

function fuelSerial(rng: Rng): string {
  const chars = [digit(rng), digit(rng), digit(rng), digit(rng), digit(rng)]
  // Most serials are all digits; one or two letters are common, in any position.
  const letters = rng.weighted([
    [0, 6],
    [1, 3],
    [2, 1],
  ] as const)
  for (let i = 0; i < letters; i++) chars[rng.int(0, 4)] = letter(rng)
  return chars.join('')
}

function electricSerial(rng: Rng): string {
  const kind = rng.chance(0.8) ? 'D' : 'F'
  const second = rng.chance(0.3) ? letter(rng) : digit(rng)
  return kind + second + digit(rng) + digit(rng) + digit(rng) + digit(rng)
}
