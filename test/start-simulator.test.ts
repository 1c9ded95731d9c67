import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { createGraphRouter, type GraphRouter } from '../geo/routing/graph-router.js'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { parseTelemetryTopic } from '../server/core/broker/telemetry-topics.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { RegisterSet } from '../server/core/registers/register-records.js'
import { prepareRegisterSimulations } from '../workers/simulator/register-simulation.js'
import { runInRealTime } from '../workers/simulator/run-in-real-time.js'
import { resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'
import { startSimulator } from '../workers/simulator/start-simulator.js'

const log = createLogger({ level: 'silent' })
let nowMs = Date.parse('2026-03-02T07:20:00+08:00')
const clock: Clock = { now: () => new Date(nowMs) }
const tokens = createAccessTokens({ secret: 'simulator-test-secret-0123456789abcdef', ttlS: 3600, clock })
let world: CixiWorld
let registers: RegisterSet
let router: GraphRouter
let broker: EmbeddedBroker

beforeAll(async () => {
  world = await loadCixiWorld()
  registers = registersFromCixiWorld(world)
  router = createGraphRouter(world.roads)
  broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
})
afterAll(async () => {
  await broker.close()
})

/** Resolves once `done()` holds, checking every 20 ms for up to `timeoutMs`. */
async function waitFor(done: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(20)
  }
}

describe('the simulator in the platform', () => {
  it('joins the timetable at the clock’s time and publishes each bus’s reports on its own connection', async () => {
    const watcher = await connectBroker({
      url: broker.url,
      clientId: 'watcher',
      password: await tokens.issue({ role: 'service', sub: 'watcher' }),
    })
    const received: { busId: string; kind: string; payload: { ts: string | number } }[] = []
    watcher.on('message', (topic, payload) => {
      const parsed = parseTelemetryTopic(topic)!
      received.push({ ...parsed, payload: JSON.parse(payload.toString()) as { ts: string | number } })
    })
    await watcher.subscribeAsync(['bus/+/gps', 'bus/+/limiter'], { qos: 1 })

    const startMs = nowMs
    const simulator = await startSimulator({
      registers,
      roads: world.roads,
      router,
      roadGraph: router.graph,
      transport: {
        protocol: 'mqtt',
        mqttUrl: broker.url,
        passwordFor: (busId) => tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }),
      },
      clock,
      log,
      tickMs: 10,
    })
    for (let s = 0; s < 30; s++) {
      nowMs += 1000
      await sleep(15)
    }
    await waitFor(() => simulator.stats().acknowledged === simulator.stats().published)
    await waitFor(() => received.length === simulator.stats().acknowledged)
    await simulator.stop()
    await watcher.endAsync()

    expect(simulator.stats().failed).toBe(0)
    const fleet = new Set(world.buses.map((bus) => bus.id))
    const gps = received.filter((r) => r.kind === 'gps')
    expect(gps.every((r) => fleet.has(r.busId))).toBe(true)
    const reporting = new Set(gps.map((r) => r.busId))
    // At 07:20 on a school day nearly every bus is on a morning trip, reporting once a second.
    expect(reporting.size).toBeGreaterThan(30)
    expect(gps.length).toBeGreaterThan(reporting.size * 25)
    const times = gps.map((r) => (typeof r.payload.ts === 'number' ? r.payload.ts : Date.parse(r.payload.ts)))
    expect(Math.max(...times)).toBeLessThan(nowMs)
    // Terminals joining mid-day tell their limiter state, which the skipped morning reports carried.
    const announced = new Set(received.filter((r) => r.kind === 'limiter').map((r) => r.busId))
    expect([...reporting].filter((busId) => !announced.has(busId))).toEqual([])
    // Fixes taken before the start arrive only when held up or buffered: a few.
    expect(times.filter((t) => t < startMs).length).toBeLessThan(gps.length * 0.05)
  })

  it('moves on to the next service day at midnight', async () => {
    let fakeMs = Date.parse('2026-03-02T23:59:58+08:00')
    const days: string[] = []
    const simulations = await prepareRegisterSimulations(
      registers,
      { network: world.roads, router, graph: router.graph },
      resolveSimulationSettings(),
      { onNewDay: (date) => days.push(date) },
    )
    const run = await runInRealTime({
      simulationAt: simulations.simulationAt,
      deliver: () => undefined,
      clock: { now: () => new Date(fakeMs) },
      tickMs: 5,
      log,
    })
    expect(days).toEqual(['2026-03-02'])
    fakeMs += 5000
    await waitFor(() => days.length === 2)
    await run.stop()
    expect(days).toEqual(['2026-03-02', '2026-03-03'])
  })
})
