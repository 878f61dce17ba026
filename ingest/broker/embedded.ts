/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1) for the default set-up: devices, the simulator and the ingest
 * meet on it when no MQTT_URL is configured. In-memory persistence: its sessions do not survive a restart,
 * which a deployment with a real broker (Mosquitto, EMQX) does not have to accept.
 */
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Aedes } from 'aedes'

export interface EmbeddedBroker {
  /** `mqtt://host:port` */
  readonly url: string
  close(): Promise<void>
}

/** Starts aedes on `host:port` (port 0 picks a free one). */
export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ id: 'embedded' })
  const server: Server = createServer(broker.handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `mqtt://${host}:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
