import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { io as connectSocket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { writeTelemetryBatch } from '../workers/ingest/write-telemetry-batch.js'

/**
 * One process runs the parts PARTS names and no other: what it serves, whether it has a broker, and
 * what DEMO seeds. Each platform runs on the embedded store (a data folder of its own) and, where it
 * needs one, the embedded broker.
 */
const folders: string[] = []
const running: Platform[] = []
let warnings: string[] = []
const log = createLogger({ level: 'warn', write: (line) => warnings.push(line) })

beforeAll(() => {
  warnings = []
})
afterAll(async () => {
  await Promise.all(running.map((platform) => platform.stop()))
  await Promise.all(folders.map((folder) => fs.rm(folder, { recursive: true, force: true })))
})

async function start(env: Record<string, string>, dataDir?: string) {
  if (!dataDir) folders.push((dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-parts-'))))
  const platform = await startPlatform({
    config: loadConfig({ DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', JT808_PORT: '0', ...env }),
    log,
  })
  running.push(platform)
  return { platform, dataDir }
}

async function stop(platform: Platform) {
  running.splice(running.indexOf(platform), 1)
  await platform.stop()
}

async function connectBureau(platform: Platform) {
  const socket = connectSocket(platform.httpUrl!, {
    auth: { token: await platform.tokens.issue({ role: 'bureau', sub: 'bureau-1' }) },
    transports: ['websocket'],
    reconnection: false,
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  return socket
}

const countOf = async (platform: Platform, table: string) =>
  (await platform.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n

describe('a process with PARTS=api and DEMO=off on an empty store', () => {
  let platform: Platform
  let dataDir: string

  it('seeds nothing, has no broker, and answers /health and the API', async () => {
    ;({ platform, dataDir } = await start({ PARTS: 'api', DEMO: 'off' }))
    expect(platform.parts).toEqual(['api'])
    expect(platform.demo).toBe(false)
    expect(platform.mqttUrl).toBeUndefined()
    expect(await countOf(platform, 'buses')).toBe(0)
    expect(await countOf(platform, 'pupils')).toBe(0)

    const health = await fetch(`${platform.httpUrl}/health`)
    expect(health.status).toBe(200)
    const report = (await health.json()) as { parts: Record<string, { detail?: string }> }
    // No ingest here, so no broker or ingest to report on.
    expect(Object.keys(report.parts).sort()).toEqual(['database', 'live', 'router'])
    expect(report.parts.live?.detail).toContain('not pushed')
    expect(warnings.join('\n')).toContain('events and alarms are stored, but not pushed to browsers')

    const token = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-1' })
    const call = (method: string, route: string, body?: unknown) =>
      fetch(`${platform.httpUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    expect(await (await call('GET', '/api/buses')).json()).toEqual({ buses: [] })
    expect(await (await call('GET', '/api/ingest/stats')).json()).toMatchObject({ process: null })
    const plan = await call('POST', '/api/plans', { name: 'no planner here' })
    expect(plan.status).toBe(503)
    // No live part: no socket.io on this server.
    expect((await fetch(`${platform.httpUrl}/socket.io/?EIO=4&transport=polling`)).status).toBe(404)
    await stop(platform)
  })

  it('then, as PARTS=live on the same store, serves the live channel and /health, but no API', async () => {
    const live = (await start({ PARTS: 'live', DEMO: 'off' }, dataDir)).platform
    expect(live.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(live.mqttUrl).toBeUndefined()
    expect((await fetch(`${live.httpUrl}/health`)).status).toBe(200)
    expect((await fetch(`${live.httpUrl}/api/me`)).status).toBe(404)
    const socket = await connectBureau(live)
    socket.disconnect()
    await stop(live)
  })
})

describe('a process with PARTS=ingest', () => {
  let ingestDataDir: string

  it('serves no HTTP, hosts the embedded broker and stores what a bus reports', async () => {
    const { platform, dataDir } = await start({ PARTS: 'ingest' })
    expect(platform.httpUrl).toBeUndefined()
    expect(platform.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    // DEMO is on by default with the embedded store: the Cixi world, but no simulator (not in PARTS).
    expect(platform.demo).toBe(true)
    expect(await countOf(platform, 'buses')).toBe(36)

    const [depot] = await platform.db.query<{ lat: number; lon: number }>(
      `SELECT depot_lat AS lat, depot_lon AS lon FROM buses WHERE id = 'bus-01'`,
    )
    const device = await connectBroker({
      url: platform.mqttUrl!,
      clientId: 'terminal-bus-01',
      password: await platform.tokens.issue({ role: 'device', sub: 'terminal-bus-01', busId: 'bus-01' }),
    })
    const ts = new Date(Date.now() - 1000).toISOString()
    await device.publishAsync(
      'bus/bus-01/gps',
      JSON.stringify({ ts, lat: depot!.lat, lon: depot!.lon, speedKmh: 12 }),
      { qos: 1 },
    )
    await device.endAsync()
    await expect
      .poll(() => platform.db.query(`SELECT bus_id FROM positions WHERE ts = $1`, [ts]), { timeout: 10_000 })
      .toEqual([{ bus_id: 'bus-01' }])
    // Nothing simulated: the only report stored is the one sent.
    expect(await countOf(platform, 'positions')).toBe(1)
    await stop(platform)
    ingestDataDir = dataDir
  })

  it('then, as PARTS=live on the same store, pushes what another process stores to the bus’s watchers', async () => {
    const live = (await start({ PARTS: 'live' }, ingestDataDir)).platform
    const socket = await connectBureau(live)
    expect(await socket.emitWithAck('subscribe', { busId: 'bus-01' })).toEqual({ ok: true })
    const received: { ts: string }[] = []
    socket.on('position', (position: { ts: string }) => received.push(position))
    // Stored as an ingest in another process stores it: this process has no ingest to hear from.
    const ts = new Date(Date.now() - 500)
    await live.db.transaction((tx) =>
      writeTelemetryBatch(
        tx,
        {
          positions: [
            {
              busId: 'bus-01',
              ts,
              lat: 30.2,
              lon: 121.3,
              speedKmh: 20,
              headingDeg: null,
              altM: null,
              accuracyM: null,
              ignition: true,
              seq: null,
            },
          ],
          limiterStates: [],
          deadLetters: [],
        },
        new Date(),
      ),
    )
    await expect.poll(() => received.map((p) => p.ts), { timeout: 15_000 }).toContain(ts.toISOString())
    socket.disconnect()
    await stop(live)
  })
})
