/**
 * Exactly-once bookkeeping by message identity (deviceId, seq), in typed arrays indexed by device — no
 * allocation per message. Each device keeps its highest accepted seq and a ring of its last RING accepted seqs:
 *
 * - seq above the highest: new (the common case, one comparison);
 * - seq in the ring: a duplicate (a redelivery or a device's own resend);
 * - seq below the highest but newer than the ring's oldest (and than the preloaded highest) and not in it: new,
 *   arrived out of order;
 * - anything else (no state yet for the device, at or below the preloaded highest, or older than the ring):
 *   unknown — the caller verifies it against the store before storing it.
 *
 * At start-up the highest stored seq per device is preloaded from ClickHouse, so after a crash new messages
 * are recognised at once and only the redelivered ones are verified.
 */

const RING = 16

export type SeqVerdict = 'new' | 'duplicate' | 'unknown'

export class SeqTracker {
  private highest: Float64Array
  /** The highest seq preloaded from the store: at or below it, only the store knows what it holds. */
  private floor: Float64Array
  private ring: Float64Array
  private ringPos: Uint8Array

  constructor(private capacity: number) {
    this.highest = new Float64Array(capacity).fill(-1)
    this.floor = new Float64Array(capacity).fill(-1)
    this.ring = new Float64Array(capacity * RING).fill(-1)
    this.ringPos = new Uint8Array(capacity)
  }

  /** Grows the arrays when devices are added after start. */
  ensure(capacity: number): void {
    if (capacity <= this.capacity) return
    const next = Math.max(capacity, this.capacity * 2)
    const highest = new Float64Array(next).fill(-1)
    highest.set(this.highest)
    const floor = new Float64Array(next).fill(-1)
    floor.set(this.floor)
    const ring = new Float64Array(next * RING).fill(-1)
    ring.set(this.ring)
    const ringPos = new Uint8Array(next)
    ringPos.set(this.ringPos)
    this.highest = highest
    this.floor = floor
    this.ring = ring
    this.ringPos = ringPos
    this.capacity = next
  }

  /** Classifies a message without recording it. */
  check(device: number, seq: number): SeqVerdict {
    const highest = this.highest[device] as number
    if (highest < 0) return 'unknown'
    if (seq > highest) return 'new'
    const base = device * RING
    let oldest = Infinity
    for (let i = 0; i < RING; i++) {
      const seen = this.ring[base + i] as number
      if (seen === seq) return 'duplicate'
      if (seen >= 0 && seen < oldest) oldest = seen
    }
    if (seq <= (this.floor[device] as number)) return 'unknown'
    return seq > oldest ? 'new' : 'unknown'
  }

  /** Records an accepted message. */
  mark(device: number, seq: number): void {
    if (seq > (this.highest[device] as number)) this.highest[device] = seq
    const pos = this.ringPos[device] as number
    this.ring[device * RING + pos] = seq
    this.ringPos[device] = (pos + 1) % RING
  }

  /** Sets the highest stored seq of a device from the store (start-up). */
  preload(device: number, highestStored: number): void {
    if (highestStored > (this.highest[device] as number)) this.highest[device] = highestStored
    if (highestStored > (this.floor[device] as number)) this.floor[device] = highestStored
  }
}
