/**
 * The ingest service: subscriber → pipeline → sinks, wired from the stores and options. Loads the device
 * registry from PostgreSQL, seeds the exactly-once state from ClickHouse, and subscribes — with a persistent
 * session, so that while it is down the broker keeps its messages.
 */
import { hostname } from 'node:os'
import type { Logger, Postgres, Stores } from '../data/index.ts'
import { ALL_DEVICE_TOPICS, type IngestLimits } from '../data/messages/index.ts'
import { MqttSubscriber } from './mqtt/subscriber.ts'
import { IngestMetrics } from './pipeline/metrics.ts'
import {
  Pipeline,
  defaultPipelineOptions,
  type PipelineOptions,
  type StreamObserver,
} from './pipeline/pipeline.ts'
import { DeviceRegistry, type RegisteredDevice } from './pipeline/registry.ts'
import { createClickHouseSink } from './sinks/clickhouse-sink.ts'
import { createInfluxSink } from './sinks/influx-sink.ts'
import { preloadFromStore } from './pipeline/preload.ts'
import type { Sink } from './sinks/types.ts'

export interface IngestOptions {
  readonly mqttUrl: string
  readonly protocolVersion: 4 | 5
  /** MQTT 5 shared-subscription group; workers in one group split the stream. Ignored for 3.1.1. */
  readonly shareGroup?: string
  readonly clientId?: string
  /** Topic filter to subscribe to; every device topic by default (one community: `community/c01/+/+/+`). */
  readonly topicFilter?: string
  readonly qos: 0 | 1
  readonly limits: IngestLimits
  readonly pipeline?: Partial<Omit<PipelineOptions, 'limits'>>
  /** The device registry; loaded from PostgreSQL when omitted. */
  readonly registry?: DeviceRegistry
  /** Stream observers (alarm rules) that see every accepted message. */
  readonly observers?: readonly StreamObserver[]
  /** How often the device registry is re-read from PostgreSQL (added and archived devices), ms; 0 = never. */
  readonly registryRefreshMs?: number
}

export interface IngestService {
  readonly pipeline: Pipeline
  readonly metrics: IngestMetrics
  readonly registry: DeviceRegistry
  readonly subscriber: MqttSubscriber
  close(): Promise<void>
}

const LIST_DEVICES = `SELECT id, community_id AS "communityId", kind FROM devices WHERE archived_at IS NULL ORDER BY id`

/** Every active device in PostgreSQL. */
export async function loadRegistry(db: Postgres): Promise<DeviceRegistry> {
  return new DeviceRegistry(await db.query<RegisteredDevice>(LIST_DEVICES))
}

/** Starts ingesting from the broker at `options.mqttUrl` into the stores. */
export async function startIngest(
  stores: Stores,
  log: Logger,
  options: IngestOptions,
): Promise<IngestService> {
  const registry = options.registry ?? (await loadRegistry(stores.postgres))
  const metrics = new IngestMetrics()
  const sinks: Sink[] = [createClickHouseSink(stores.clickhouse)]
  if (stores.influx) sinks.push(createInfluxSink(stores.influx))
  const pipeline = new Pipeline(
    { ...defaultPipelineOptions, ...options.pipeline, limits: options.limits },
    {
      registry,
      sinks,
      clickhouse: stores.clickhouse,
      metrics,
      observers: options.observers,
      onSinkError: (sink, error) =>
        log.warn(
          { sink, err: error instanceof Error ? error.message : String(error) },
          'sink write failed; retrying',
        ),
    },
  )
  metrics.backlog = () => pipeline.backlog
  metrics.backlogBytes = () => pipeline.backlogBytes

  await preloadFromStore(pipeline, stores.clickhouse)

  const filter = options.topicFilter ?? ALL_DEVICE_TOPICS
  const topic =
    options.protocolVersion === 5 && options.shareGroup ? `$share/${options.shareGroup}/${filter}` : filter
  const subscriber = new MqttSubscriber(
    {
      url: options.mqttUrl,
      clientId: options.clientId ?? `ingest-${hostname()}`,
      protocolVersion: options.protocolVersion,
      topics: [topic],
      qos: options.qos,
      persistent: true,
      receiveMaximum: 65_535,
    },
    {
      onPublish: (t, payload, qos, packetId, _dup, _retain, generation) =>
        pipeline.acceptPublish(t, payload, qos, packetId, generation),
      onConnect: ({ sessionPresent }) => log.info({ sessionPresent, topic }, 'ingest subscribed'),
      onDisconnect: (reason) => log.warn({ reason }, 'ingest disconnected from the broker; reconnecting'),
    },
  )
  // At QoS 1 the broker keeps what we do not read, so pausing loses nothing. At QoS 0 it would drop it silently:
  // the pipeline keeps reading into its bounded backlog instead, and sheds (counted) past it.
  if (options.qos === 1) pipeline.addSource(subscriber)
  pipeline.setAcknowledger(subscriber)
  await subscriber.start()

  // Devices added or archived through the API join or leave the stream without a restart.
  const refreshMs = options.registry ? 0 : (options.registryRefreshMs ?? 30_000)
  const refresh =
    refreshMs > 0
      ? setInterval(() => {
          stores.postgres
            .query<RegisteredDevice>(LIST_DEVICES)
            .then((devices) => {
              const change = registry.sync(devices)
              if (change.added || change.removed) {
                pipeline.registryChanged()
                log.info(change, 'device registry updated')
              }
            })
            .catch((error: unknown) => log.warn({ err: String(error) }, 'device registry refresh failed'))
        }, refreshMs)
      : null
  refresh?.unref()
  log.info({ devices: registry.size, sinks: sinks.map((s) => s.name), qos: options.qos }, 'ingest running')

  return {
    pipeline,
    metrics,
    registry,
    subscriber,
    async close() {
      if (refresh) clearInterval(refresh)
      // Stop reading, store and acknowledge what is pending, then leave.
      subscriber.pause()
      await pipeline.close()
      await subscriber.close()
    },
  }
}
