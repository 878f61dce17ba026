/** The device message contract: topics, payload schemas and limits. */
export {
  ALL_DEVICE_TOPICS,
  channels,
  defaultLimits,
  deviceKinds,
  EVENT_TYPE_PATTERN,
  findForbiddenKey,
  MAX_EVENT_DEPTH,
  ID_PATTERN,
  isForbiddenKey,
  METRIC_PATTERN,
  payloadSchemas,
  topicFor,
} from './contract.ts'
export type { Channel, EventPayload, IngestLimits, StatusPayload, TelemetryPayload } from './contract.ts'
