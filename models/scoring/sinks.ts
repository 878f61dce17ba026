/**
 * What the scoring job needs from outside the models area, as small interfaces the server wires to the real
 * things (the live bus, the work-order service), with recording defaults so the job runs — and tests observe
 * it — without them. models/ must not depend on analytics/ or operations code that is still being written.
 */
import type { Evidence } from '../fleet/evidence.ts'

/** A predictive alert, as published live and carried by its work order. */
export interface PredictiveAlert {
  readonly id: number
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly model: string
  readonly modelVersion: string
  /** 'raised' when new; 'cleared' when its risk went back to normal. */
  readonly change: 'raised' | 'cleared'
  readonly risk: number
  /** Predicted hours to failure (null: beyond the model's horizon). */
  readonly ttfHours: number | null
  /** Epoch ms. */
  readonly predictedFailureAt: number | null
  readonly evidence: readonly Evidence[]
  /** Epoch ms of the scored window's end. */
  readonly raisedAt: number
  readonly workOrderRef: string | null
}

/** Where predictive alerts are announced (the server: the live bus behind `GET /api/v1/live`). */
export interface AlertSink {
  publish(alert: PredictiveAlert): void
}

/** The request for a maintenance work order that a predictive alert opens. */
export interface PredictiveWorkOrderRequest {
  /** Idempotency key: the same alert never opens two work orders. */
  readonly alertId: number
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  /** 'major' from the alert threshold, 'critical' when the predicted failure is within 48 h. */
  readonly severity: 'major' | 'critical'
  /** One line, zh-CN then English, e.g. "电梯故障风险 87%… / Elevator failure risk 87%…". */
  readonly title: string
  readonly risk: number
  readonly predictedFailureAt: number | null
  readonly evidence: readonly Evidence[]
  readonly model: string
  readonly modelVersion: string
  /** Epoch ms. */
  readonly raisedAt: number
}

/** Opens (or finds) the work order for a predictive alert; returns its reference, or null when none opened. */
export interface WorkOrderOpener {
  open(request: PredictiveWorkOrderRequest): Promise<string | null>
}

/** The default sink: keeps what was published (tests, diagnostics). */
export class RecordingAlertSink implements AlertSink {
  readonly alerts: PredictiveAlert[] = []

  publish(alert: PredictiveAlert): void {
    this.alerts.push(alert)
  }
}

/** The default opener: remembers requests and opens nothing (or what `reference` says). */
export class RecordingWorkOrderOpener implements WorkOrderOpener {
  readonly requests: PredictiveWorkOrderRequest[] = []

  constructor(
    private readonly reference: (request: PredictiveWorkOrderRequest) => string | null = () => null,
  ) {}

  open(request: PredictiveWorkOrderRequest): Promise<string | null> {
    this.requests.push(request)
    return Promise.resolve(this.reference(request))
  }
}
