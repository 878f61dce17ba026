/**
 * Request and response schemas of the billing routes (zod, so they validate input and generate the OpenAPI
 * document). Money is integer fen; periods are 'YYYY-MM'.
 */
import { z } from '@hono/zod-openapi'

export const idText = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)
export const period = z.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
/** A calendar day that exists (2026-02-30 does not). */
export const day = z
  .string()
  .regex(/^(19|20)\d{2}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`)
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(s)
  }, 'not a calendar day')
export const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
export const positiveFen = z.number().int().min(1).max(100_000_000_000)
export const idParams = z.strictObject({ id: idText })

export const feeItemInput = z
  .strictObject({
    communityId: idText,
    buildingId: idText.nullable().optional(),
    name: z.string().min(1).max(80),
    kind: z.enum(['area', 'fixed', 'meter', 'one_off']),
    unitPrice: z.number().min(0).max(1e8).optional().openapi({ description: 'fen per m² or per kWh/m³' }),
    amountFen: fen.optional(),
    meterKind: z.enum(['electricity_meter', 'water_meter']).optional(),
    sharedSplit: z.enum(['none', 'area', 'usage']).optional(),
    oncePeriod: period.optional(),
  })
  .openapi('FeeItemInput')

export const feeItem = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    name: z.string(),
    kind: z.enum(['area', 'fixed', 'meter', 'one_off']),
    unitPrice: z.number().nullable(),
    amountFen: z.number().int().nullable(),
    meterKind: z.string().nullable(),
    sharedSplit: z.string(),
    oncePeriod: z.string().nullable(),
    archivedAt: z.string().nullable(),
  })
  .openapi('FeeItem')

export const cycle = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    period: z.string(),
    dueDate: z.string(),
    status: z.enum(['open', 'billed']),
    readingsAt: z.string().nullable(),
    billedAt: z.string().nullable(),
  })
  .openapi('BillingCycle')

export const cycleInput = z
  .strictObject({ communityId: idText, period, dueDate: day.optional() })
  .openapi('BillingCycleInput')

const flag = z.enum(['negative', 'jump', 'stuck', 'missing'])
export const reading = z
  .strictObject({
    id: z.number().int(),
    cycleId: z.string(),
    deviceId: z.string(),
    meterKind: z.enum(['electricity_meter', 'water_meter']),
    public: z.boolean(),
    buildingId: z.string().nullable(),
    unitId: z.string().nullable(),
    previousValue: z.number().nullable(),
    value: z.number().nullable(),
    usage: z.number().nullable(),
    source: z.enum(['telemetry', 'manual']),
    flag: flag.nullable(),
    accepted: z.boolean(),
  })
  .openapi('MeterReading')

export const collectSummary = z
  .strictObject({
    meters: z.number().int(),
    read: z.number().int(),
    flagged: z.strictObject({
      negative: z.number().int(),
      jump: z.number().int(),
      stuck: z.number().int(),
      missing: z.number().int(),
    }),
  })
  .openapi('ReadingCollection')

export const readingInput = z
  .strictObject({
    value: z.number().min(0).max(1e11),
    previousValue: z.number().min(0).max(1e11).optional(),
  })
  .openapi('ManualReading')

export const generateSummary = z
  .strictObject({
    cycleId: z.string(),
    bills: z.number().int(),
    lines: z.number().int(),
    totalFen: z.number().int(),
  })
  .openapi('BillGeneration')

export const bill = z
  .strictObject({
    id: z.string(),
    cycleId: z.string(),
    communityId: z.string(),
    buildingId: z.string(),
    unitId: z.string(),
    householdId: z.string().nullable(),
    period: z.string(),
    dueDate: z.string(),
    amountDue: z.number().int(),
    amountPaid: z.number().int(),
    amountWaived: z.number().int(),
    amountOutstanding: z.number().int(),
    status: z.enum(['unpaid', 'partial', 'paid']),
  })
  .openapi('Bill')

export const billDetail = bill
  .extend({
    lines: z.array(
      z.strictObject({
        feeItemId: z.string(),
        name: z.string(),
        line: z.enum(['charge', 'own', 'shared']),
        quantity: z.number(),
        unitPrice: z.number(),
        amount: z.number().int(),
      }),
    ),
    payments: z.array(
      z.strictObject({
        id: z.string(),
        receiptNo: z.string(),
        amountFen: z.number().int(),
        refundedFen: z.number().int(),
        channel: z.string(),
        method: z.string(),
        receivedAt: z.string(),
      }),
    ),
    waivers: z.array(
      z.strictObject({
        id: z.string(),
        amountFen: z.number().int(),
        reason: z.string(),
        createdAt: z.string(),
      }),
    ),
  })
  .openapi('BillDetail')

export const payment = z
  .strictObject({
    id: z.string(),
    receiptNo: z.string(),
    billId: z.string(),
    communityId: z.string(),
    buildingId: z.string(),
    householdId: z.string().nullable(),
    amountFen: z.number().int(),
    channel: z.enum(['counter', 'online']),
    method: z.string(),
    orderId: z.string().nullable(),
    gateway: z.string().nullable(),
    gatewayTxn: z.string().nullable(),
    receivedBy: z.string(),
    receivedAt: z.string(),
  })
  .openapi('Payment')

const hexString = z.string().regex(/^[0-9a-f]*$/)
export const receipt = z
  .strictObject({
    receiptNo: z.string(),
    payment,
    refundedFen: z.number().int(),
    audit: z.strictObject({
      entry: z.strictObject({
        seq: z.number().int(),
        ts: z.string(),
        companyId: z.string().nullable(),
        communityId: z.string().nullable(),
        actorId: z.string(),
        actorRole: z.string(),
        action: z.string(),
        objectType: z.string(),
        objectId: z.string(),
        beforeHash: hexString.nullable(),
        afterHash: hexString.nullable(),
        requestId: z.string().nullable(),
      }),
      leafHash: hexString,
      treeSize: z.number().int(),
      rootHash: hexString,
      path: z.array(hexString),
    }),
  })
  .openapi('Receipt')

export const counterPaymentInput = z
  .strictObject({ amountFen: positiveFen, method: z.enum(['cash', 'card', 'transfer', 'pos']) })
  .openapi('CounterPayment')

export const orderInput = z
  .strictObject({ gateway: z.string().min(1).max(32), amountFen: positiveFen.optional() })
  .openapi('PaymentOrderInput')

export const order = z
  .strictObject({
    orderId: z.string(),
    billId: z.string(),
    gateway: z.string(),
    amountFen: z.number().int(),
    payUrl: z.string(),
  })
  .openapi('PaymentOrder')

export const callbackAck = z
  .strictObject({
    paymentId: z.string(),
    receiptNo: z.string(),
    duplicate: z.boolean(),
    refundedFen: z.number().int(),
  })
  .openapi('GatewayCallbackAck')

export const refundInput = z
  .strictObject({
    amountFen: positiveFen,
    reason: z.string().min(1).max(200),
    waive: z.boolean().default(false),
  })
  .openapi('RefundInput')

export const refund = z
  .strictObject({
    id: z.string(),
    paymentId: z.string(),
    billId: z.string(),
    amountFen: z.number().int(),
    reason: z.string(),
    waive: z.boolean(),
    gatewayRef: z.string().nullable(),
    bill,
  })
  .openapi('Refund')

export const waiverInput = z
  .strictObject({ amountFen: positiveFen, reason: z.string().min(1).max(200) })
  .openapi('WaiverInput')

export const arrear = z
  .strictObject({
    householdId: z.string().nullable(),
    unitId: z.string(),
    buildingId: z.string(),
    bills: z.number().int(),
    outstandingFen: z.number().int(),
    oldestPeriod: z.string(),
  })
  .openapi('Arrear')

export const remindInput = z
  .strictObject({
    communityId: idText,
    channel: z.enum(['sms', 'wechat']),
    cycleId: idText.optional(),
    buildingId: idText.optional(),
    minDaysOverdue: z.number().int().min(-366).max(3650).optional(),
  })
  .openapi('ReminderInput')

export const remindResult = z
  .strictObject({
    reminded: z.number().int(),
    channel: z.enum(['sms', 'wechat']),
    outstandingFen: z.number().int(),
  })
  .openapi('ReminderResult')

export const collectionRow = z
  .strictObject({
    key: z.string(),
    bills: z.number().int(),
    billedFen: z.number().int(),
    paidFen: z.number().int(),
    waivedFen: z.number().int(),
    outstandingFen: z.number().int(),
    rate: z.number().nullable(),
  })
  .openapi('CollectionRate')

/** Response types, for clients and tests. */
export type FeeItemView = z.infer<typeof feeItem>
export type CycleView = z.infer<typeof cycle>
export type ReadingView = z.infer<typeof reading>
export type CollectView = z.infer<typeof collectSummary>
export type GenerateView = z.infer<typeof generateSummary>
export type BillView = z.infer<typeof bill>
export type BillDetailView = z.infer<typeof billDetail>
export type PaymentView = z.infer<typeof payment>
export type ReceiptView = z.infer<typeof receipt>
export type OrderView = z.infer<typeof order>
export type CallbackAckView = z.infer<typeof callbackAck>
export type RefundView = z.infer<typeof refund>
export type ArrearView = z.infer<typeof arrear>
export type RemindView = z.infer<typeof remindResult>
export type CollectionView = z.infer<typeof collectionRow>
