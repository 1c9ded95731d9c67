import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { loadConfigOrExit } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform } from '../server/start-platform.js'

/**
 * The server process of the live benchmark: the whole platform as `npm start` composes it (the
 * parent sets DEMO=on, SIMULATOR_FLEET=off and a store of the run's own), plus the benchmark's
 * buses, so that the server's event loop is measured alone. It answers the parent's requests for
 * its CPU time, memory and event-loop delay over IPC.
 */
export type ServerReply =
  | {
      kind: 'ready'
      httpUrl: string
      mqttUrl: string
      busIds: string[]
      origin: { lat: number; lon: number }
    }
  | {
      kind: 'usage'
      cpuMs: number
      rssMb: number
      loopDelayP99Ms: number
      loopDelayMaxMs: number
      /** Garbage-collection pauses since the last reset: their sum and the longest. */
      gcPauseMs: number
      gcMaxPauseMs: number
    }
export type ServerRequest = { kind: 'usage'; reset: boolean } | { kind: 'stop' }

const busCount = Number(process.argv[2])
const config = loadConfigOrExit(process.env)
const platform = await startPlatform({ config, log: createLogger({ level: config.LOG_LEVEL }) })

// Registered in a town of the seeded world, so that their reports fall inside the service area.
const [town] = await platform.db.query<{ id: string; lat: number; lon: number }>(
  `SELECT id, lat, lon FROM towns ORDER BY id LIMIT 1`,
)
if (!town) throw new Error('the store holds no town to register the benchmark buses in')
const busIds = Array.from({ length: busCount }, (_, i) => `live-${String(i + 1).padStart(5, '0')}`)
await platform.db.query(
  `INSERT INTO buses (id, plate, town_id, kind, seats, operator)
   SELECT id, 'L' || id, $2, 'school_bus', 36, 'bench' FROM unnest($1::text[]) AS id`,
  [busIds, town.id],
)

const loopDelay = monitorEventLoopDelay({ resolution: 1 })
loopDelay.enable()
const gc = { pauseMs: 0, maxPauseMs: 0 }
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.pauseMs += entry.duration
    gc.maxPauseMs = Math.max(gc.maxPauseMs, entry.duration)
  }
}).observe({ entryTypes: ['gc'] })
const send = (reply: ServerReply) => process.send!(reply)

process.on('message', (request: ServerRequest) => {
  if (request.kind === 'usage') {
    const cpu = process.cpuUsage()
    send({
      kind: 'usage',
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      gcPauseMs: gc.pauseMs,
      gcMaxPauseMs: gc.maxPauseMs,
    })
    if (request.reset) {
      loopDelay.reset()
      Object.assign(gc, { pauseMs: 0, maxPauseMs: 0 })
    }
  } else {
    void platform.stop().then(() => process.exit(0))
  }
})
if (!platform.httpUrl || !platform.mqttUrl)
  throw new Error('the benchmark needs the api, live and ingest parts')
send({ kind: 'ready', httpUrl: platform.httpUrl, mqttUrl: platform.mqttUrl, busIds, origin: town })
