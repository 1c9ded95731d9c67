import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { io } from 'socket.io-client'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import type { Router } from '../../geo/routing/router.js'
import { createAccessTokens } from '../../server/core/auth/access-tokens.js'
import type { Clock } from '../../server/core/clock/clock.js'
import { fromShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { RegisterSet } from '../../server/core/registers/register-records.js'
import { connectReportPublisher } from '../../workers/simulator/mqtt-publisher.js'
import { prepareRegisterSimulations } from '../../workers/simulator/register-simulation.js'
import { runInRealTime } from '../../workers/simulator/run-in-real-time.js'
import type { SimulationSettings } from '../../workers/simulator/simulation-settings.js'
import { createBenchRun } from '../bench-run.js'
import { demoPlatformEnv } from '../demo-platform-env.js'
import { createScratchDatabase } from '../scratch-database.js'
import type { ConsolePlatformReply, ConsolePlatformRequest } from './console-platform.js'

export interface ConsoleFigures {
  /** From publishing a report to the broker to its position reaching the bureau's socket. */
  consoleP50Ms: number | null
  consoleP99Ms: number | null
  consoleMaxMs: number | null
  /** From the fix's own time (the terminal's clock) to the socket: with the mobile network's delay. */
  fixToConsoleP99Ms: number | null
  consolePositions: number
  consoleSeconds: number
  /** When the segment ran, in the platform's (Cixi) time. */
  consoleFrom: string
}

const SUBSCRIBE_RETRY_MS = 600
const SIMULATOR_TICK_MS = 100

/**
 * Position to console in real time: the platform in a process of its own, as `npm start` runs it,
 * its clock set to a school morning (`date` at `localTime`); the fleet simulated in this process on
 * the same clock and published through the broker as its terminals would, each bus on a connection
 * of its own; a socket.io client signed in as the bureau (a session of the store, as the console
 * page holds) subscribed to every bus. After a warm-up, each position the socket receives is timed
 * from when its report was published.
 */
export async function measureConsoleLatency(options: {
  registers: RegisterSet
  roads: { network: RoadNetwork; router: Router }
  settings: SimulationSettings
  date: string
  localTime: string
  seconds: number
  warmupS: number
  databaseUrl: string | undefined
  log: Logger
  say(line: string): void
}): Promise<ConsoleFigures> {
  const run = createBenchRun()
  const suffix = randomBytes(4).toString('hex')
  const secret = randomBytes(32).toString('hex')
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-oversight-console-'))
  run.onCleanup(() => fs.rm(dataDir, { recursive: true, force: true }))
  const scratch = options.databaseUrl
    ? await createScratchDatabase(options.databaseUrl, `stp_oversight_console_${suffix}`)
    : undefined
  if (scratch) run.onCleanup(() => scratch.drop())
  const offsetMs = fromShanghaiTime(options.date, options.localTime).getTime() - Date.now()
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) }
  try {
    const platform = run.startChild<ConsolePlatformReply, ConsolePlatformRequest>(
      'oversight/console-platform.ts',
      [String(offsetMs)],
      demoPlatformEnv({ dataDir, secret, name: 'oversight', suffix, databaseUrl: scratch?.url }),
    )
    const ready = await platform.next('ready', 300_000)
    options.say(`console: the platform listens at ${ready.httpUrl}`)

    const source = await prepareRegisterSimulations(
      options.registers,
      { network: options.roads.network, router: options.roads.router },
      options.settings,
    )
    const tokens = createAccessTokens({ secret, ttlS: 86_400, clock })
    const embeddedBroker = !process.env.MQTT_URL
    const publisher = await connectReportPublisher({
      mqttUrl: ready.mqttUrl,
      busIds: source.busIds,
      connection: {
        kind: 'per-bus',
        passwordFor: async (busId) =>
          embeddedBroker ? tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }) : undefined,
      },
      log: options.log,
    })
    const publishedAt = new Map<string, number>()
    const keyOf = (busId: string, tsMs: number) => `${busId}|${tsMs}`
    const simulator = await runInRealTime({
      simulationAt: source.simulationAt,
      deliver: (reports) => {
        for (const report of reports) {
          if (report.kind === 'gps') {
            const { ts } = report.payload
            publishedAt.set(keyOf(report.busId, typeof ts === 'number' ? ts : Date.parse(ts)), Date.now())
          }
          publisher.publish(report)
        }
      },
      clock,
      tickMs: SIMULATOR_TICK_MS,
      log: options.log,
    })

    const socket = io(ready.httpUrl, {
      transports: ['websocket'],
      auth: { token: ready.bureauToken },
      reconnection: false,
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', (error) =>
        reject(new Error(`the bureau could not connect: ${error.message}`)),
      )
    })
    const window = { fromMs: Infinity, toMs: -Infinity }
    const latencies: number[] = []
    const fromFix: number[] = []
    socket.on('position', (position: { busId: string; ts: string }) => {
      const receivedMs = Date.now()
      if (receivedMs < window.fromMs || receivedMs >= window.toMs) return
      const tsMs = Date.parse(position.ts)
      const published = publishedAt.get(keyOf(position.busId, tsMs))
      if (published === undefined) return
      latencies.push(receivedMs - published)
      fromFix.push(receivedMs + offsetMs - tsMs)
    })
    for (const busId of source.busIds) {
      for (;;) {
        const answer = (await socket.emitWithAck('subscribe', { busId })) as {
          ok: boolean
          error?: { code: string }
        }
        if (answer.ok) break
        if (answer.error?.code !== 'rate_limited')
          throw new Error(`the bureau could not watch ${busId}: ${JSON.stringify(answer)}`)
        await sleep(SUBSCRIBE_RETRY_MS)
      }
    }
    options.say(
      `console: the bureau watches ${source.busIds.length} buses; warming up for ${options.warmupS} s`,
    )
    await sleep(options.warmupS * 1000)
    window.fromMs = Date.now()
    window.toMs = window.fromMs + options.seconds * 1000
    const consoleFrom = clock.now().toISOString()
    options.say(`console: timing positions for ${options.seconds} s`)
    await sleep(options.seconds * 1000 + 1000)

    await simulator.stop()
    socket.close()
    await publisher.close({ flushTimeoutMs: 2000 })
    platform.expectExit()
    platform.send({ kind: 'stop' })
    await platform.exited
    const quantile = (values: number[], q: number) => {
      if (values.length === 0) return null
      const sorted = [...values].sort((a, b) => a - b)
      return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!)
    }
    return {
      consoleP50Ms: quantile(latencies, 0.5),
      consoleP99Ms: quantile(latencies, 0.99),
      consoleMaxMs: latencies.length === 0 ? null : Math.round(Math.max(...latencies)),
      fixToConsoleP99Ms: quantile(fromFix, 0.99),
      consolePositions: latencies.length,
      consoleSeconds: options.seconds,
      consoleFrom,
    }
  } finally {
    await run.finish()
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
