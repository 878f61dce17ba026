/**
 * Why a message went to the dead-letter store. Stable codes: they are metric labels and dashboard filters.
 */
export const deadLetterReasons = [
  'bad_topic',
  'unknown_device',
  'kind_mismatch',
  'oversized',
  'not_json',
  'not_object',
  'missing_field',
  'unknown_field',
  'wrong_type',
  'non_finite',
  'bad_seq',
  'ts_out_of_range',
  'no_metrics',
  'too_many_metrics',
  'bad_metric_name',
  'too_many_items',
  'bad_event_type',
  'event_too_large',
  'bad_status',
  'forbidden_key',
  'unauthorized',
  'overflow',
] as const

export type DeadLetterReason = (typeof deadLetterReasons)[number]

/** One line of explanation per reason, stored with the dead letter. */
export const reasonText: Readonly<Record<DeadLetterReason, string>> = {
  bad_topic: 'topic is not community/{communityId}/{kind}/{deviceId}/{telemetry|event|status}',
  unknown_device: 'no such device in this community',
  kind_mismatch: 'topic kind differs from the registered device kind',
  oversized: 'payload larger than the configured limit',
  not_json: 'payload is not UTF-8 JSON',
  not_object: 'payload is not a JSON object (or, for gateways, an array of objects)',
  missing_field: 'a required field is missing',
  unknown_field: 'a field not in the contract is present',
  wrong_type: 'a field has the wrong type',
  non_finite: 'a number is not finite',
  bad_seq: 'seq is not a non-negative safe integer',
  ts_out_of_range: 'ts is not an integer epoch-ms timestamp within the configured skew',
  no_metrics: 'telemetry carries no metrics',
  too_many_metrics: 'telemetry carries more metrics than the configured limit',
  bad_metric_name: 'a metric name is not snake_case ASCII',
  too_many_items: 'gateway array longer than the configured limit',
  bad_event_type: 'event type is not a dotted lower-case name',
  event_too_large: 'event fields larger than the configured limit',
  bad_status: 'status is not one of online, offline, fault, maintenance',
  forbidden_key: 'a key such as __proto__ or constructor is present',
  unauthorized: 'the token does not authorise this device',
  overflow: 'QoS 0 messages shed: the ingest backlog was full',
}
