/**
 * Publishes predictive alerts on the command center's live bus (`GET /api/v1/live`). The bus knows three event
 * types; a predictive alert travels as an `alarm` event (permission `alarm:read`, scoped by community) whose
 * data says `source: 'prediction'`, so the wall screen's alarm list shows it beside the rule alarms without a
 * new event type. Its evidence goes along: the maintenance view needs no second request.
 */
import type { LiveBus } from '../../analytics/index.ts'
import type { AlertSink, PredictiveAlert } from './sinks.ts'

/** An AlertSink that publishes on `bus`. */
export function liveAlertSink(bus: Pick<LiveBus, 'publish'>): AlertSink {
  return {
    publish(alert: PredictiveAlert): void {
      bus.publish('alarm', alert.communityId, { source: 'prediction', ...alert })
    },
  }
}
