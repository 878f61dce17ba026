/**
 * A binary min-heap of (key, value) pairs in typed arrays, for the fast-marching front and the vehicle event queue.
 * Grows by doubling (outside any step loop); stale entries are the caller's to skip (lazy deletion).
 */

/** A min-heap keyed by float64, carrying an int32 payload. */
export class MinHeap {
  private keys: Float64Array
  private vals: Int32Array
  size = 0

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.vals = new Int32Array(capacity)
  }

  /** Removes everything (keeps the storage). */
  clear(): void {
    this.size = 0
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow()
    let i = this.size++
    const keys = this.keys
    const vals = this.vals
    while (i > 0) {
      const p = (i - 1) >> 1
      const pk = keys[p] as number
      if (pk <= key) break
      keys[i] = pk
      vals[i] = vals[p] as number
      i = p
    }
    keys[i] = key
    vals[i] = value
  }

  /** The smallest key (undefined behaviour when empty: check `size`). */
  peekKey(): number {
    return this.keys[0] as number
  }

  /** Removes the smallest entry and returns its value; its key is in {@link lastKey}. */
  pop(): number {
    const keys = this.keys
    const vals = this.vals
    const top = vals[0] as number
    this.lastKey = keys[0] as number
    const n = --this.size
    if (n > 0) {
      const key = keys[n] as number
      const val = vals[n] as number
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && (keys[r] as number) < (keys[l] as number) ? r : l
        if ((keys[c] as number) >= key) break
        keys[i] = keys[c] as number
        vals[i] = vals[c] as number
        i = c
      }
      keys[i] = key
      vals[i] = val
    }
    return top
  }

  /** The key of the entry the last {@link pop} returned. */
  lastKey = 0

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2)
    const vals = new Int32Array(this.vals.length * 2)
    keys.set(this.keys)
    vals.set(this.vals)
    this.keys = keys
    this.vals = vals
  }
}
