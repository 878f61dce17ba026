/**
 * Seeded randomness for the device simulator. Two kinds, both deterministic:
 *
 * - `Rng`: an sfc32 stream seeded (through splitmix32) from the simulation seed and a key such as a device id, so
 *   each device, resident or day draws from its own stream and never shifts another's draws.
 * - stateless hashes of (key, index) (`unitHash`, `smoothNoise`): noise that is a pure function of time, so a value
 *   at time t is the same whatever the simulation started with. Meter registers and fault plans rely on this to be
 *   identical across restarts.
 *
 * Nothing in the simulator calls Math.random.
 */

const TWO_32 = 4294967296

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** FNV-1a of a string, finalised: a well-spread unsigned 32-bit key. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return fmix32(h)
}

/** Combines a 32-bit key with any safe integer (negative and > 2^32 included) into a new 32-bit key. */
export function mixKey(key: number, value: number): number {
  const low = value >>> 0
  const high = Math.floor(value / TWO_32) >>> 0
  let h = fmix32((key ^ Math.imul(low, 0x9e3779b1)) >>> 0)
  if (high !== 0) h = fmix32((h ^ Math.imul(high, 0x85ebca77)) >>> 0)
  return h
}

/** A 32-bit key from a seed and a path of names and numbers, e.g. `keyOf(seed, 'meter', deviceId)`. */
export function keyOf(seed: number, ...parts: readonly (string | number)[]): number {
  let key = mixKey(0x2545f491, seed)
  for (const part of parts) key = mixKey(key, typeof part === 'number' ? part : hashString(part))
  return key
}

/** Uniform in [0, 1), a pure function of (key, index). */
export function unitHash(key: number, index: number): number {
  return mixKey(key, index) / TWO_32
}

/** Uniform in [-1, 1), a pure function of (key, index). */
export function signedHash(key: number, index: number): number {
  return (mixKey(key, index) / TWO_32) * 2 - 1
}

/**
 * Smooth value noise in [-1, 1]: random knots at the integers of `x`, joined by smoothstep, so it has no jumps and
 * its slope is zero at each knot. Scale `x` to set the correlation time (e.g. `t / (6 * HOUR)`).
 */
export function smoothNoise(key: number, x: number): number {
  const i = Math.floor(x)
  const f = x - i
  const a = signedHash(key, i)
  const b = signedHash(key, i + 1)
  return a + (b - a) * f * f * (3 - 2 * f)
}

/** An sfc32 pseudo-random stream (128-bit state, fast, passes PractRand far beyond what a simulator draws). */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spare = NaN

  /** Seeds the four words from a 32-bit key with splitmix32, then discards the first outputs. */
  constructor(key: number) {
    let s = key >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
      return (z ^ (z >>> 15)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** Unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / TWO_32
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare
      this.spare = NaN
      return value
    }
    const u = 1 - this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Normal with the given mean and standard deviation, clamped to [min, max]. */
  gaussian(mean: number, sd: number, min = -Infinity, max = Infinity): number {
    return Math.min(max, Math.max(min, mean + sd * this.normal()))
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  /** Poisson count with the given mean (Knuth for small means, a rounded normal above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()))
    const limit = Math.exp(-mean)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }
}

/** A stream for `keyOf(seed, ...parts)`. */
export function createRng(seed: number, ...parts: readonly (string | number)[]): Rng {
  return new Rng(keyOf(seed, ...parts))
}
