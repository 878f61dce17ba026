/**
 * Automatic work orders for alarms whose rule asks for one. The operations module (issue 5) does not exist yet:
 * the alarm service calls a `WorkOrderOpener`, and until operations provides one the default records the request
 * and opens nothing. Implementations must be idempotent on `alarmId`.
 */

export interface WorkOrderRequest {
  readonly alarmId: number
  readonly ruleId: string
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly severity: string
  readonly message: string
  /** Epoch ms the alarm opened. */
  readonly openedAt: number
}

export interface WorkOrderOpener {
  /** Opens (or finds) the work order for an alarm; returns its reference, or null when none was opened. */
  open(request: WorkOrderRequest): Promise<string | null>
}

/** The default: remembers requests (tests, diagnostics) and opens nothing. */
export class RecordingWorkOrderOpener implements WorkOrderOpener {
  readonly requests: WorkOrderRequest[] = []

  constructor(private readonly reference: (request: WorkOrderRequest) => string | null = () => null) {}

  open(request: WorkOrderRequest): Promise<string | null> {
    this.requests.push(request)
    return Promise.resolve(this.reference(request))
  }
}
