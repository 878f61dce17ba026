/**
 * Seeded randomness for the models area: fold assignment, epoch shuffles and weight-initialiser seeds all come from
 * here, so `--seed S` reproduces a training run exactly (the wasm kernels are deterministic too). Never Math.random.
 */

/** A mulberry32 stream: 32-bit state, fast, good enough for shuffles and fold splits. */
export class Rng {
  private state: number

  constructor(seed: number) {
    // Mix the seed so that seeds 1, 2, 3 do not start from neighbouring states.
    let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    this.state = (h ^ (h >>> 16)) >>> 0
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A 31-bit integer, for seeding tfjs initialisers. */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff)
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { [i: number]: number; length: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      const tmp = values[i]!
      values[i] = values[j]!
      values[j] = tmp
    }
    return values
  }
}

/** 0, 1, …, n-1 as an Int32Array. */
export function range(n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}
