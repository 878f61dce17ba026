/**
 * The time-ordered message stream: a binary heap of actors (a meter, a building entrance with its lifts, a pump
 * room, a gate…) keyed by the time each next wants to run. The earliest actor runs, emits its messages stamped
 * with that time, and is put back with its new wake time. Ties go to the lower actor index, so the order is fully
 * determined by the inputs.
 */
import type { Emitter, SimMessage } from './emitter.ts'

/** Something that emits messages at times it chooses. */
export interface Actor {
  /** When the actor next runs, epoch ms; Infinity when it has nothing more to do. */
  readonly next: number
  /** Emits everything due at `next` (every message stamped `next`), then moves `next` forward. */
  step(out: Emitter): void
}

/**
 * Min-heap of actor indices ordered by (next, index). The keys live in a typed array rather than being read from
 * the actors: a dozen actor classes would make every `actor.next` read a megamorphic property access.
 */
class ActorHeap {
  private readonly heap: Int32Array
  readonly keys: Float64Array
  private size = 0

  constructor(actors: readonly Actor[]) {
    this.heap = new Int32Array(actors.length)
    this.keys = Float64Array.from(actors, (a) => a.next)
    for (let i = 0; i < actors.length; i++) this.push(i)
  }

  get top(): number {
    return this.size > 0 ? (this.heap[0] as number) : -1
  }

  private less(a: number, b: number): boolean {
    const ta = this.keys[a] as number
    const tb = this.keys[b] as number
    return ta < tb || (ta === tb && a < b)
  }

  private push(actor: number): void {
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = this.heap[parent] as number
      if (!this.less(actor, p)) break
      this.heap[i] = p
      i = parent
    }
    this.heap[i] = actor
  }

  /** Gives the top actor its new key and restores the heap (keys only grow). */
  replaceTopKey(key: number): void {
    const heap = this.heap
    const actor = heap[0] as number
    this.keys[actor] = key
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= this.size) break
      const right = left + 1
      let child = left
      if (right < this.size && this.less(heap[right] as number, heap[left] as number)) child = right
      if (!this.less(heap[child] as number, actor)) break
      heap[i] = heap[child] as number
      i = child
    }
    heap[i] = actor
  }
}

/** Runs `actors` until every one's next time is ≥ `end`, yielding their messages in time order. */
export function* runActors(
  actors: readonly Actor[],
  end: number,
  out: Emitter,
): Generator<SimMessage, void, void> {
  const heap = new ActorHeap(actors)
  for (;;) {
    const index = heap.top
    if (index < 0) return
    const at = heap.keys[index] as number
    if (!(at < end)) return
    const actor = actors[index] as Actor
    actor.step(out)
    const next = actor.next
    if (!(next > at)) throw new Error(`simulator bug: actor ${index} did not advance past ${at}`)
    heap.replaceTopKey(next)
    const buffer = out.buffer
    if (buffer.length > 0) {
      for (let i = 0; i < buffer.length; i++) yield buffer[i] as SimMessage
      buffer.length = 0
    }
  }
}
