/**
 * `GET /api/v1/live` (mount under `/api/v1`): Server-Sent Events with alarms, device status changes and KPI
 * updates, as the live bus publishes them. Guarded by `live:read`; each event is sent only if the caller also
 * holds the event's own permission (`alarm:read`, `telemetry:read`, `kpi:read`) and may see its community
 * (`?communityId=` narrows to one). Every event carries its id: a client that reconnects with `Last-Event-ID`
 * (or `?lastEventId=`) first receives what it missed — or a `reset` event when the bounded buffer no longer
 * reaches back that far, telling it to refetch its state. A comment line every heartbeat keeps proxies from
 * closing an idle stream. A client too slow to keep up is disconnected (it resumes from its last id).
 */
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { LiveBus, LiveEvent } from '../../analytics/index.ts'
import { ApiError } from '../http/errors.ts'
import { visibleCommunity, type CallerOf, type Guard } from './analytics.ts'

export interface LiveRouteDeps {
  readonly bus: LiveBus
  readonly caller: CallerOf
  readonly heartbeatMs: number
  /** Events queued for one client before it is disconnected. */
  readonly maxQueued?: number
}

/** The live-push route. */
export function liveRoutes(deps: LiveRouteDeps, guard: Guard): Hono {
  return new Hono().get('/live', guard('live:read'), (c) => {
    const caller = deps.caller(c)
    const only = c.req.query('communityId')
    const community = only === undefined ? null : visibleCommunity(only, caller)
    const resume = c.req.header('Last-Event-ID') ?? c.req.query('lastEventId')
    if (resume !== undefined && !/^\d{1,15}$/.test(resume)) {
      throw new ApiError(400, 'bad_request', 'Last-Event-ID must be an event id')
    }
    const visible = (e: LiveEvent) =>
      caller.permissions.has(e.permission) &&
      (community === null
        ? caller.communities === 'all' || caller.communities.has(e.communityId)
        : e.communityId === community)
    const maxQueued = deps.maxQueued ?? 10_000

    return streamSSE(c, async (stream) => {
      const queue: LiveEvent[] = []
      let wake: (() => void) | null = null
      let closed = false
      const unsubscribe = deps.bus.subscribe((e) => {
        if (!visible(e)) return
        queue.push(e)
        if (queue.length > maxQueued) closed = true
        wake?.()
      })
      stream.onAbort(() => {
        closed = true
        wake?.()
      })
      try {
        let lastSent = resume === undefined ? deps.bus.lastId : Number(resume)
        if (resume !== undefined) {
          const backlog = deps.bus.since(lastSent)
          if (backlog.gap) await stream.writeSSE({ event: 'reset', data: JSON.stringify({ reason: 'gap' }) })
          for (const e of backlog.events) if (visible(e)) queue.push(e)
          queue.sort((a, b) => a.id - b.id)
        }
        await stream.write(': connected\n\n')
        while (!closed) {
          while (queue.length > 0 && !closed) {
            const e = queue.shift() as LiveEvent
            // An event can be both in the backlog and freshly published while resuming: send it once.
            if (e.id <= lastSent) continue
            lastSent = e.id
            await stream.writeSSE({
              id: String(e.id),
              event: e.type,
              data: JSON.stringify({ communityId: e.communityId, at: e.at, data: e.data }),
            })
          }
          if (closed) break
          const woken = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), deps.heartbeatMs)
            wake = () => {
              clearTimeout(timer)
              resolve(true)
            }
          })
          wake = null
          if (!woken && !closed) await stream.write(': heartbeat\n\n')
        }
      } finally {
        unsubscribe()
      }
    })
  })
}
