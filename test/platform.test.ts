import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocket } from 'socket.io-client'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform, type Platform } from '../server/start-platform.js'

const log = createLogger({ level: 'silent' })
let dataDir: string

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-platform-'))
})
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true })
})

const embeddedConfig = () =>
  loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    MQTT_PORT: '0',
    JT808_PORT: '0',
    LOG_LEVEL: 'silent',
    SIMULATOR_FLEET: 'off',
  })

describe('the platform on embedded defaults', () => {
  let platform: Platform
  let bureauToken: string

  it('starts every part and answers /health with each one', async () => {
    platform = await startPlatform({ config: embeddedConfig(), log })
    const response = await fetch(`${platform.httpUrl}/health`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { status: string; parts: Record<string, { ok: boolean }> }
    expect(body.status).toBe('ok')
    expect(Object.keys(body.parts).sort()).toEqual([
      'broker',
      'database',
      'ingest',
      'jt808',
      'live',
      'router',
    ])
    expect(platform.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    bureauToken = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-1' })
    const me = await fetch(`${platform.httpUrl}/api/me`, {
      headers: { authorization: `Bearer ${bureauToken}` },
    })
    expect(await me.json()).toEqual({ principal: { role: 'bureau', sub: 'bureau-1' } })
  })

  it('carries a device’s report over MQTT into the store and to a watcher’s socket', async () => {
    const [depot] = await platform.db.query<{ lat: number; lon: number }>(
      `SELECT depot_lat AS lat, depot_lon AS lon FROM buses WHERE id = 'bus-01'`,
    )
    const watcher = connectSocket(platform.httpUrl, {
      auth: { token: bureauToken },
      transports: ['websocket'],
    })
    await new Promise<void>((resolve) => watcher.once('connect', () => resolve()))
    expect(await watcher.emitWithAck('subscribe', { busId: 'bus-01' })).toEqual({ ok: true })
    const seen = new Promise<unknown>((resolve) =>
      watcher.once('position', (payload: unknown) => resolve(payload)),
    )

    const device = await connectBroker({
      url: platform.mqttUrl!,
      clientId: 'terminal-bus-01',
      password: await platform.tokens.issue({ role: 'device', sub: 'terminal-bus-01', busId: 'bus-01' }),
    })
    const ts = new Date(Date.now() - 1000).toISOString()
    const report = { ts, lat: depot!.lat, lon: depot!.lon, speedKmh: 22 }
    await device.publishAsync('bus/bus-01/gps', JSON.stringify(report), { qos: 1 })
    expect(await seen).toEqual({ busId: 'bus-01', ...report, headingDeg: null })
    const stored = await platform.db.query(
      `SELECT lat, lon FROM positions WHERE bus_id = 'bus-01' AND ts = $1`,
      [ts],
    )
    expect(stored).toEqual([{ lat: depot!.lat, lon: depot!.lon }])
    await device.endAsync()
    watcher.disconnect()
  })

  it('raises one over-speed event for a bus speeding near its school, live and in the store', async () => {
    const [depot] = await platform.db.query<{ lat: number; lon: number }>(
      `SELECT depot_lat AS lat, depot_lon AS lon FROM buses WHERE id = 'bus-02'`,
    )
    const watcher = connectSocket(platform.httpUrl, {
      auth: { token: bureauToken },
      transports: ['websocket'],
    })
    await new Promise<void>((resolve) => watcher.once('connect', () => resolve()))
    expect(await watcher.emitWithAck('subscribe', { busId: 'bus-02' })).toEqual({ ok: true })
    const alarm = new Promise<{ kind: string }>((resolve) =>
      watcher.on('event', (e: { kind: string }) => resolve(e)),
    )

    const device = await connectBroker({
      url: platform.mqttUrl!,
      clientId: 'terminal-bus-02',
      password: await platform.tokens.issue({ role: 'device', sub: 'terminal-bus-02', busId: 'bus-02' }),
    })
    const start = Date.now() - 20_000
    for (let second = 0; second < 8; second++) {
      const report = {
        ts: start + second * 1000,
        lat: depot!.lat + second * 0.00025,
        lon: depot!.lon,
        speedKmh: 95,
        headingDeg: 0,
      }
      await device.publishAsync('bus/bus-02/gps', JSON.stringify(report), { qos: 1 })
    }
    expect(await alarm).toMatchObject({ kind: 'over_speed', busId: 'bus-02' })
    await expect
      .poll(async () => platform.db.query(`SELECT kind FROM events WHERE bus_id = 'bus-02'`))
      .toEqual([{ kind: 'over_speed' }])
    await device.endAsync()
    watcher.disconnect()
  })

  it('answers 503 naming the part that is down', async () => {
    await platform.db.close()
    const response = await fetch(`${platform.httpUrl}/health`)
    expect(response.status).toBe(503)
    const body = (await response.json()) as { parts: Record<string, { ok: boolean }> }
    expect(body.parts.database?.ok).toBe(false)
    expect(body.parts.broker?.ok).toBe(true)
    await platform.stop()
  })

  it('starts again on the same data folder with the same schema and token secret', async () => {
    const again = await startPlatform({ config: embeddedConfig(), log })
    try {
      const me = await fetch(`${again.httpUrl}/api/me`, {
        headers: { authorization: `Bearer ${bureauToken}` },
      })
      expect(me.status).toBe(200)
      const [row] = await again.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')
      expect(row?.n).toBeGreaterThan(0)
      expect((await fs.stat(path.join(dataDir, 'token-secret'))).mode & 0o777).toBe(0o600)
    } finally {
      await again.stop()
    }
  })

  it('says which port is taken instead of failing obscurely', async () => {
    const first = await startPlatform({ config: embeddedConfig(), log })
    try {
      const port = new URL(first.mqttUrl!).port
      const clash = loadConfig({
        DATA_DIR: path.join(dataDir, 'other'),
        PORT: '0',
        MQTT_PORT: port,
        JT808_PORT: '0',
        LOG_LEVEL: 'silent',
      })
      await expect(startPlatform({ config: clash, log })).rejects.toThrow(`MQTT port ${port} is in use`)
    } finally {
      await first.stop()
    }
  })
})
