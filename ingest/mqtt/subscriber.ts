/**
 * The ingest's MQTT subscriber: one connection to the broker with a persistent session, subscriptions at QoS 0
 * or 1, and acknowledgements sent only when the caller says so — after its sinks have stored the batch. QoS 1
 * PUBACKs for a whole batch go out in one write. Reading can be paused (backpressure: the broker keeps the
 * backlog) and resumed. Reconnects with backoff; acknowledgements for messages received on an earlier
 * connection are dropped, because the broker redelivers those messages (flagged DUP) on the new one.
 *
 * Control packets are built and parsed with mqtt-packet; PUBLISH packets go through `PacketFramer`.
 */
import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import mqttPacket from 'mqtt-packet'
import { PacketFramer, type PublishHandler } from './framer.ts'

export interface SubscriberOptions {
  /** `mqtt://host:port` or `mqtts://host:port` (credentials may be in the URL). */
  readonly url: string
  readonly clientId: string
  /** 5 for brokers with shared subscriptions (Mosquitto, EMQX); 4 (3.1.1) for aedes. */
  readonly protocolVersion: 4 | 5
  readonly topics: readonly string[]
  readonly qos: 0 | 1
  /** Keep the session (and the broker's backlog for it) across disconnects. */
  readonly persistent: boolean
  /** MQTT 5: how long the broker keeps the session after a disconnect, seconds. */
  readonly sessionExpirySeconds?: number
  /** MQTT 5: unacknowledged QoS 1 messages the broker may send us; must cover a batch or two. */
  readonly receiveMaximum?: number
  readonly keepaliveSeconds?: number
  readonly reconnectMinMs?: number
  readonly reconnectMaxMs?: number
  readonly maxPacketBytes?: number
}

export interface SubscriberEvents {
  /** Every PUBLISH; `generation` identifies the connection it came on (for `ack`). */
  onPublish(
    topic: string,
    payload: Buffer,
    qos: 0 | 1 | 2,
    packetId: number,
    dup: boolean,
    retain: boolean,
    generation: number,
  ): void
  onConnect?(info: { generation: number; sessionPresent: boolean }): void
  onDisconnect?(reason: string): void
}

export class MqttConnectError extends Error {
  override readonly name = 'MqttConnectError'
}

const CONNACK = 2
const SUBACK = 9
const PINGRESP = 13
const DISCONNECT = 14

/** A long-lived subscriber. */
export class MqttSubscriber {
  private socket: Socket | null = null
  private framer: PacketFramer | null = null
  private generation = 0
  private closed = false
  private paused = false
  private attempt = 0
  private keepaliveTimer: NodeJS.Timeout | null = null
  private reconnectTimer: NodeJS.Timeout | null = null
  private lastPingAnswered = true
  private firstSubscribed: { resolve: () => void; reject: (error: Error) => void } | null = null

  constructor(
    private readonly options: SubscriberOptions,
    private readonly events: SubscriberEvents,
  ) {}

  /** Connects and subscribes; resolves once the first subscription is granted. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstSubscribed = { resolve, reject }
      this.connect()
    })
  }

  /** The connection generation now; acknowledgements must name the generation their messages came on. */
  get currentGeneration(): number {
    return this.generation
  }

  get isConnected(): boolean {
    return this.socket !== null && this.framer !== null
  }

  /** Sends PUBACKs for `count` packet ids of connection `generation` in one write. */
  ack(generation: number, packetIds: Uint16Array, count: number): boolean {
    const socket = this.socket
    if (!socket || generation !== this.generation || count === 0) return false
    // PUBACK is 4 bytes in 3.1.1 and in 5 with reason "success" and no properties.
    const out = Buffer.allocUnsafe(count * 4)
    for (let i = 0; i < count; i++) {
      const id = packetIds[i] as number
      out[i * 4] = 0x40
      out[i * 4 + 1] = 0x02
      out[i * 4 + 2] = id >> 8
      out[i * 4 + 3] = id & 0xff
    }
    socket.write(out)
    return true
  }

  /** Stops reading from the broker (it keeps the backlog); keepalive continues. */
  pause(): void {
    this.paused = true
    this.socket?.pause()
  }

  resume(): void {
    this.paused = false
    this.socket?.resume()
  }

  get isPaused(): boolean {
    return this.paused
  }

  /** Disconnects cleanly and stops reconnecting. */
  async close(): Promise<void> {
    this.closed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.stopKeepalive()
    const socket = this.socket
    this.socket = null
    if (!socket) return
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve())
      socket.end(
        mqttPacket.generate({ cmd: 'disconnect' }, { protocolVersion: this.options.protocolVersion }),
      )
      setTimeout(() => socket.destroy(), 1000).unref()
    })
  }

  private connect(): void {
    if (this.closed) return
    const url = new URL(this.options.url)
    const port = Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883))
    const host = url.hostname
    const socket =
      url.protocol === 'mqtts:' ? connectTls({ host, port, servername: host }) : connectTcp({ host, port })
    socket.setNoDelay(true)
    const generation = ++this.generation
    const version = this.options.protocolVersion
    const handlePublish: PublishHandler = (topic, payload, qos, packetId, dup, retain) =>
      this.events.onPublish(topic, payload, qos, packetId, dup, retain, generation)
    const framer = new PacketFramer(
      version,
      handlePublish,
      (packet) => this.onControl(packet),
      this.options.maxPacketBytes,
    )
    let connected = false

    socket.on('connect', () => {
      socket.write(
        mqttPacket.generate(
          {
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: version,
            clientId: this.options.clientId,
            clean: !this.options.persistent,
            keepalive: this.options.keepaliveSeconds ?? 30,
            ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
            ...(url.password ? { password: Buffer.from(decodeURIComponent(url.password)) } : {}),
            ...(version === 5
              ? {
                  properties: {
                    sessionExpiryInterval: this.options.persistent
                      ? (this.options.sessionExpirySeconds ?? 86_400)
                      : 0,
                    receiveMaximum: this.options.receiveMaximum ?? 65_535,
                    maximumPacketSize: this.options.maxPacketBytes ?? 16 * 1024 * 1024,
                  },
                }
              : {}),
          },
          { protocolVersion: version },
        ),
      )
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        framer.push(chunk)
      } catch (error) {
        socket.destroy(error instanceof Error ? error : new Error(String(error)))
      }
    })
    socket.on('error', (error: Error) => {
      if (!connected && this.firstSubscribed && this.attempt >= 3) {
        this.firstSubscribed.reject(
          new MqttConnectError(`cannot connect to ${redact(url)}: ${error.message}`),
        )
        this.firstSubscribed = null
      }
    })
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = null
        this.framer = null
        this.stopKeepalive()
        this.events.onDisconnect?.('connection closed')
      }
      this.scheduleReconnect()
    })
    this.socket = socket
    this.framer = framer
    this.onConnected = (sessionPresent: boolean) => {
      connected = true
      this.attempt = 0
      this.lastPingAnswered = true
      this.startKeepalive()
      if (this.paused) socket.pause()
      socket.write(
        mqttPacket.generate(
          {
            cmd: 'subscribe',
            messageId: 1,
            subscriptions: this.options.topics.map((topic) => ({ topic, qos: this.options.qos })),
          },
          { protocolVersion: version },
        ),
      )
      this.events.onConnect?.({ generation, sessionPresent })
    }
  }

  private onConnected: (sessionPresent: boolean) => void = () => undefined

  private onControl(packet: Buffer): void {
    const type = (packet[0] as number) >> 4
    if (type === PINGRESP) {
      this.lastPingAnswered = true
      return
    }
    const parsed = parseControl(packet, this.options.protocolVersion)
    if (type === CONNACK && parsed.cmd === 'connack') {
      const code = parsed.reasonCode ?? parsed.returnCode ?? 0
      if (code !== 0) {
        const error = new MqttConnectError(`broker refused the connection (code ${code})`)
        this.firstSubscribed?.reject(error)
        this.firstSubscribed = null
        this.closed = true
        this.socket?.destroy()
        return
      }
      this.onConnected(parsed.sessionPresent)
    } else if (type === SUBACK && parsed.cmd === 'suback') {
      const refused = parsed.granted.find((g) => (typeof g === 'number' ? g >= 0x80 : true))
      if (refused !== undefined) {
        const code = typeof refused === 'number' ? refused : JSON.stringify(refused)
        this.firstSubscribed?.reject(new MqttConnectError(`broker refused the subscription (code ${code})`))
        this.firstSubscribed = null
        return
      }
      this.firstSubscribed?.resolve()
      this.firstSubscribed = null
    } else if (type === DISCONNECT) {
      this.socket?.destroy()
    }
  }

  private startKeepalive(): void {
    this.stopKeepalive()
    const seconds = this.options.keepaliveSeconds ?? 30
    const ping = mqttPacket.generate({ cmd: 'pingreq' }, { protocolVersion: this.options.protocolVersion })
    this.keepaliveTimer = setInterval(
      () => {
        // While paused we do not read, so an unanswered ping proves nothing then.
        if (!this.lastPingAnswered && !this.paused) {
          this.socket?.destroy(new Error('keepalive timeout'))
          return
        }
        this.lastPingAnswered = this.paused ? true : false
        this.socket?.write(ping)
      },
      (seconds * 1000) / 2,
    )
    this.keepaliveTimer.unref()
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer)
    this.keepaliveTimer = null
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return
    const min = this.options.reconnectMinMs ?? 200
    const max = this.options.reconnectMaxMs ?? 10_000
    const delay = Math.min(max, min * 2 ** Math.min(this.attempt, 10))
    this.attempt++
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      this.connect()
    }, delay)
  }
}

function parseControl(packet: Buffer, protocolVersion: 4 | 5): mqttPacket.Packet {
  const parser = mqttPacket.parser({ protocolVersion })
  const found: { packet?: mqttPacket.Packet; error?: Error } = {}
  parser.on('packet', (p: mqttPacket.Packet) => (found.packet = p))
  parser.on('error', (e: Error) => (found.error = e))
  parser.parse(packet)
  if (found.error) throw found.error
  if (!found.packet) throw new MqttConnectError('incomplete control packet')
  return found.packet
}

function redact(url: URL): string {
  const copy = new URL(url.toString())
  if (copy.password) copy.password = '****'
  return copy.toString()
}
