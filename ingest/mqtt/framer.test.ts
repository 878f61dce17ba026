import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import mqttPacket from 'mqtt-packet'
import { MqttFramingError, PacketFramer } from './framer.ts'

interface Seen {
  topic: string
  payload: string
  qos: number
  packetId: number
  dup: boolean
  retain: boolean
}

function collect(version: 4 | 5) {
  const publishes: Seen[] = []
  const controls: Buffer[] = []
  const framer = new PacketFramer(
    version,
    (topic, payload, qos, packetId, dup, retain) =>
      publishes.push({ topic, payload: payload.toString('utf8'), qos, packetId, dup, retain }),
    (packet) => controls.push(Buffer.from(packet)),
  )
  return { framer, publishes, controls }
}

const publishArb = fc.record({
  topic: fc
    .string({ minLength: 1, maxLength: 80, unit: 'grapheme' })
    .filter((t) => !t.includes('#') && !t.includes('+') && !t.includes(String.fromCharCode(0))),
  payload: fc.string({ maxLength: 3000 }),
  qos: fc.constantFrom<0 | 1>(0, 1),
  messageId: fc.integer({ min: 1, max: 65535 }),
  dup: fc.boolean(),
  retain: fc.boolean(),
})

describe('PacketFramer', () => {
  for (const version of [4, 5] as const) {
    it(`decodes whatever mqtt-packet encodes, however the stream is split (MQTT ${version === 4 ? '3.1.1' : '5'})`, () => {
      fc.assert(
        fc.property(
          fc.array(publishArb, { minLength: 1, maxLength: 20 }),
          fc.array(fc.integer({ min: 1, max: 200 })),
          (packets, cuts) => {
            const encoded = packets.map((p) =>
              mqttPacket.generate(
                {
                  cmd: 'publish',
                  topic: p.topic,
                  payload: Buffer.from(p.payload),
                  qos: p.qos,
                  messageId: p.qos > 0 ? p.messageId : undefined,
                  dup: p.dup,
                  retain: p.retain,
                  ...(version === 5
                    ? { properties: { payloadFormatIndicator: true, userProperties: { a: 'b' } } }
                    : {}),
                },
                { protocolVersion: version },
              ),
            )
            const stream = Buffer.concat([
              ...encoded,
              mqttPacket.generate({ cmd: 'pingresp' }, { protocolVersion: version }),
            ])
            const { framer, publishes, controls } = collect(version)
            let offset = 0
            for (const cut of cuts) {
              if (offset >= stream.length) break
              framer.push(stream.subarray(offset, offset + cut))
              offset += cut
            }
            if (offset < stream.length) framer.push(stream.subarray(offset))
            assert.equal(publishes.length, packets.length)
            packets.forEach((p, i) => {
              const seen = publishes[i]
              assert.ok(seen)
              assert.equal(seen.topic, p.topic)
              assert.equal(seen.payload, p.payload)
              assert.equal(seen.qos, p.qos)
              assert.equal(seen.packetId, p.qos > 0 ? p.messageId : 0)
              assert.equal(seen.dup, p.dup)
              assert.equal(seen.retain, p.retain)
            })
            assert.equal(controls.length, 1)
            assert.equal(controls[0]?.[0], 0xd0, 'PINGRESP handed over as a control packet')
            assert.equal(framer.pendingBytes, 0)
          },
        ),
        { numRuns: 200 },
      )
    })
  }

  it('refuses a remaining length longer than four bytes', () => {
    const { framer } = collect(4)
    assert.throws(() => framer.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), MqttFramingError)
  })

  it('refuses a packet larger than its limit', () => {
    const framer = new PacketFramer(
      4,
      () => undefined,
      () => undefined,
      100,
    )
    assert.throws(() => framer.push(Buffer.from([0x30, 0xc8, 0x01])), /exceeds the limit/)
  })

  it('refuses a topic that overruns its packet', () => {
    const { framer } = collect(4)
    assert.throws(() => framer.push(Buffer.from([0x30, 0x03, 0x00, 0x09, 0x61])), /overruns/)
  })

  it('refuses QoS 3', () => {
    const { framer } = collect(4)
    assert.throws(() => framer.push(Buffer.from([0x36, 0x03, 0x00, 0x01, 0x61])), /QoS 3/)
  })
})
