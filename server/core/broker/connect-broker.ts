import mqtt, { type MqttClient } from 'mqtt'
import { resolveMqttPassword, type MqttPassword } from './mqtt-password.js'

/**
 * An MQTT client of the platform's own. On the embedded broker the password is an access token
 * and `clientId` must be the id bound to it (broker-client-ids.ts); on an external broker the
 * credentials come with MQTT_URL. aedes speaks MQTT 3.1.1 only. The client reconnects by itself;
 * a password provider is asked again each time the connection is lost, so the next attempt
 * carries a fresh token (the embedded broker closes a connection when its token expires).
 */
export async function connectBroker(options: {
  url: string
  clientId: string
  password?: MqttPassword
  protocolVersion?: 4 | 5
  clean?: boolean
}): Promise<MqttClient> {
  const password = await resolveMqttPassword(options.password)
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    protocolVersion: options.protocolVersion ?? 4,
    clean: options.clean ?? true,
    reconnectPeriod: 1000,
    // An expired token is refused; the next attempt, a second later, has a fresh one.
    reconnectOnConnackError: typeof options.password === 'function',
    connectTimeout: 5000,
    ...(password === undefined ? {} : { username: options.clientId, password }),
  })
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      client.end(true)
      reject(new Error(`could not connect to the MQTT broker at ${redact(options.url)}: ${error.message}`))
    }
    client.once('connect', () => {
      client.off('error', fail)
      resolve()
    })
    client.once('error', fail)
  })
  const provide = options.password
  if (typeof provide === 'function') {
    // MQTT.js reconnects a reconnect period after 'close', reading `options.password` then.
    client.on('close', () => {
      if (client.disconnecting) return
      provide().then(
        (fresh) => (client.options.password = fresh),
        (error: unknown) => client.emit('error', error instanceof Error ? error : new Error(String(error))),
      )
    })
  }
  return client
}

export function redact(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
