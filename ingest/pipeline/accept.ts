/**
 * Turning one validated device payload into rows of a batch: telemetry, events and status, each with its
 * exactly-once verdict. Pure bookkeeping on the batch; no I/O.
 */
import type { Batch } from './batch.ts'
import type { SeqTracker } from './dedup.ts'
import { encoded, encodeMetrics, tsvEscape, tsvTime } from './encode.ts'
import type { DeadLetterReason } from './reasons.ts'
import { reasonText } from './reasons.ts'
import { DeviceRegistry, type Route } from './registry.ts'

/** Appends a telemetry row (ClickHouse) and point (InfluxDB). */
export function appendTelemetry(
  batch: Batch,
  route: Route,
  ts: number,
  seq: number,
  m: Record<string, number>,
  receivedTsv: string,
): void {
  encodeMetrics(m)
  batch.telemetry.latin1(
    route.tsvPrefix + tsvTime(ts) + '\t' + seq + '\t' + encoded.map + '\t' + receivedTsv + '\n',
  )
  batch.telemetryRows++
  batch.influx.latin1(route.linePrefix + encoded.fields + ' ' + ts + '\n')
  batch.influxPoints++
  batch.addMessageTs(ts)
}

/** Appends an event row and point; `json` is the event's JSON text (validated, size-checked). */
export function appendEvent(
  batch: Batch,
  route: Route,
  item: Record<string, unknown>,
  json: string,
  receivedTsv: string,
): void {
  const ts = item.ts as number
  const seq = item.seq as number
  const type = item.type as string
  batch.events.utf8(
    route.tsvPrefix +
      type +
      '\t' +
      tsvTime(ts) +
      '\t' +
      seq +
      '\t' +
      tsvEscape(json) +
      '\t' +
      receivedTsv +
      '\n',
  )
  batch.eventRows++
  batch.influx.latin1(
    'device_event,community=' +
      route.device.communityId +
      ',device=' +
      route.device.id +
      ',kind=' +
      route.device.kind +
      ',type=' +
      type +
      ' seq=' +
      seq +
      ' ' +
      ts +
      '\n',
  )
  batch.influxPoints++
  batch.addMessageTs(ts)
}

/** Appends a status row and point. */
export function appendStatus(
  batch: Batch,
  route: Route,
  status: string,
  ts: number,
  seq: number,
  detail: string,
  receivedTsv: string,
): void {
  batch.status.utf8(
    route.tsvPrefix +
      status +
      '\t' +
      tsvTime(ts) +
      '\t' +
      seq +
      '\t' +
      tsvEscape(detail) +
      '\t' +
      receivedTsv +
      '\n',
  )
  batch.statusRows++
  batch.influx.latin1(
    'device_status,community=' +
      route.device.communityId +
      ',device=' +
      route.device.id +
      ',kind=' +
      route.device.kind +
      ' status="' +
      status +
      '" ' +
      ts +
      '\n',
  )
  batch.influxPoints++
}

export type Verdict = 'stored' | 'duplicate' | 'suspect'

/** Decides by identity whether a seq-carrying item is new, a duplicate, or must be verified; marks it seen. */
export function classify(seqs: SeqTracker, route: Route, seq: number): Verdict {
  const verdict = seqs.check(route.index, seq)
  if (verdict === 'duplicate') return 'duplicate'
  seqs.mark(route.index, seq)
  return verdict === 'new' ? 'stored' : 'suspect'
}

/** Appends a dead letter: the reason, and the first `keepBytes` raw bytes of the payload as base64. */
export function appendDeadLetter(
  batch: Batch,
  receivedTsv: string,
  source: 'mqtt' | 'http',
  topic: string,
  reason: DeadLetterReason,
  payload: Buffer,
  keepBytes: number,
): void {
  batch.deadLetters.utf8(
    receivedTsv +
      '\t' +
      source +
      '\t' +
      tsvEscape(topic.slice(0, 512)) +
      '\t' +
      DeviceRegistry.deviceIdOf(topic) +
      '\t' +
      reason +
      '\t' +
      reasonText[reason] +
      '\t' +
      payload.subarray(0, keepBytes).toString('base64') +
      '\t' +
      payload.length +
      '\n',
  )
  batch.deadLetterRows++
  batch.deadByReason.set(reason, (batch.deadByReason.get(reason) ?? 0) + 1)
}

/**
 * Appends the record of a run of QoS 0 messages shed because the backlog was full: one dead letter for the run,
 * with the first message's topic and time, the count and bytes in `detail`, and no payload.
 */
export function appendOverflow(
  batch: Batch,
  receivedTsv: string,
  firstTopic: string,
  count: number,
  bytes: number,
  maxBacklogBytes: number,
): void {
  batch.deadLetters.utf8(
    receivedTsv +
      '\tmqtt\t' +
      tsvEscape(firstTopic.slice(0, 512)) +
      '\t' +
      DeviceRegistry.deviceIdOf(firstTopic) +
      '\toverflow\t' +
      `${count} QoS 0 messages (${bytes} bytes) shed while the backlog was over ${maxBacklogBytes} bytes` +
      '\t\t' +
      bytes +
      '\n',
  )
  batch.deadLetterRows++
  batch.deadByReason.set('overflow', (batch.deadByReason.get('overflow') ?? 0) + 1)
}
