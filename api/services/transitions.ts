/**
 * The service-order state machine as one table: which state may follow which, and who may make the step.
 * Providers' work is recorded by customer service (`staff`); a household may cancel its own order before work
 * starts (`household`). Everything not in the table is refused (409 `illegal_transition`).
 */

export const orderStatuses = ['requested', 'accepted', 'in_progress', 'completed', 'cancelled'] as const
export type OrderStatus = (typeof orderStatuses)[number]
export type Actor = 'staff' | 'household'

export const transitions: Readonly<Record<OrderStatus, Partial<Record<OrderStatus, readonly Actor[]>>>> = {
  requested: { accepted: ['staff'], cancelled: ['staff', 'household'] },
  accepted: { in_progress: ['staff'], cancelled: ['staff', 'household'] },
  in_progress: { completed: ['staff'] },
  completed: {},
  cancelled: {},
}

/** Whether `actor` may move an order from `from` to `to`. */
export function mayTransition(from: OrderStatus, to: OrderStatus, actor: Actor): boolean {
  return transitions[from][to]?.includes(actor) ?? false
}
