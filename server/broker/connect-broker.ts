import mqtt, { type MqttClient } from 'mqtt'

/**
 * An MQTT client of the platform's own. On the embedded broker the password is a service token; on
 * an external broker the credentials come with MQTT_URL. aedes speaks MQTT 3.1.1 only.
 */
export async function connectBroker(options: {
  url: string
  clientId: string
  password?: string
  protocolVersion?: 4 | 5
  clean?: boolean
}): Promise<MqttClient> {
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    protocolVersion: options.protocolVersion ?? 4,
    clean: options.clean ?? true,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    ...(options.password === undefined ? {} : { username: options.clientId, password: options.password }),
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
  return client
}

export function redact(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
