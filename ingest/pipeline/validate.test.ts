import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { defaultLimits, payloadSchemas } from '../../data/messages/index.ts'
import { PayloadValidator } from './validate.ts'

const NOW = Date.UTC(2026, 10, 25, 12)
const clock = () => NOW
const validator = new PayloadValidator(defaultLimits, clock)
const schemas = payloadSchemas(defaultLimits, clock)

// Values near the edges of every rule, mixed with arbitrary JSON.
const metricName = fc.oneof(
  fc.constantFrom('flow', 'motor_current', 'a', 'x1', 'Flow', '1abc', 'a-b', '__proto__', ''),
  fc.string({ maxLength: 6 }),
)
const num = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Infinity, -Infinity, Number.NaN, 0, -1, 2 ** 53, 2 ** 53 + 2),
)
const ts = fc.oneof(
  fc.constant(NOW),
  fc.integer({ min: NOW - defaultLimits.maxPastMs - 5, max: NOW + defaultLimits.maxFutureMs + 5 }),
  num,
)
const anyValue = fc.oneof(
  num,
  fc.string({ maxLength: 5 }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
)
const telemetryLike = fc.record(
  {
    ts: fc.oneof(ts, anyValue),
    seq: fc.oneof(fc.integer({ min: -2, max: 1000 }), num, anyValue),
    m: fc.oneof(fc.dictionary(metricName, fc.oneof(num, anyValue), { maxKeys: 70 }), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
)
const eventLike = fc.record(
  {
    ts: fc.oneof(ts, anyValue),
    seq: fc.oneof(fc.integer({ min: -2, max: 1000 }), anyValue),
    type: fc.oneof(fc.constantFrom('door.open', 'gate.pass', 'Door', 'a..b', 'a.b.c'), anyValue),
    floor: anyValue,
  },
  { requiredKeys: [] },
)
const statusLike = fc.record(
  {
    ts: fc.oneof(ts, anyValue),
    seq: fc.oneof(fc.integer({ min: -2, max: 1000 }), anyValue),
    status: fc.oneof(fc.constantFrom('online', 'offline', 'fault', 'maintenance', 'broken'), anyValue),
    detail: fc.oneof(fc.string({ maxLength: 300 }), anyValue),
    other: anyValue,
  },
  { requiredKeys: [] },
)

// JSON round trip: the validator sees what JSON.parse produces (no NaN, no -0, no undefined).
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null')

describe('PayloadValidator agrees with the contract schemas', () => {
  it('on telemetry (single and gateway arrays)', () => {
    fc.assert(
      fc.property(fc.oneof(telemetryLike, fc.array(telemetryLike, { maxLength: 3 }), anyValue), (raw) => {
        const value = asJson(raw)
        assert.equal(
          validator.telemetry(value) === null,
          schemas.telemetryBatch.safeParse(value).success,
          JSON.stringify(value),
        )
      }),
      { numRuns: 3000 },
    )
  })

  it('on events', () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, anyValue), (raw) => {
        const value = asJson(raw)
        assert.equal(
          validator.event(value) === null,
          schemas.eventBatch.safeParse(value).success,
          JSON.stringify(value),
        )
      }),
      { numRuns: 3000 },
    )
  })

  it('on statuses', () => {
    fc.assert(
      fc.property(fc.oneof(statusLike, anyValue), (raw) => {
        const value = asJson(raw)
        assert.equal(
          validator.status(value) === null,
          schemas.status.safeParse(value).success,
          JSON.stringify(value),
        )
      }),
      { numRuns: 3000 },
    )
  })
})
