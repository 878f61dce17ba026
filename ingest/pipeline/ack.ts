/**
 * Acknowledging a stored batch's QoS 1 messages: one PUBACK write per connection generation (nearly always a
 * single one; a reconnect during the batch leaves two, and the older one's acknowledgements are dropped by the
 * subscriber because the broker redelivers those messages on the new connection).
 */
import type { Batch } from './batch.ts'

/** Where QoS 1 acknowledgements go: the connection the messages came on. */
export interface Acknowledger {
  ack(generation: number, ids: Uint16Array, count: number): boolean
}

/** Sends a batch's acknowledgements, grouped by the connection generation they belong to. */
export function acknowledge(target: Acknowledger, batch: Batch): void {
  if (batch.ackCount === 0) return
  const first = batch.ackGenerations[0] as number
  let uniform = true
  for (let i = 1; i < batch.ackCount; i++) if (batch.ackGenerations[i] !== first) uniform = false
  if (uniform) {
    target.ack(first, batch.ackIds, batch.ackCount)
    return
  }
  const byGeneration = new Map<number, number[]>()
  for (let i = 0; i < batch.ackCount; i++) {
    const generation = batch.ackGenerations[i] as number
    const ids = byGeneration.get(generation) ?? []
    ids.push(batch.ackIds[i] as number)
    byGeneration.set(generation, ids)
  }
  for (const [generation, ids] of byGeneration) target.ack(generation, Uint16Array.from(ids), ids.length)
}
