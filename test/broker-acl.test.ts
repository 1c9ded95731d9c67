import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse } from 'csv-parse/sync'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSessions, type Sessions } from '../server/core/auth/sessions.js'
import { rotateTerminalCredential } from '../server/core/auth/terminal-credentials.js'
import { watchEndedSessions } from '../server/core/auth/watch-ended-sessions.js'
import { terminalClientId } from '../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { ingestSubscription, telemetryTopic } from '../server/core/broker/telemetry-topics.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { writeBrokerConfig } from '../server/broker-config/write-broker-config.js'
import type { TelemetrySource } from '../server/core/broker/telemetry-source.js'
import { createMqttSubscriber } from '../workers/ingest/mqtt-subscriber.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { createTestAccess } from './support/test-platform-parts.js'
import { runsEmbedded, runsServices } from './support/test-level.js'

/**
 * Each terminal's own credential as the brokers enforce it: on Mosquitto, with the files that
 * `npm run broker:config` writes (a terminal publishes only its own bus, reads nothing, and a
 * rotated password is refused once the broker reloads), and on the embedded broker, where a
 * rotation closes the terminal's open connection.
 */
const log = createLogger({ level: 'silent' })
const clients: MqttClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)))
})

async function openScenarioStore(): Promise<Database> {
  const db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  return db
}

/** Connects once, without reconnecting: a refusal is the answer, not something to retry. */
async function connectOnce(url: string, options: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options })
  clients.push(client)
  client.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
    client.once('close', () => reject(new Error('closed before CONNACK')))
  })
  return client
}

/** Resolves when the connection closes, whatever error comes with it. */
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()))

if (runsServices)
  describe('terminal credentials on Mosquitto, with the files broker:config writes', () => {
    let db: Database
    let sessions: Sessions
    let dir: string
    let port: number
    let broker: ChildProcess
    let brokerLog = ''
    let ingest: TelemetrySource
    const received: { topic: string; payload: string }[] = []
    const url = () => `mqtt://127.0.0.1:${port}`
    const envUrl = async (file: string) =>
      (await readFile(path.join(dir, file), 'utf8')).match(/^MQTT_URL=(.+)$/m)![1]!
    const credentials = new Map<string, string>()
    const terminal = (busId: string, password = credentials.get(busId)) =>
      connectOnce(url(), {
        protocolVersion: 5,
        clientId: terminalClientId(busId),
        username: busId,
        password,
      })
    const writeConfig = (issueMissing: boolean) =>
      writeBrokerConfig({
        db,
        sessions,
        clock: systemClock,
        actor: 'test',
        dir,
        listener: { port, bind: '127.0.0.1', platformHost: '127.0.0.1' },
        issueMissing,
        brokerUser: { name: os.userInfo().username, uid: os.userInfo().uid, gid: os.userInfo().gid },
      })

    beforeAll(async () => {
      const binary = mosquittoBinary()
      db = await openScenarioStore()
      sessions = createSessions({ db, clock: systemClock })
      dir = await mkdtemp(path.join(os.tmpdir(), 'broker-acl-'))
      port = await freePort()
      const summary = await writeConfig(true)
      expect(summary).toMatchObject({ terminals: 2, issued: 2 })
      const rows = parse(await readFile(path.join(dir, 'terminals.csv'), 'utf8'), {
        columns: true,
      }) as Record<string, string>[]
      for (const row of rows) credentials.set(row.username!, row.password!)

      broker = spawn(binary, ['-c', path.join(dir, 'mosquitto.conf')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      broker.stderr!.on('data', (chunk: Buffer) => (brokerLog += chunk.toString()))
      await waitForPort(port, broker, () => brokerLog)

      // The ingest as the platform runs it on a real broker: its user's MQTT_URL, shared subscriptions.
      ingest = createMqttSubscriber({
        url: await envUrl('platform.env'),
        clientId: 'ingest-test',
        topics: [
          ingestSubscription('gps', { shareGroup: 'ingest' }),
          ingestSubscription('limiter', { shareGroup: 'ingest' }),
        ],
        protocolVersion: 5,
        onMessage: (message) => {
          received.push({ topic: message.topic, payload: message.payload.toString() })
          message.ack()
        },
        log,
      })
      await ingest.start()
    })
    afterAll(async () => {
      await ingest?.close()
      if (broker && broker.exitCode === null) {
        const exited = new Promise((resolve) => broker.once('exit', resolve))
        broker.kill('SIGTERM')
        await exited
      }
      await db?.close()
      if (dir) await rm(dir, { recursive: true, force: true })
    })

    it('takes a terminal’s telemetry on its own bus’s topics, and the ingest receives it', async () => {
      const b1 = await terminal('B1')
      await b1.publishAsync(telemetryTopic('B1', 'gps'), '{"seq":1}', { qos: 1 })
      await expect.poll(() => received).toContainEqual({ topic: 'bus/B1/gps', payload: '{"seq":1}' })
    })

    it('refuses a terminal’s publication on another bus’s topic', async () => {
      const b1 = await terminal('B1')
      const refused = await b1.publishAsync(telemetryTopic('B2', 'gps'), '{"forged":true}', { qos: 1 }).then(
        () => undefined,
        (error: { code?: number }) => error,
      )
      expect(refused?.code).toBeGreaterThanOrEqual(0x80)
      // Published after it on the same connection: once this arrives, the refused one never will.
      await b1.publishAsync(telemetryTopic('B1', 'gps'), '{"seq":2}', { qos: 1 })
      await expect.poll(() => received).toContainEqual({ topic: 'bus/B1/gps', payload: '{"seq":2}' })
      expect(received.filter((m) => m.topic === 'bus/B2/gps')).toEqual([])
    })

    it('delivers nothing to a terminal that subscribes, while the simulator publishes for any bus', async () => {
      const b1 = await terminal('B1')
      const heard: string[] = []
      b1.on('message', (topic) => heard.push(topic))
      // Mosquitto's ACL file lets any SUBSCRIBE through: a terminal's read is refused at delivery.
      const granted = await b1.subscribeAsync(['bus/#', 'bus/B1/gps', '$share/ingest/bus/+/gps'], { qos: 1 })
      expect(granted).toHaveLength(3)

      const simulator = await connectBroker({
        url: await envUrl('simulator.env'),
        clientId: terminalClientId('B2'),
        protocolVersion: 5,
      })
      clients.push(simulator)
      await simulator.publishAsync(telemetryTopic('B2', 'gps'), '{"simulated":true}', { qos: 1 })
      await b1.publishAsync(telemetryTopic('B1', 'limiter'), '{"state":"active"}', { qos: 1 })
      await expect.poll(() => received).toContainEqual({ topic: 'bus/B2/gps', payload: '{"simulated":true}' })
      await expect
        .poll(() => received)
        .toContainEqual({ topic: 'bus/B1/limiter', payload: '{"state":"active"}' })
      await sleep(300)
      expect(heard).toEqual([])

      // The ingest only reads.
      const ingestAsPublisher = await connectOnce(await envUrl('platform.env'), {
        protocolVersion: 5,
        clientId: 'ingest-publisher-test',
      })
      await expect(
        ingestAsPublisher.publishAsync(telemetryTopic('B1', 'gps'), '{"forged":true}', { qos: 1 }),
      ).rejects.toMatchObject({ code: 0x87 })
    })

    it('refuses a wrong password and an anonymous client at CONNECT', async () => {
      await expect(terminal('B1', `${credentials.get('B1')}x`)).rejects.toMatchObject({ code: 0x87 })
      await expect(terminal('B1', credentials.get('B2'))).rejects.toMatchObject({ code: 0x87 })
      await expect(
        connectOnce(url(), { protocolVersion: 5, clientId: terminalClientId('B1') }),
      ).rejects.toMatchObject({ code: 0x87 })
    })

    it('refuses the old password once the rotation is written and the broker reloads', async () => {
      const old = await terminal('B1')
      const dropped = closed(old)
      const rotated = await rotateTerminalCredential({ sessions, db, busId: 'B1', actor: 'test' })
      const summary = await writeConfig(false)
      expect(summary).toMatchObject({ terminals: 2, issued: 0, newPlatformPasswords: false })
      broker.kill('SIGHUP')

      // Mosquitto drops a connection whose password no longer matches when it reloads.
      await dropped
      await expect.poll(() => brokerLog, { timeout: 5000 }).toContain('Reloading config')
      await expect(terminal('B1')).rejects.toMatchObject({ code: 0x87 })
      const renewed = await terminal('B1', rotated.password)
      await renewed.publishAsync(telemetryTopic('B1', 'gps'), '{"seq":3}', { qos: 1 })
      // The ingest kept its password, and its connection, across the reload.
      await expect.poll(() => received).toContainEqual({ topic: 'bus/B1/gps', payload: '{"seq":3}' })
      expect(ingest.isConnected()).toBe(true)
    })
  })

if (runsEmbedded)
  describe('terminal credentials on the embedded broker', () => {
    let db: Database
    let broker: EmbeddedBroker
    let watcher: { stop(): void }
    beforeAll(async () => {
      db = await openScenarioStore()
    })
    afterAll(async () => {
      watcher?.stop()
      await broker?.close()
      await db?.close()
    })

    it('closes a rotated credential’s open connection within seconds, and refuses its password after', async () => {
      const { tokens, sessions } = createTestAccess(db, systemClock)
      broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log, clock: systemClock })
      watcher = watchEndedSessions({ sessions, holders: () => [broker], log, intervalMs: 200 })
      const first = await rotateTerminalCredential({ sessions, db, busId: 'B1', actor: 'test' })
      const connect = (password: string) =>
        connectOnce(broker.url, {
          protocolVersion: 4,
          clientId: terminalClientId('B1'),
          username: terminalClientId('B1'),
          password,
        })

      const service = await connectOnce(broker.url, {
        protocolVersion: 4,
        clientId: 'ingest-test',
        username: 'ingest-test',
        password: await tokens.issue({ role: 'service', sub: 'ingest-test' }),
      })
      const heard: string[] = []
      service.on('message', (_topic, payload) => heard.push(payload.toString()))
      await service.subscribeAsync('bus/+/gps', { qos: 1 })
      const terminal = await connect(first.password)
      await terminal.publishAsync(telemetryTopic('B1', 'gps'), '{"seq":1}', { qos: 1 })
      await expect.poll(() => heard).toEqual(['{"seq":1}'])

      let dropped = false
      void closed(terminal).then(() => (dropped = true))
      const second = await rotateTerminalCredential({ sessions, db, busId: 'B1', actor: 'test' })
      await expect.poll(() => dropped, { timeout: 5000 }).toBe(true)

      await expect(connect(first.password)).rejects.toThrow(/Bad username or password/)
      const renewed = await connect(second.password)
      await renewed.publishAsync(telemetryTopic('B1', 'gps'), '{"seq":2}', { qos: 1 })
      await expect.poll(() => heard).toEqual(['{"seq":1}', '{"seq":2}'])
    })
  })

/**
 * The broker the configuration is written for. At the services level it must be there (CI
 * installs it): a missing one fails the run rather than leaving the configuration untested.
 */
function mosquittoBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']
  const found = dirs
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, 'mosquitto'))
    .find((file) => existsSync(file))
  if (!found) {
    throw new Error(
      'mosquitto is not installed (apt-get install mosquitto): the broker configuration is tested on it',
    )
  }
  return found
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}):\n${output()}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await sleep(100)
  }
  throw new Error(`mosquitto did not listen on port ${port}:\n${output()}`)
}
