/**
 * Pedestrian queues at controlled gates (turnstiles, card and face readers): first come, first served at
 * `lanes` readers taking `service` seconds a person. Coming in, the queue delays when people appear inside;
 * going out, it is computed from when they reach the gate. A point queue: the people waiting do not take
 * space on the floor (at community gates the queue is a few people; a crowd at a closed gate is an
 * evacuation case, which runs with the gates open and no service).
 */
import { summarize } from './stats.ts'
import type { Summary } from './vehicles.ts'

/** Waits at one controlled gate. */
export interface GateQueueResult {
  readonly id: string
  readonly inbound: Summary
  readonly outbound: Summary
}

/** A FIFO queue with `lanes` servers. */
export class GateQueue {
  private readonly free: Float64Array
  readonly waits: number[] = []

  constructor(
    lanes: number,
    private readonly service: number,
  ) {
    this.free = new Float64Array(lanes)
  }

  /** Serves someone arriving at `t` (calls must come in time order); returns when they are through. */
  pass(t: number): number {
    let k = 0
    for (let j = 1; j < this.free.length; j++) if (this.free[j]! < this.free[k]!) k = j
    const start = Math.max(t, this.free[k]!)
    this.free[k] = start + this.service
    this.waits.push(start - t)
    return start + this.service
  }
}

/** Runs `times` (any order) through a fresh queue; returns each one's pass time, in the input's order. */
export function queueThrough(
  times: readonly number[],
  lanes: number,
  service: number,
): { done: number[]; waits: Summary } {
  const q = new GateQueue(lanes, service)
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b)
  const done = new Array<number>(times.length)
  for (const i of order) done[i] = q.pass(times[i]!)
  return { done, waits: summarize(q.waits) }
}
