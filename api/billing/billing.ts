/**
 * The billing services, composed once per platform from its database, audit writer and log, plus the telemetry
 * store the meter readings come from. Gateways and channels are maps so that a deployment adds WeChat Pay or an
 * SMS provider next to the built-in sandbox gateway and outbox channels.
 */
import { loadOrCreateKeyFile, type ClickHouse } from '../../data/index.ts'
import type { Platform } from '../platform.ts'
import { OutboxChannel, type ChannelName, type NotificationChannel } from './channels.ts'
import { CollectionService } from './collection.ts'
import { CycleService } from './cycles.ts'
import { FeeItemService } from './fee-items.ts'
import type { PaymentGateway } from './gateway.ts'
import { BillGenerator } from './generate.ts'
import { BillService } from './bills.ts'
import { ClickHouseMeterSource, noMeterSource, type MeterSource } from './meter-source.ts'
import { ReadingService } from './meter-readings.ts'
import { PaymentService } from './payments.ts'
import { ReceiptService } from './receipts.ts'
import { RefundService } from './refunds.ts'
import { ReminderService } from './reminders.ts'
import { SandboxGateway } from './sandbox-gateway.ts'

export interface Billing {
  readonly items: FeeItemService
  readonly cycles: CycleService
  readonly readings: ReadingService
  readonly generator: BillGenerator
  readonly bills: BillService
  readonly payments: PaymentService
  readonly refunds: RefundService
  readonly receipts: ReceiptService
  readonly reminders: ReminderService
  readonly collection: CollectionService
  readonly gateways: ReadonlyMap<string, PaymentGateway>
  /** The built-in sandbox gateway (also in `gateways`). */
  readonly sandbox: SandboxGateway
}

export interface BillingOptions {
  /** Where meter readings come from (default: the ClickHouse store, if usable). */
  readonly meters?: MeterSource
  /** The telemetry store the default meter source reads. */
  readonly clickhouse?: ClickHouse
  /** Extra gateways, by name. */
  readonly gateways?: readonly PaymentGateway[]
  /** Replacements for the built-in outbox channels. */
  readonly channels?: readonly NotificationChannel[]
}

const composed = new WeakMap<Platform, WeakMap<object, Billing>>()

/** Composes the billing services for `platform`. */
export function createBilling(platform: Platform, options: BillingOptions = {}): Billing {
  const { db, auditor } = platform
  const sandbox = new SandboxGateway(loadOrCreateKeyFile(platform.config.dataDir, 'billing-sandbox'))
  const gateways = new Map<string, PaymentGateway>([[sandbox.name, sandbox]])
  for (const g of options.gateways ?? []) gateways.set(g.name, g)
  const channels = new Map<ChannelName, NotificationChannel>([
    ['sms', new OutboxChannel('sms')],
    ['wechat', new OutboxChannel('wechat')],
  ])
  for (const c of options.channels ?? []) channels.set(c.name, c)
  const source =
    options.meters ??
    (options.clickhouse?.client ? new ClickHouseMeterSource(options.clickhouse) : noMeterSource)
  const cycles = new CycleService({ db, auditor })
  return {
    items: new FeeItemService({ db, auditor }),
    cycles,
    readings: new ReadingService({
      db,
      auditor,
      cycles,
      source,
      timezone: platform.config.analytics.timezone,
    }),
    generator: new BillGenerator({ db, auditor, cycles }),
    bills: new BillService({ db, auditor }),
    payments: new PaymentService({ db, auditor, gateways }),
    refunds: new RefundService({ db, auditor, gateways }),
    receipts: new ReceiptService({ db, auditLog: platform.auditLog }),
    reminders: new ReminderService({ db, auditor, channels }),
    collection: new CollectionService({ db }),
    gateways,
    sandbox,
  }
}

/**
 * The billing services of a platform and telemetry store, composed on first use: an app and the tests or jobs
 * beside it share one.
 */
export function billingFor(platform: Platform, options: BillingOptions = {}): Billing {
  let byStore = composed.get(platform)
  if (!byStore) composed.set(platform, (byStore = new WeakMap()))
  const key = options.meters ?? (options.clickhouse?.client ? options.clickhouse : platform)
  let billing = byStore.get(key)
  if (!billing) {
    billing = createBilling(platform, options)
    byStore.set(key, billing)
  }
  return billing
}
