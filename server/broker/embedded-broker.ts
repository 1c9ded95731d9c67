import net from 'node:net'
import { once } from 'node:events'
import { Aedes, type AuthenticateError } from 'aedes'
import type { AccessTokens } from '../auth/access-tokens.js'
import type { Principal } from '../auth/principal.js'
import type { Logger } from '../log/logger.js'
import { parseTelemetryTopic } from './telemetry-topics.js'

export interface EmbeddedBroker {
  readonly port: number
  readonly url: string
  isUp(): boolean
  close(): Promise<void>
}

/**
 * aedes in-process, on a TCP port any MQTT 3.1.1 client can use. Clients authenticate with an
 * access token as the MQTT password: a device may publish only its own bus's telemetry, and only
 * the platform's own services may subscribe. (aedes speaks no MQTT 5 and ignores `$share/`.)
 */
export async function startEmbeddedBroker(options: {
  host: string
  port: number
  tokens: AccessTokens
  log: Logger
}): Promise<EmbeddedBroker> {
  const principals = new WeakMap<object, Principal>()
  const broker = await Aedes.createBroker({
    authenticate(client, _username, password, done) {
      options.tokens.verify(password?.toString()).then(
        (principal) => {
          if (principal.role !== 'device' && principal.role !== 'service') {
            return done(refusal('only devices and platform services connect to the broker'), false)
          }
          principals.set(client, principal)
          done(null, true)
        },
        () => done(refusal('a valid access token is required as the password'), false),
      )
    },
    authorizePublish(client, packet, done) {
      const principal = client ? principals.get(client) : undefined
      if (principal?.role === 'service') return done(null)
      const topic = parseTelemetryTopic(packet.topic)
      if (principal?.role === 'device' && topic?.busId === principal.busId) return done(null)
      done(new Error(`not allowed to publish on ${packet.topic}`))
    },
    authorizeSubscribe(client, subscription, done) {
      // A null subscription answers 0x80 (refused) in the SUBACK and keeps the client connected.
      done(null, principals.get(client)?.role === 'service' ? subscription : null)
    },
  })
  broker.on('clientError', (client, error) =>
    options.log.warn('client error', { client: client.id, error: error.message }),
  )

  const server = net.createServer(broker.handle)
  server.listen(options.port, options.host)
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => Promise.reject(error)),
    ])
  } catch (error) {
    broker.close()
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(
      code === 'EADDRINUSE'
        ? `MQTT port ${options.port} is in use (another broker?): set MQTT_PORT, or MQTT_URL to use that broker`
        : `the embedded MQTT broker could not listen on ${options.host}:${options.port}: ${String(error)}`,
      { cause: error },
    )
  }
  const port = (server.address() as net.AddressInfo).port
  let up = true

  return {
    port,
    url: `mqtt://${options.host}:${port}`,
    isUp: () => up && !broker.closed,
    async close() {
      if (!up) return
      up = false
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function refusal(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: 4 as AuthenticateError['returnCode'] })
}
