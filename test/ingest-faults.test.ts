import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import {
  brokerBackends,
  embeddedBroker,
  type BrokerBackend,
  type TestBroker,
} from './support/broker-backends.js'
import { postgresStore } from './support/store-backends.js'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js'
import { testSecret } from './support/test-platform-parts.js'
import { runsEmbedded } from './support/test-level.js'
import { testServiceUrl } from './support/test-service-url.js'

const root = path.resolve(import.meta.dirname, '..')
const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const cleanups: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
})

interface WorkerStats {
  received: number
  backlog: number
}

interface WorkerProcess {
  child: ChildProcess
  exited: Promise<number | null>
  /** The last stats line the worker printed, or what it printed so far when it has none yet. */
  progress(): WorkerStats | string
  output(): string
}

/** `npm run worker:ingest` as a separate process, so it can be killed outright. */
function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/ingest/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', TOKEN_SECRET: testSecret, INGEST_STATS_INTERVAL_S: '0.2', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let last: WorkerStats | undefined
  let pending = ''
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
    const lines = (pending + chunk.toString()).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const stats = / stats (\{.*\})$/.exec(line)
      if (stats) last = JSON.parse(stats[1]!) as WorkerStats
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  cleanups.push(async () => child.kill('SIGKILL'))
  return { child, exited, progress: () => last ?? output, output: () => output }
}

const received = (worker: WorkerProcess) => {
  const progress = worker.progress()
  return typeof progress === 'string' ? 0 : progress.received
}

async function waitForStats(worker: WorkerProcess) {
  await expect.poll(() => worker.progress(), { timeout: 30_000 }).toHaveProperty('received')
}

/** Publishes `count` reports for each of two buses; returns the keys the broker acknowledged. */
async function publishStream(broker: TestBroker, count: number): Promise<string[]> {
  const accepted: string[] = []
  const start = Date.now() - 3600_000
  await Promise.all(
    ['B1', 'B2'].map(async (busId, b) => {
      const terminal = { role: 'device', sub: busId, busId } as const
      const device = await connectBroker({
        url: broker.url,
        clientId: broker.clientIdFor(terminal),
        password: await broker.passwordFor(terminal),
      })
      for (let seq = 0; seq < count; seq++) {
        const ts = new Date(start + seq * 1000).toISOString()
        const report = { ts, lat: 30.18 + b * 0.005 + seq * 2e-6, lon: 121.39, speedKmh: 25, seq }
        await device.publishAsync(`bus/${busId}/gps`, JSON.stringify(report), { qos: 1 })
        accepted.push(`${busId}:${seq}`)
        if (seq % 50 === 0) await sleep(20)
      }
      await device.endAsync()
    }),
  )
  return accepted
}

async function storedKeys(db: Database) {
  const rows = await db.query<{ key: string; n: number }>(
    `SELECT bus_id || ':' || seq AS key, count(*)::int AS n FROM positions WHERE seq IS NOT NULL GROUP BY 1`,
  )
  return { keys: rows.map((r) => r.key).sort(), duplicated: rows.filter((r) => r.n > 1).map((r) => r.key) }
}

/** Where the worker's database lives, and how the test reaches it before and after. */
interface FaultStore {
  env: Record<string, string>
  /** Takes the database away from the worker for a while, when it is a server. */
  proxy?: TcpProxy
  /** The test's own connection; the embedded store can only be opened while the worker is not running. */
  open(): Promise<{ db: Database; release(): Promise<void> }>
}

async function serverStore(adminUrl: string): Promise<FaultStore> {
  const store = await postgresStore(adminUrl).open()
  cleanups.push(() => store.dispose())
  const target = new URL(store.url!)
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  cleanups.push(() => proxy.close())
  const viaProxy = new URL(store.url!)
  viaProxy.port = String(proxy.port)
  return {
    env: { DATABASE_URL: viaProxy.toString() },
    proxy,
    open: async () => ({ db: store.db, release: async () => {} }),
  }
}

async function embeddedStore(): Promise<FaultStore> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-fault-'))
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }))
  return {
    env: { DATA_DIR: dataDir },
    async open() {
      const db = await openPgliteDatabase({ dataDir: path.join(dataDir, 'pgdata') })
      return { db, release: () => db.close() }
    },
  }
}

const variants: { name: string; broker: BrokerBackend; store(): Promise<FaultStore> }[] = runsEmbedded
  ? [{ name: 'the embedded broker and store', broker: embeddedBroker, store: embeddedStore }]
  : []
const databaseUrl = testServiceUrl('TEST_DATABASE_URL')
const realBroker = brokerBackends().find((backend) => backend !== embeddedBroker)
if (databaseUrl && realBroker) {
  variants.push({
    name: 'the MQTT broker and PostgreSQL server',
    broker: realBroker,
    store: () => serverStore(databaseUrl),
  })
}

describe.each(variants)('ingest faults on $name', ({ broker: brokerBackend, store: makeStore }) => {
  it(
    'stores every accepted report exactly once across a SIGKILL and a database outage',
    { timeout: 180_000 },
    async () => {
      const broker = await brokerBackend.start(tokens)
      cleanups.push(() => broker.close())
      const store = await makeStore()
      const clientId = `ingest-fault-${randomUUID().slice(0, 8)}`
      const env: Record<string, string> = {
        ...store.env,
        INGEST_CLIENT_ID: clientId,
        INGEST_SHARE_GROUP: `fault-${randomUUID().slice(0, 8)}`,
        // A worker joins the embedded broker of a running platform by its port, signing its own token.
        ...(brokerBackend.checksTokens ? { MQTT_PORT: new URL(broker.url).port } : { MQTT_URL: broker.url }),
      }
      const setup = await store.open()
      await migrateDatabase(setup.db)
      await loadTwoSchoolsTwoBuses(setup.db)
      await setup.release()

      let worker = spawnWorker(env)
      await waitForStats(worker)
      const stream = publishStream(broker, 1500)

      await expect.poll(() => received(worker), { timeout: 30_000 }).toBeGreaterThan(400)
      worker.child.kill('SIGKILL')
      await worker.exited
      await sleep(1000)
      worker = spawnWorker(env)
      await waitForStats(worker)

      if (store.proxy) {
        await expect.poll(() => received(worker), { timeout: 30_000 }).toBeGreaterThan(200)
        await store.proxy.cut()
        await sleep(5000)
        await store.proxy.restore()
      }
      const accepted = await stream
      // Everything the broker holds reaches the worker and is stored: the backlog drains and stays empty.
      let settled = 0
      await expect
        .poll(
          () => {
            const progress = worker.progress()
            settled = typeof progress !== 'string' && progress.backlog === 0 ? settled + 1 : 0
            // Until it settles, the worker's own words say why: its counters or its last lines.
            return settled >= 8 ? 'settled' : { progress, output: worker.output().slice(-1500) }
          },
          { timeout: 60_000, interval: 250 },
        )
        .toBe('settled')
      worker.child.kill('SIGTERM')
      expect(await worker.exited).toBe(0)

      const check = await store.open()
      const stored = await storedKeys(check.db)
      await check.release()
      expect(stored.duplicated).toEqual([])
      expect(stored.keys).toEqual([...accepted].sort())
    },
  )
})
