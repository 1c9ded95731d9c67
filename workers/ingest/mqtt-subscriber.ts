import net from 'node:net'
import tls from 'node:tls'
import * as mqttPacket from 'mqtt-packet'
import { resolveMqttPassword, type MqttPassword } from '../../server/core/broker/mqtt-password.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'

export interface MqttSubscriberOptions {
  url: string
  clientId: string
  /** Asked for again before every reconnection when a provider: a token may have expired. */
  password?: MqttPassword
  topics: string[]
  /** 4 = MQTT 3.1.1 (aedes), 5 = MQTT 5 (lets us raise the broker's in-flight window). */
  protocolVersion: 4 | 5
  /** Unacknowledged messages the broker may send at once (MQTT 5 receive maximum). */
  receiveMaximum?: number
  keepaliveS?: number
  reconnectMinMs?: number
  reconnectMaxMs?: number
  onMessage(message: ReceivedMessage): void
  log: Logger
}

/**
 * A minimal MQTT subscriber that leaves acknowledgement to the caller. MQTT.js sends each PUBACK
 * before it reads the next packet, so acknowledging only after a batch commits would process one
 * message per commit; here every message of a batch is in flight at once and acknowledged in the
 * order received once its batch is stored. The session is persistent (clean = false), so the broker
 * redelivers whatever was not acknowledged when the connection or the process died.
 */
export function createMqttSubscriber(options: MqttSubscriberOptions): TelemetrySource {
  const url = new URL(options.url)
  if (!['mqtt:', 'mqtts:', 'tcp:'].includes(url.protocol)) {
    throw new Error(`the ingest worker speaks MQTT over TCP or TLS, not ${url.protocol}//`)
  }
  const keepaliveS = options.keepaliveS ?? 30
  const minDelay = options.reconnectMinMs ?? 200
  const maxDelay = options.reconnectMaxMs ?? 5000
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined

  let socket: net.Socket | undefined
  let generation = 0
  let connected = false
  let paused = false
  let closing = false
  let delay = minDelay
  let nextMessageId = 1
  let pingTimer: NodeJS.Timeout | undefined
  let reconnectTimer: NodeJS.Timeout | undefined
  let firstSubscribed: { resolve(): void; reject(error: Error): void } | undefined

  // A batch acknowledges thousands of messages at once: writes in one tick go out as one packet train.
  const send = (packet: mqttPacket.Packet) => {
    const current = socket
    if (!current || current.destroyed) return
    if (current.writableCorked === 0) {
      current.cork()
      process.nextTick(() => current.uncork())
    }
    current.write(mqttPacket.generate(packet, { protocolVersion: options.protocolVersion }))
  }

  const connect = () => {
    const myGeneration = ++generation
    resolveMqttPassword(options.password).then(
      (password) => {
        if (myGeneration === generation && !closing) open(myGeneration, password ?? urlPassword)
      },
      (error: unknown) => {
        const failure = new Error(`no MQTT password: ${String(error)}`)
        options.log.warn(failure.message)
        firstSubscribed?.reject(failure)
        firstSubscribed = undefined
        if (!closing) scheduleReconnect()
      },
    )
  }

  const scheduleReconnect = () => {
    reconnectTimer = setTimeout(connect, delay)
    delay = Math.min(delay * 2, maxDelay)
  }

  const open = (myGeneration: number, password: string | undefined) => {
    const username =
      decodeURIComponent(url.username) || (password === undefined ? undefined : options.clientId)
    const port = Number(url.port) || (url.protocol === 'mqtts:' ? 8883 : 1883)
    const current =
      url.protocol === 'mqtts:'
        ? tls.connect({ host: url.hostname, port, servername: url.hostname })
        : net.connect({ host: url.hostname, port })
    socket = current
    current.setNoDelay(true)
    if (paused) current.pause()
    const parser = mqttPacket.parser({ protocolVersion: options.protocolVersion })
    let lastHeardAt = Date.now()

    current.once(url.protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => {
      send({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: options.protocolVersion,
        clean: false,
        clientId: options.clientId,
        keepalive: keepaliveS,
        ...(username === undefined ? {} : { username }),
        ...(password === undefined ? {} : { password: Buffer.from(password) }),
        ...(options.protocolVersion === 5
          ? {
              properties: {
                sessionExpiryInterval: 0xffffffff,
                receiveMaximum: options.receiveMaximum ?? 65535,
              },
            }
          : {}),
      })
    })
    current.on('data', (chunk: Buffer) => {
      lastHeardAt = Date.now()
      parser.parse(chunk)
    })
    current.on('error', (error) => options.log.warn('broker connection error', { error: error.message }))
    current.on('close', () => {
      if (myGeneration !== generation) return
      connected = false
      clearInterval(pingTimer)
      if (!closing) scheduleReconnect()
    })
    parser.on('error', (error) => {
      options.log.warn('malformed packet from the broker', { error: error.message })
      current.destroy()
    })

    parser.on('packet', (packet) => {
      switch (packet.cmd) {
        case 'connack': {
          const code = packet.reasonCode ?? packet.returnCode ?? 0
          if (code !== 0) {
            const error = new Error(`the broker refused the connection (code ${code})`)
            options.log.warn(error.message)
            firstSubscribed?.reject(error)
            firstSubscribed = undefined
            current.destroy()
            return
          }
          send({
            cmd: 'subscribe',
            messageId: allocateMessageId(),
            subscriptions: options.topics.map((topic) => ({ topic, qos: 1 as const })),
          })
          return
        }
        case 'suback': {
          const refused = (packet.granted as (number | { qos: number })[]).filter(
            (g) => (typeof g === 'number' ? g : g.qos) >= 0x80,
          )
          if (refused.length > 0) {
            const error = new Error(`the broker refused the subscription to ${options.topics.join(', ')}`)
            firstSubscribed?.reject(error)
            firstSubscribed = undefined
            current.destroy()
            return
          }
          connected = true
          delay = minDelay
          startPings()
          firstSubscribed?.resolve()
          firstSubscribed = undefined
          return
        }
        case 'publish': {
          const messageId = packet.messageId
          let acked = false
          options.onMessage({
            topic: packet.topic,
            payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
            redelivered: packet.dup,
            ack: () => {
              // An ack for an earlier connection would name a packet id the broker has reassigned.
              if (acked || packet.qos === 0 || myGeneration !== generation || messageId === undefined) return
              acked = true
              send({ cmd: 'puback', messageId })
            },
          })
          return
        }
        case 'disconnect':
          current.destroy()
          return
        default:
          return
      }
    })

    // Anything from the broker shows it is alive. While paused we read nothing, so silence then
    // says nothing about the broker: a paused worker must not take its own back-pressure for a
    // dead connection and reconnect, which would make the broker send everything in flight again.
    const startPings = () => {
      clearInterval(pingTimer)
      pingTimer = setInterval(
        () => {
          if (paused) lastHeardAt = Date.now()
          else if (Date.now() - lastHeardAt > keepaliveS * 1500) {
            options.log.warn('nothing heard from the broker for 1.5 keepalive periods; reconnecting')
            current.destroy()
            return
          }
          send({ cmd: 'pingreq' })
        },
        (keepaliveS * 1000) / 2,
      )
      pingTimer.unref()
    }
  }

  const allocateMessageId = () => {
    const id = nextMessageId
    nextMessageId = (nextMessageId % 65535) + 1
    return id
  }

  return {
    start() {
      return new Promise<void>((resolve, reject) => {
        firstSubscribed = { resolve, reject }
        connect()
      })
    },
    pause() {
      paused = true
      socket?.pause()
    },
    resume() {
      paused = false
      socket?.resume()
    },
    isConnected: () => connected,
    async close() {
      closing = true
      clearTimeout(reconnectTimer)
      clearInterval(pingTimer)
      const current = socket
      if (!current || current.destroyed) return
      send({ cmd: 'disconnect' })
      await new Promise<void>((resolve) => {
        current.once('close', () => resolve())
        current.end()
        setTimeout(() => current.destroy(), 1000).unref()
      })
    },
  }
}
