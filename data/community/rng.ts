/**
 * Seeded pseudo-random numbers for the community generator: mulberry32 (32-bit state, fast, statistically fine for
 * synthetic data) plus the handful of draws the generator needs. The generator never touches Math.random: the
 * same seed must give the same community, byte for byte.
 */

/** FNV-1a hash of a string to an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** murmur3's finaliser: spreads every input bit over the output, so nearby seeds give unrelated streams. */
function mix32(value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Folds any safe integer (including negative and > 2^32 ones) into a 32-bit seed without dropping the high bits. */
export function seedFrom(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
  const low = seed % 0x100000000
  const high = Math.floor(seed / 0x100000000)
  return mix32((low >>> 0) ^ mix32(high >>> 0))
}

/** A mulberry32 stream. Cheap to create; fork one per concern so concerns do not shift each other's draws. */
export class Rng {
  private state: number
  private readonly base: number

  constructor(seed32: number) {
    this.base = seed32 >>> 0
    this.state = this.base
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** One value, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [value: T, weight: number])[]): T {
    let total = 0
    for (const [, w] of entries) total += w
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight')
    let r = this.next() * total
    for (const [value, w] of entries) {
      r -= w
      if (r < 0) return value
    }
    // Floating-point leftovers land on the last entry with a positive weight.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]
      if (entry && entry[1] > 0) return entry[0]
    }
    throw new RangeError('unreachable')
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = items[i] as T
      items[i] = items[j] as T
      items[j] = tmp
    }
    return items
  }

  /**
   * An independent stream for a named concern. It depends on this stream's seed and the label only, not on how
   * many numbers were drawn so far, so adding a draw in one concern never changes another concern's output.
   */
  fork(label: string): Rng {
    return new Rng(mix32(this.base ^ mix32(hashString(label) + 0x9e3779b9)))
  }
}

/** The root stream for a generator seed. */
export function createRng(seed: number): Rng {
  return new Rng(seedFrom(seed))
}
