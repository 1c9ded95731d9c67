import { randomUUID } from 'node:crypto'
import { brokerClientId } from '../../server/core/broker/broker-client-ids.js'
import { startEmbeddedBroker } from '../../server/core/broker/embedded-broker.js'
import type { AccessTokens } from '../../server/core/auth/access-tokens.js'
import type { Principal } from '../../server/core/auth/principal.js'
import { createLogger } from '../../server/core/log/logger.js'
import { embeddedStore, postgresStore, type StoreBackend } from './store-backends.js'
import { runsEmbedded } from './test-level.js'
import { testServiceUrl } from './test-service-url.js'

export interface TestBroker {
  url: string
  /** The MQTT password a client with this role uses; undefined where the broker takes anonymous clients. */
  passwordFor(principal: Principal): Promise<string | undefined>
  /**
   * The client id to connect as: the one the embedded broker binds to the credential; on a shared
   * real broker, one unique to this run, so that test files running at once, with the same bus
   * ids, do not take over each other's connections.
   */
  clientIdFor(principal: Principal): string
  close(): Promise<void>
}

export interface BrokerBackend {
  name: string
  /** Honours `$share/GROUP/TOPIC` subscriptions (aedes does not). */
  sharedSubscriptions: boolean
  /** Refuses clients and topics by access token, as the embedded broker does. */
  checksTokens: boolean
  start(tokens: AccessTokens): Promise<TestBroker>
}

export const embeddedBroker: BrokerBackend = {
  name: 'embedded aedes',
  sharedSubscriptions: false,
  checksTokens: true,
  async start(tokens) {
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      tokens,
      log: createLogger({ level: 'silent' }),
    })
    return {
      url: broker.url,
      passwordFor: (principal) => tokens.issue(principal),
      clientIdFor: (principal) => boundClientId(principal),
      close: () => broker.close(),
    }
  },
}

/** A real broker whose access control is its operator's (the machine's Mosquitto takes anonymous clients). */
export function externalBroker(url: string): BrokerBackend {
  return {
    name: `MQTT broker at ${new URL(url).host}`,
    sharedSubscriptions: true,
    checksTokens: false,
    async start() {
      const runId = randomUUID().slice(0, 8)
      return {
        url,
        passwordFor: async () => undefined,
        clientIdFor: (principal) => `${boundClientId(principal)}-${runId}`,
        close: async () => {},
      }
    },
  }
}

/** The embedded broker, and the machine's broker when TEST_MQTT_URL names it, as the level runs them. */
export function brokerBackends(): BrokerBackend[] {
  const url = testServiceUrl('TEST_MQTT_URL')
  return [...(runsEmbedded ? [embeddedBroker] : []), ...(url ? [externalBroker(url)] : [])]
}

/**
 * What telemetry goes through end to end: the embedded broker into the embedded store, and the
 * machine's broker into its PostgreSQL when both are configured, as the level runs them.
 */
export function telemetryBackends(): { name: string; broker: BrokerBackend; store: StoreBackend }[] {
  const brokerUrl = testServiceUrl('TEST_MQTT_URL')
  const databaseUrl = testServiceUrl('TEST_DATABASE_URL')
  const pairs = [
    ...(runsEmbedded ? [{ broker: embeddedBroker, store: embeddedStore }] : []),
    ...(brokerUrl && databaseUrl
      ? [{ broker: externalBroker(brokerUrl), store: postgresStore(databaseUrl) }]
      : []),
  ]
  return pairs.map((pair) => ({ ...pair, name: `${pair.broker.name} into ${pair.store.name}` }))
}

function boundClientId(principal: Principal): string {
  const clientId = brokerClientId(principal)
  if (clientId === undefined) throw new Error(`a ${principal.role} does not connect to the broker`)
  return clientId
}
