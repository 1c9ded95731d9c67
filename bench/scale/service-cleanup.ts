import { createClient } from 'redis'
import { connectBroker } from '../../server/core/broker/connect-broker.js'

/**
 * Ends the MQTT sessions the run's processes leave behind: an ingest subscribes with a persistent
 * session, which the broker keeps (and queues telemetry for) after the process ends; connecting
 * once with a clean session under the same client id ends it.
 */
export async function endBrokerSessions(mqttUrl: string, clientIds: readonly string[]): Promise<void> {
  for (const clientId of clientIds) {
    const client = await connectBroker({ url: mqttUrl, clientId, clean: true })
    await client.endAsync()
  }
}

/** Whether Redis answers; throws naming the URL when it does not. */
export async function checkRedis(url: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    throw new Error(
      `Redis at ${url} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    )
  } finally {
    await client.quit().catch(() => undefined)
  }
}

/** Deletes the live channel's kept state of these buses (`live:bus:{id}`, bus-live-state.ts). */
export async function deleteLiveState(url: string, busIds: readonly string[]): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } })
  client.on('error', () => {})
  await client.connect()
  try {
    if (busIds.length > 0) await client.del(busIds.map((busId) => `live:bus:${busId}`))
  } finally {
    await client.quit().catch(() => undefined)
  }
}
