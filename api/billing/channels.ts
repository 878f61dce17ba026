/**
 * Notification channels: SMS and WeChat behind one interface. The built-in channels record each message in the
 * `notification_outbox` table inside the caller's transaction (so a reminder and its message commit together); a
 * delivery worker, or a provider-backed channel with the same interface, sends them on.
 */
import type { Sql } from '../../data/index.ts'

export type ChannelName = 'sms' | 'wechat'
export const channelNames: readonly ChannelName[] = ['sms', 'wechat']

/** One message to a household. */
export interface Notification {
  readonly communityId: string
  readonly householdId: string
  /** Template id, e.g. `fee.reminder` (the provider-side template holds the wording). */
  readonly template: string
  readonly payload: Readonly<Record<string, unknown>>
}

export interface NotificationChannel {
  readonly name: ChannelName
  /** Queues the messages in `tx`; resolves to the outbox ids, in no particular order. */
  send(tx: Sql, messages: readonly Notification[]): Promise<number[]>
}

const ENQUEUE = `INSERT INTO notification_outbox (channel, community_id, household_id, template, payload)
  SELECT $1, t.community_id, t.household_id, t.template, t.payload
  FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t (community_id, household_id, template, payload)
  RETURNING id`

/** The built-in channel: one multi-row insert into the outbox per batch. */
export class OutboxChannel implements NotificationChannel {
  constructor(readonly name: ChannelName) {}

  async send(tx: Sql, messages: readonly Notification[]): Promise<number[]> {
    if (messages.length === 0) return []
    const rows = await tx.query<{ id: number }>(ENQUEUE, [
      this.name,
      messages.map((m) => m.communityId),
      messages.map((m) => m.householdId),
      messages.map((m) => m.template),
      messages.map((m) => JSON.stringify(m.payload)),
    ])
    return rows.map((r) => r.id)
  }
}
