import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { createGraphRouter, type GraphRouter } from '../geo/routing/graph-router.js'
import { createAuditLog } from '../server/core/auth/audit-log.js'
import { rotateTerminalCredential } from '../server/core/auth/terminal-credentials.js'
import type { Clock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { decodeAuthenticate } from '../server/core/jt808/decode-authenticate.js'
import { decodeFrame, type Jt808Header } from '../server/core/jt808/decode-frame.js'
import { decodeLocation } from '../server/core/jt808/decode-location.js'
import { encodeFrame } from '../server/core/jt808/encode-frame.js'
import { encodeGeneralReply, encodeRegisterReply } from '../server/core/jt808/encode-replies.js'
import { createFrameSplitter } from '../server/core/jt808/frame-splitter.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import { createLogger } from '../server/core/log/logger.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import type { RegisterSet } from '../server/core/registers/register-records.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { installSimulatedTerminalCodes } from '../workers/simulator/install-terminal-codes.js'
import { connectJt808Publisher, toJt808Location } from '../workers/simulator/jt808-publisher.js'
import { startJt808Terminal } from '../workers/simulator/jt808-terminal.js'
import { prepareRegisterSimulations, simulatedRegisters } from '../workers/simulator/register-simulation.js'
import { runInRealTime } from '../workers/simulator/run-in-real-time.js'
import type { GpsReport, SimulatedReport } from '../workers/simulator/simulated-report.js'
import { resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'

/**
 * The simulated fleet as JT/T 808 terminals: the platform runs in this process on the embedded
 * store with its gateway; the buses of the seeded Cixi world drive a few minutes of a school
 * morning, faster than real time, and every position reaches the store through the gateway once,
 * those a terminal kept in a coverage hole included.
 */
const log = createLogger({ level: 'silent' })
const SPEED = 12
let dataDir: string
let world: CixiWorld
let router: GraphRouter

/** Stands at `atMs` until started, then runs SPEED times faster than real time. */
function createRunningClock(atMs: number): Clock & { run(): void } {
  let startedAt: number | undefined
  return {
    now: () => new Date(atMs + (startedAt === undefined ? 0 : (Date.now() - startedAt) * SPEED)),
    run: () => void (startedAt ??= Date.now()),
  }
}

async function startGatewayPlatform(parts: string, clock: Clock, env: Record<string, string> = {}) {
  return startPlatform({
    config: loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      JT808_PORT: '0',
      HOST: '127.0.0.1',
      DEMO: 'on',
      PARTS: parts,
      LOG_LEVEL: 'silent',
      ...env,
    }),
    log,
    clock,
  })
}

const secondOf = (ts: string | number) => Math.floor((typeof ts === 'number' ? ts : Date.parse(ts)) / 1000)

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-sim-jt808-'))
  world = await loadCixiWorld()
  router = createGraphRouter(world.roads)
})
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true })
})

describe('the simulated fleet over JT/T 808', () => {
  // Two and a half simulated minutes of 36 buses take some 15 s; a busy machine may need several times that.
  it('registers or authenticates each terminal and stores every position once, late batches too', async () => {
    const startMs = Date.parse('2026-03-02T07:20:00+08:00')
    const clock = createRunningClock(startMs)
    const platform: Platform = await startGatewayPlatform('jt808', clock)
    try {
      const registers: RegisterSet = await readRegisters(platform.db, { registers: simulatedRegisters })
      const buses = registers.buses.map((bus) => ({
        busId: bus.code,
        terminalNo: bus.terminalNo!,
        plate: bus.plate,
      }))
      expect(buses.every((bus) => bus.terminalNo)).toBe(true)
      // Half the fleet had a credential installed already: the simulator installs a new one for
      // those; the other half register.
      const installed = buses.filter((_, i) => i % 2 === 0).map((bus) => bus.busId)
      for (const busId of installed) {
        await rotateTerminalCredential({
          sessions: platform.tokens.sessions,
          db: platform.db,
          busId,
          actor: 'test',
        })
      }
      const codes = await installSimulatedTerminalCodes({
        db: platform.db,
        sessions: platform.tokens.sessions,
        audit: createAuditLog({ db: platform.db, clock }),
        clock,
        busIds: buses.map((bus) => bus.busId),
      })
      expect([...codes.keys()].sort()).toEqual([...installed].sort())

      const port = Number(platform.jt808Url!.split(':').pop())
      const publisher = connectJt808Publisher({
        host: '127.0.0.1',
        port,
        buses,
        authCodeFor: (busId) => codes.get(busId),
        timing: { replyTimeoutMs: 5000, backoff: { minMs: 200, maxMs: 2000 } },
        log,
      })
      // Holes every two kilometres of road, and every terminal keeps what it could not send.
      const settings = resolveSimulationSettings({
        faults: {
          coverageHoleEveryKm: 2,
          coverageHoleRadiusM: [100, 250],
          bufferingTerminalShare: 1,
          duplicateShare: 0.01,
          lateShare: 0,
        },
      })
      const simulations = await prepareRegisterSimulations(
        registers,
        { network: world.roads, router, graph: router.graph },
        settings,
      )
      const sent: SimulatedReport[] = []
      clock.run()
      const run = await runInRealTime({
        simulationAt: simulations.simulationAt,
        deliver: (reports) => {
          sent.push(...reports)
          publisher.deliver(reports)
        },
        clock,
        tickMs: 100,
        log,
      })
      const untilMs = startMs + 150_000
      while (clock.now().getTime() < untilMs) await new Promise((resolve) => setTimeout(resolve, 100))
      await run.stop()
      await publisher.drain()
      const stats = publisher.stats()
      await publisher.close()

      const gps = sent.filter(
        (r): r is SimulatedReport & { kind: 'gps'; payload: GpsReport } => r.kind === 'gps',
      )
      const expected = new Set(gps.map((r) => `${r.busId} ${secondOf(r.payload.ts)}`))
      const held = gps.filter((r) => r.held)
      expect(new Set(gps.map((r) => r.busId)).size).toBeGreaterThan(20)
      expect(held.length).toBeGreaterThan(20)
      expect(held.length).toBeLessThan(gps.length / 2)
      // Each hole's positions went together, as 0x0704 type 1, in fewer frames than positions.
      expect(stats.lateBatches).toBeGreaterThan(0)
      expect(stats.lateBatches).toBeLessThan(held.length / 3)
      expect(stats).toMatchObject({ failed: 0, queued: 0 })
      expect(stats.acknowledged).toBe(gps.length)
      expect(stats.skipped).toBe(sent.length - gps.length)

      const rows = await platform.db.query<{ bus_id: string; second: number; n: number }>(
        `SELECT bus_id, extract(epoch FROM ts)::bigint AS second, count(*)::int AS n
           FROM positions GROUP BY bus_id, ts`,
      )
      expect(rows.filter((row) => row.n !== 1)).toEqual([])
      const stored = new Set(rows.map((row) => `${row.bus_id} ${Number(row.second)}`))
      expect([...expected].filter((key) => !stored.has(key))).toEqual([])
      expect([...stored].filter((key) => !expected.has(key))).toEqual([])
      expect(held.every((r) => stored.has(`${r.busId} ${secondOf(r.payload.ts)}`))).toBe(true)
      const [deadLetters] = await platform.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM dead_letters',
      )
      expect(deadLetters!.n).toBe(0)
    } finally {
      await platform.stop()
    }
  }, 120_000)

  it('runs as the platform’s simulator part with SIMULATOR_PROTOCOL=jt808', async () => {
    // The store of the run above: every bus has a credential now, which the part installs anew.
    const startMs = Date.parse('2026-03-02T07:30:00+08:00')
    const clock = createRunningClock(startMs)
    clock.run()
    const platform = await startGatewayPlatform('jt808,simulator', clock, { SIMULATOR_PROTOCOL: 'jt808' })
    try {
      const deadline = Date.now() + 30_000
      let reporting = 0
      while (reporting <= 30 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        const [row] = await platform.db.query<{ n: number }>(
          'SELECT count(DISTINCT bus_id)::int AS n FROM positions WHERE ts >= $1',
          [new Date(startMs)],
        )
        reporting = row!.n
      }
      expect(reporting).toBeGreaterThan(30)
      const [rotated] = await platform.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE actor = 'simulator' AND action = 'credential_rotated'`,
      )
      // 36 here, and the 18 installed by the run above.
      expect(rotated!.n).toBe(36 + 18)
    } finally {
      await platform.stop()
    }
  })
})

/**
 * A platform that follows a script: `answer` says, for each frame a terminal sends, whether to
 * answer it; every frame is recorded with the connection it came on.
 */
async function startScriptedPlatform(
  answer: (frame: { header: Jt808Header; body: Buffer; connection: number }) => boolean,
) {
  const frames: { header: Jt808Header; body: Buffer; connection: number }[] = []
  const sockets: net.Socket[] = []
  const server = net.createServer((socket) => {
    const connection = sockets.push(socket)
    const splitter = createFrameSplitter({ maxFrameBytes: 4096 })
    let serial = 0
    const send = (to: Jt808Header, messageId: number, body: Buffer) =>
      socket.write(
        encodeFrame({ messageId, terminalNumber: to.terminalNumber, serial: serial++, version: 2013 }, body),
      )
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      for (const item of splitter.push(chunk)) {
        if (item.kind !== 'frame') continue
        const decoded = decodeFrame(item.bytes)
        if (!decoded.ok) continue
        const frame = { header: decoded.header, body: decoded.body, connection }
        frames.push(frame)
        if (!answer(frame)) continue
        const { header } = decoded
        if (header.messageId === ids.register) {
          send(
            header,
            ids.registerReply,
            encodeRegisterReply({ replySerial: header.serial, result: 0, authCode: 'code-1' }),
          )
        } else {
          send(
            header,
            ids.platformGeneralReply,
            encodeGeneralReply({ replySerial: header.serial, replyId: header.messageId, result: 0 }),
          )
        }
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    frames,
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resolve())
      }),
  }
}

const fixAt = (second: number) =>
  toJt808Location({
    ts: Date.parse('2026-03-02T07:15:00+08:00') + second * 1000,
    lat: 30.172,
    lon: 121.2618,
    speedKmh: 30,
    headingDeg: 90,
    altM: 5,
    accuracyM: 5,
    ignition: true,
    seq: second,
  })

describe('a simulated JT/T 808 terminal', () => {
  it('registers once, sends an unanswered frame again with its serial, and reconnects with its code', async () => {
    let droppedOnce = false
    const platform = await startScriptedPlatform(({ header }) => {
      if (header.messageId !== ids.location || droppedOnce) return true
      droppedOnce = true
      return false
    })
    const codes: string[] = []
    const terminal = startJt808Terminal({
      host: '127.0.0.1',
      port: platform.port,
      terminalNumber: '010040000001',
      registration: {
        provinceId: 33,
        cityId: 282,
        makerId: 'STPSM',
        model: 'M',
        terminalId: '0000001',
        plateColor: 2,
        plate: '浙B·X0001',
      },
      onAuthCode: (code) => codes.push(code),
      timing: { replyTimeoutMs: 200, heartbeatIntervalMs: 60_000, backoff: { minMs: 50, maxMs: 100 } },
      log,
    })
    try {
      expect(await terminal.sendLocation(fixAt(0))).toBe(true)
      const locations = platform.frames.filter((f) => f.header.messageId === ids.location)
      expect(locations).toHaveLength(2)
      expect(locations[1]!.header.serial).toBe(locations[0]!.header.serial)
      expect(decodeLocation(locations[1]!.body).at).toEqual(fixAt(0).at)
      expect(codes).toEqual(['code-1'])

      platform.dropConnections()
      expect(await terminal.sendLateLocations([fixAt(1), fixAt(2)])).toBe(true)
      const second = platform.frames.filter((f) => f.connection === 2)
      expect(second.map((f) => f.header.messageId)).toEqual([ids.authenticate, ids.locationBatch])
      expect(decodeAuthenticate(second[0]!.body).authCode).toBe('code-1')
      expect(platform.frames.filter((f) => f.header.messageId === ids.register)).toHaveLength(1)
      expect(terminal.stats()).toMatchObject({
        sent: 2,
        acknowledged: 2,
        resent: 1,
        reconnects: 1,
        lateBatches: 1,
        pending: 0,
      })
    } finally {
      await terminal.close()
      await platform.close()
    }
  })

  it('sends a heartbeat when it has been quiet for the interval', async () => {
    const platform = await startScriptedPlatform(() => true)
    const terminal = startJt808Terminal({
      host: '127.0.0.1',
      port: platform.port,
      terminalNumber: '010040000002',
      registration: {
        provinceId: 33,
        cityId: 282,
        makerId: 'STPSM',
        model: 'M',
        terminalId: '0000002',
        plateColor: 2,
        plate: '浙B·X0002',
      },
      authCode: 'installed',
      timing: { heartbeatIntervalMs: 200 },
      log,
    })
    try {
      const deadline = Date.now() + 5000
      while (!platform.frames.some((f) => f.header.messageId === ids.heartbeat) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(platform.frames.map((f) => f.header.messageId).slice(0, 2)).toEqual([
        ids.authenticate,
        ids.heartbeat,
      ])
    } finally {
      await terminal.close()
      await platform.close()
    }
  })
})
