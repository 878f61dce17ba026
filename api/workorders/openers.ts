/**
 * Work orders opened by machines: one per alarm whose rule asks for it (analytics' `WorkOrderOpener`), and one
 * per predictive alert, carrying the alert's evidence (models' scoring `WorkOrderOpener`). Both are idempotent on
 * the source id — the unique (source, source_ref) index makes a repeated or concurrent call return the first
 * order — and return the order's id as its reference. The server passes them to the alarm service and the scoring
 * job.
 *
 * models/index.ts does not export the scoring sink types, so the request and evidence shapes are declared here,
 * structurally identical to models/scoring/sinks.ts and models/fleet/evidence.ts (the type checker proves the
 * fit where the server wires them).
 */
import type { WorkOrderOpener as AlarmOpener, WorkOrderRequest } from '../../analytics/index.ts'
import type { Priority } from './sla.ts'
import { skillOfDeviceKind } from './place.ts'
import { ApiError } from '../http/errors.ts'
import type { AutomaticOrder, WorkOrderService } from './service.ts'

/** One piece of evidence for maintenance (models/fleet/evidence.ts). */
export interface Evidence {
  readonly feature: string
  readonly label: string
  readonly unit: string
  readonly share: number
  readonly contribution: number
  readonly value: number | null
  readonly normal: { readonly median: number; readonly low: number; readonly high: number } | null
  readonly deviation: number | null
  readonly trendPerDay: number | null
}

/** The request a predictive alert makes (models/scoring/sinks.ts `PredictiveWorkOrderRequest`). */
export interface PredictiveWorkOrderRequest {
  readonly alertId: number
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly severity: 'major' | 'critical'
  readonly title: string
  readonly risk: number
  readonly predictedFailureAt: number | null
  readonly evidence: readonly Evidence[]
  readonly model: string
  readonly modelVersion: string
  readonly raisedAt: number
}

/** models/scoring/sinks.ts `WorkOrderOpener`. */
export interface PredictiveWorkOrderOpener {
  open(request: PredictiveWorkOrderRequest): Promise<string | null>
}

const alarmPriority: Readonly<Record<string, Priority>> = {
  critical: 'urgent',
  major: 'high',
  minor: 'normal',
  info: 'low',
}

/**
 * Opens at the device; a device the registry does not know (yet) still gets its order, at community level with
 * the device id named in the description, rather than losing the alarm's work order.
 */
async function openAtDevice(orders: WorkOrderService, order: AutomaticOrder & { deviceId: string }) {
  try {
    return await orders.openAutomatic(null, order)
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error
    const { deviceId, ...rest } = order
    return orders.openAutomatic(null, {
      ...rest,
      description: `${rest.description ?? ''} [device ${deviceId}]`,
    })
  }
}

/** Opens the work order of an alarm (source `alarm`, reference the alarm id). */
export class AlarmWorkOrderOpener implements AlarmOpener {
  constructor(private readonly orders: WorkOrderService) {}

  async open(request: WorkOrderRequest): Promise<string | null> {
    const skill = skillOfDeviceKind(request.deviceKind)
    const { id } = await openAtDevice(this.orders, {
      source: 'alarm',
      sourceRef: String(request.alarmId),
      communityId: request.communityId,
      deviceId: request.deviceId,
      title: `告警 ${request.message}`.slice(0, 200),
      description: `alarm ${request.alarmId} (rule ${request.ruleId}, ${request.severity}) opened ${new Date(request.openedAt).toISOString()}`,
      category: skill,
      priority: alarmPriority[request.severity] ?? 'normal',
    })
    return id
  }
}

/** Opens the maintenance order of a predictive alert, storing its evidence on the order. */
export class PredictionWorkOrderOpener implements PredictiveWorkOrderOpener {
  constructor(private readonly orders: WorkOrderService) {}

  async open(request: PredictiveWorkOrderRequest): Promise<string | null> {
    const skill = skillOfDeviceKind(request.deviceKind)
    const { id } = await openAtDevice(this.orders, {
      source: 'prediction',
      sourceRef: String(request.alertId),
      communityId: request.communityId,
      deviceId: request.deviceId,
      title: request.title.slice(0, 200),
      description: `predictive alert ${request.alertId}: risk ${Math.round(request.risk * 100)}% (${request.model} ${request.modelVersion})`,
      category: skill,
      priority: request.severity === 'critical' ? 'urgent' : 'high',
      evidence: {
        alertId: request.alertId,
        risk: request.risk,
        predictedFailureAt: request.predictedFailureAt,
        model: request.model,
        modelVersion: request.modelVersion,
        raisedAt: request.raisedAt,
        items: request.evidence,
      },
    })
    return id
  }
}
