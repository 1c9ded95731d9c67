import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { MqttClient } from 'mqtt'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../server/core/auth/principal.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openDatabase } from '../server/core/store/open-database.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { scenarioPrincipals, settableClock } from './support/test-platform-parts.js'

/**
 * A parent listens to the live channel of the whole platform (embedded store and broker) through
 * their child's trip on bus B1, while the bus speeds, calls at its stops, leaves a pupil behind,
 * carries another family's child and ends the trip with that child still aboard, and staff
 * acknowledge the alarms. The parent hears of their child's bus (where it is, when it comes) and
 * their own child's notices, nothing else; the staff hear every alarm.
 */
const others = {
  pupilIds: ['P3', 'P4'],
  names: ['Pupil Three', 'Pupil Four'],
  phones: ['13700000001', '13700000002', '13700000003', '13700000004'],
}

/** P3 (another family) gets on at ST2 and is left aboard; P4 is expected at ST1 and never comes. */
const otherFamiliesOnT1 = `
  DELETE FROM positions WHERE bus_id = 'B1';
  UPDATE staff SET phone = '13700000001' WHERE id = 'A1';
  INSERT INTO staff (id, role, name, phone, bus_id) VALUES
    ('D1', 'driver', 'Driver One', '13700000002', 'B1'), ('C1', 'police', 'Officer One', '13700000003', 'B1');
  INSERT INTO guardians (id, name, phone) VALUES ('G3', 'Guardian Three', '13700000004'), ('G4', 'Guardian Four', NULL);
  INSERT INTO pupils (id, code, name, school_id, grade) VALUES
    ('P3', 'P00000033', 'Pupil Three', 'S1', 3), ('P4', 'P00000044', 'Pupil Four', 'S1', 4);
  INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P3', 'G3'), ('P4', 'G4');
  INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq) VALUES ('T1', 'P3', 2, 3), ('T1', 'P4', 1, 3);
`

interface Place {
  lat: number
  lon: number
}
const st1: Place = { lat: 30.18, lon: 121.39 }
const st2: Place = { lat: 30.185, lon: 121.395 }
const school: Place = { lat: 30.19, lon: 121.4 }
const between = (a: Place, b: Place, fraction: number): Place => ({
  lat: a.lat + (b.lat - a.lat) * fraction,
  lon: a.lon + (b.lon - a.lon) * fraction,
})

type Heard = [string, Record<string, unknown>][]

describe('a parent on the live channel through a whole trip with alarms', () => {
  const clock = settableClock(new Date('2026-03-02T06:58:00+08:00'))
  const sockets: Socket[] = []
  let dataDir: string
  let platform: Platform
  let device: MqttClient

  const tokenFor = (principal: Principal) => platform.tokens.issue(principal, { ttlS: 7 * 86400 })
  const listen = async (principal: Principal, busId?: string) => {
    const socket = connectSocket(platform.httpUrl, {
      auth: { token: await tokenFor(principal) },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(socket)
    const heard: Heard = []
    socket.onAny((event: string, payload: Record<string, unknown>) => heard.push([event, payload]))
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    if (busId) expect(await socket.emitWithAck('subscribe', { busId })).toEqual({ ok: true })
    return heard
  }
  const api = async (principal: Principal, method: string, route: string, body: unknown) => {
    const response = await fetch(`${platform.httpUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(principal)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status, `${method} ${route}`).toBeLessThan(300)
    return response.json() as Promise<Record<string, unknown>>
  }
  const scan = (pupilId: string, action: 'boarded' | 'alighted', stopId: string) =>
    api(scenarioPrincipals.attendantB1, 'POST', '/api/trips/T1/boardings', {
      id: randomUUID(),
      pupilId,
      action,
      stopId,
      scannedAt: clock.now().toISOString(),
    })

  /** One GPS report a second, from where the last one left off; the clock keeps up with the bus. */
  let lastTs = new Date('2026-03-02T06:59:30+08:00')
  const drive = async (from: Place, to: Place, seconds: number, speedKmh: number) => {
    for (let s = 1; s <= seconds; s++) {
      lastTs = new Date(lastTs.getTime() + 1000)
      clock.set(lastTs)
      const place = between(from, to, s / seconds)
      const report = { ts: lastTs.toISOString(), ...place, speedKmh, headingDeg: 40, ignition: true }
      await device.publishAsync('bus/B1/gps', JSON.stringify(report), { qos: 1 })
    }
  }
  const wait = (at: Place, seconds: number) => drive(at, at, seconds, 0)

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-whole-trip-'))
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      JT808_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_FLEET: 'off',
    })
    // The platform seeds only an empty store: this one holds the small scenario instead of Cixi.
    const db = await openDatabase(config)
    await migrateDatabase(db)
    await loadTwoSchoolsTwoBuses(db)
    await db.exec(otherFamiliesOnT1)
    await db.close()
    platform = await startPlatform({ config, log: createLogger({ level: 'silent' }), clock })
    device = await connectBroker({
      url: platform.mqttUrl!,
      clientId: 'terminal-B1',
      password: await tokenFor(scenarioPrincipals.deviceB1),
    })
  }, 90_000)

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect()
    await device?.endAsync()
    await platform?.stop()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  it('tells the parent of their child’s bus and their child only, and the staff of every alarm', async () => {
    const parent = await listen(scenarioPrincipals.parentP1, 'B1')
    const attendant = await listen(scenarioPrincipals.attendantB1, 'B1')
    // The school and the bureau do not watch the bus: alarms reach them all the same.
    const schoolStaff = await listen(scenarioPrincipals.schoolS1)
    const bureau = await listen(scenarioPrincipals.bureau)

    await wait(st1, 30)
    await scan('P1', 'boarded', 'ST1')
    await wait(st1, 10)
    // Over the school-bus limit all the way to ST2, leaving P4 behind at ST1.
    await drive(st1, st2, 30, 95)
    await wait(st2, 15)
    await scan('P3', 'boarded', 'ST2')
    await wait(st2, 15)
    await drive(st2, school, 50, 50)
    await wait(school, 15)
    await scan('P1', 'alighted', 'ST-S1')
    await wait(school, 5)
    await api(scenarioPrincipals.attendantB1, 'POST', '/api/trips/T1/end', {
      confirmedEmpty: true,
      endedAt: clock.now().toISOString(),
    })

    const kindsHeard = (heard: Heard) =>
      new Set(heard.filter(([event]) => event === 'event').map(([, payload]) => payload.kind))
    const alarmKinds = ['over_speed', 'pupils_not_boarded', 'child_left_on_bus']
    await expect
      .poll(() => [...kindsHeard(attendant)].sort(), { timeout: 20_000 })
      .toEqual([...alarmKinds, 'stop_arrival', 'stop_departure'].sort())
    const toAcknowledge = new Map(
      attendant
        .filter(([event, p]) => event === 'event' && alarmKinds.includes(p.kind as string))
        .map(([, p]) => [`${String(p.kind)} ${String(p.ts)}`, { busId: p.busId, kind: p.kind, ts: p.ts }]),
    )
    for (const key of toAcknowledge.values())
      await api(scenarioPrincipals.attendantB1, 'POST', '/api/events/acknowledge', key)
    // The last report goes out after every acknowledgement: once the parent has it, all is in.
    await wait(school, 1)
    await expect
      .poll(() => parent.some(([event, p]) => event === 'position' && p.ts === lastTs.toISOString()))
      .toBe(true)

    for (const [event, payload] of parent) {
      if (event === 'notice') expect(payload.pupilId, 'a notice').toBe('P1')
      else {
        expect(['state', 'position', 'eta'], `the parent was sent '${event}'`).toContain(event)
        expect(payload.busId).toBe('B1')
      }
    }
    const told = JSON.stringify(parent)
    for (const secret of [...others.pupilIds, ...others.names, ...others.phones])
      expect(told).not.toContain(secret)
    expect(parent.filter(([event]) => event === 'notice').map(([, n]) => n.kind)).toEqual([
      'boarded',
      'alighted',
    ])
    // Each commit sends the bus's newest fix, so how many arrive depends on how the reports were
    // batched; what the parent sees must move forward in time, up to the last report.
    const seen = parent.filter(([event]) => event === 'position').map(([, p]) => String(p.ts))
    expect(seen).toEqual([...seen].sort())
    expect(seen.at(-1)).toBe(lastTs.toISOString())

    const acknowledged = (heard: Heard) =>
      heard.filter(([event, p]) => event === 'event' && p.acknowledgedBy === 'A1').map(([, p]) => p.kind)
    expect(new Set(acknowledged(attendant))).toEqual(new Set(alarmKinds))
    // Alarms naming the school reach it; the bureau also hears an over-speed once acknowledged.
    // Stop events reach only those watching the bus.
    await expect
      .poll(() => kindsHeard(schoolStaff))
      .toEqual(new Set(['pupils_not_boarded', 'child_left_on_bus']))
    await expect.poll(() => kindsHeard(bureau)).toEqual(new Set(alarmKinds))
    for (const staff of [schoolStaff, bureau]) {
      const leftOnBus = JSON.stringify(staff.find(([, p]) => p.kind === 'child_left_on_bus'))
      expect(leftOnBus).toContain('Pupil Three')
      expect(leftOnBus).toContain('13700000002')
    }
  }, 60_000)
})
