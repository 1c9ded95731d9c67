import net from 'node:net'
import { once } from 'node:events'
import { Aedes, type AuthenticateError, type Client } from 'aedes'
import type { AccessTokens } from '../auth/access-tokens.js'
import type { SessionHolder } from '../auth/watch-ended-sessions.js'
import type { Principal } from '../auth/principal.js'
import { systemClock, type Clock } from '../clock/clock.js'
import type { Logger } from '../log/logger.js'
import { brokerClientId } from './broker-client-ids.js'
import { limitPacketSize } from './limit-packet-size.js'
import { scheduleAt } from './schedule-at.js'
import { parseTelemetryTopic } from './telemetry-topics.js'

/**
 * A report is a few hundred bytes and the ingest dead-letters payloads over 4 KiB; the limit only
 * keeps a client from making the broker buffer megabytes. test/mosquitto.conf sets the same.
 */
export const defaultMaxPacketBytes = 64 * 1024

export interface EmbeddedBroker extends SessionHolder {
  readonly port: number
  readonly url: string
  isUp(): boolean
  close(): Promise<void>
}

/**
 * aedes in-process, on a TCP port any MQTT 3.1.1 client can use. Clients authenticate with an
 * access token as the MQTT password and connect only under the client id bound to it: a device
 * may publish only its own bus's telemetry, and only the platform's own services may subscribe.
 * A connection ends when its token expires, as the live channel's sockets do; the client
 * reconnects with a fresh token. (aedes speaks no MQTT 5 and ignores `$share/`.)
 */
export async function startEmbeddedBroker(options: {
  host: string
  port: number
  tokens: AccessTokens
  log: Logger
  /** Times how long a connection's token has left from when it connected. */
  clock?: Clock
  maxPacketBytes?: number
}): Promise<EmbeddedBroker> {
  const clock = options.clock ?? systemClock
  const grants = new WeakMap<Client, { principal: Principal; expiresAt: Date }>()
  /** Who a client connected as, until its token expires. */
  const grantOf = (client: Client | null) => {
    const grant = client ? grants.get(client) : undefined
    return grant && clock.now() < grant.expiresAt ? grant.principal : undefined
  }
  /** The clients connected with each session (a terminal's credential), to close when it ends. */
  const clientsBySession = new Map<string, Set<Client>>()
  const broker = await Aedes.createBroker({
    authenticate(client, _username, password, done) {
      options.tokens.verifyWithExpiry(password?.toString()).then(
        ({ principal, validForMs, sessionId }) => {
          const allowedId = brokerClientId(principal)
          if (allowedId === undefined) {
            return done(refusal('only devices and platform services connect to the broker', 4), false)
          }
          if (client.id !== allowedId) {
            return done(refusal(`this token connects only as client id ${allowedId}`, 2), false)
          }
          const expiresAt = new Date(clock.now().getTime() + validForMs)
          grants.set(client, { principal, expiresAt })
          const cancel = scheduleAt(clock, expiresAt, () => {
            options.log.info('closing a connection whose access token expired', { client: client.id })
            client.close()
          })
          client.conn.once('close', cancel)
          if (sessionId !== undefined) {
            const clients = clientsBySession.get(sessionId) ?? new Set()
            clientsBySession.set(sessionId, clients.add(client))
            client.conn.once('close', () => {
              clients.delete(client)
              if (clients.size === 0) clientsBySession.delete(sessionId)
            })
          }
          done(null, true)
        },
        () => done(refusal('a valid access token is required as the password', 4), false),
      )
    },
    authorizePublish(client, packet, done) {
      const principal = grantOf(client)
      if (principal?.role === 'service') return done(null)
      const topic = parseTelemetryTopic(packet.topic)
      if (principal?.role === 'device' && topic?.busId === principal.busId) return done(null)
      done(new Error(`not allowed to publish on ${packet.topic}`))
    },
    authorizeSubscribe(client, subscription, done) {
      // A null subscription answers 0x80 (refused) in the SUBACK and keeps the client connected.
      done(null, grantOf(client)?.role === 'service' ? subscription : null)
    },
  })
  broker.on('clientError', (client, error) =>
    options.log.warn('client error', { client: client.id, error: error.message }),
  )
  broker.on('connectionError', (_client, error) =>
    options.log.warn('connection error before CONNECT', { error: error.message }),
  )

  const maxPacketBytes = options.maxPacketBytes ?? defaultMaxPacketBytes
  const server = net.createServer((socket) => broker.handle(limitPacketSize(socket, maxPacketBytes)))
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
    openSessionIds: () => [...clientsBySession.keys()],
    endSessions(ids) {
      for (const id of ids) {
        for (const client of clientsBySession.get(id) ?? []) {
          options.log.info('closing a connection whose credential was revoked', { client: client.id })
          grants.delete(client)
          client.close()
        }
      }
    },
    async close() {
      if (!up) return
      up = false
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A CONNACK refusal: 2 = identifier rejected, 4 = bad user name or password. */
function refusal(message: string, returnCode: 2 | 4): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: returnCode as AuthenticateError['returnCode'] })
}
