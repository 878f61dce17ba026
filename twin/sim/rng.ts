/**
 * The simulator's own seeded pseudo-random generator (sfc32, seeded through splitmix32).
 * Every random draw in the engine goes through one of these, so a scenario with the same seed replays exactly,
 * in Node and in a browser Web Worker alike (Math.random is never used).
 */

/** A small, fast, deterministic PRNG (sfc32: 128-bit state, passes PractRand to 2^40 bytes). */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  /** The second value of the last Box–Muller pair, NaN when none is cached. */
  private spare = Number.NaN

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the whole state; sfc32 is weak with a sparse state.
    let s = seed >>> 0
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** A uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A normal draw (Box–Muller; the pair's second value is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare
      this.spare = Number.NaN
      return mean + sd * z
    }
    let u = this.next()
    while (u <= 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return mean + sd * r * Math.cos(2 * Math.PI * v)
  }

  /**
   * A normal draw redrawn until it falls in [min, max] (a truncated normal), so a speed table's range is a
   * guarantee and not a tendency. Falls back to clamping after 64 tries (only for absurd ranges).
   */
  truncatedNormal(mean: number, sd: number, min: number, max: number): number {
    for (let i = 0; i < 64; i++) {
      const x = this.normal(mean, sd)
      if (x >= min && x <= max) return x
    }
    return Math.min(max, Math.max(min, mean))
  }

  /** An exponential draw with the given mean (inter-arrival times). */
  exponential(mean: number): number {
    let u = this.next()
    while (u <= 0) u = this.next()
    return -mean * Math.log(u)
  }

  /** Picks one element uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new RangeError('Rng.pick: empty list')
    return item
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i] as T
      items[i] = items[j] as T
      items[j] = tmp
    }
    return items
  }
}
