import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../server/core/auth/principal.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { attachLiveChannel, type LiveChannel } from '../server/live/live-channel.js'
import { createLivePublisher, type LivePublisher } from '../server/live/live-publisher.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { runsEmbedded } from './support/test-level.js'
import { createTestAccess, scenarioPrincipals, settableClock } from './support/test-platform-parts.js'
import { testServiceUrl } from './support/test-service-url.js'

/**
 * A process with the events or alarms part but no live part publishes through a socket.io server
 * attached to nothing: over Redis its events reach the sockets of the processes that run the live
 * part; without Redis it says once that nothing is pushed.
 */
// Each level runs its own variant: the embedded one here, the Redis one against TEST_REDIS_URL.
if (runsEmbedded)
  describe('the live publisher without Redis', () => {
    it('says once that events are stored but not pushed, and publishes nothing', async () => {
      const lines: string[] = []
      const publisher = await createLivePublisher({
        log: createLogger({ level: 'warn', write: (line) => lines.push(line) }),
      })
      publisher.publishAlarm({ busId: 'B1', details: { schoolId: 'S1' } })
      publisher.publishToBusStaff('B1', 'event', { busId: 'B1' })
      expect(() => publisher.publishToBusStaff('B1', 'position' as 'event', {})).toThrow('not a live event')
      expect(publisher.isUp()).toBe(true)
      await publisher.close()
      await publisher.close()
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain('events and alarms are stored, but not pushed to browsers')
    })
  })

const redisUrl = testServiceUrl('TEST_REDIS_URL')
if (redisUrl)
  describe('the live publisher over Redis', () => {
    const log = createLogger({ level: 'silent' })
    const clock = settableClock(scenario.monday0710)
    const sockets: Socket[] = []
    let db: Database
    let access: ReturnType<typeof createTestAccess>
    let channel: LiveChannel
    let publisher: LivePublisher
    let url: string

    beforeAll(async () => {
      db = await openPgliteDatabase()
      await migrateDatabase(db)
      await loadTwoSchoolsTwoBuses(db)
      access = createTestAccess(db, clock)
      const server = createServer()
      channel = await attachLiveChannel(server, { ...access, log, redisUrl, clock, rescopeIntervalMs: 0 })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      publisher = await createLivePublisher({ redisUrl, log })
    })
    afterAll(async () => {
      for (const socket of sockets) socket.disconnect()
      await publisher?.close()
      await channel?.close()
      await db?.close()
    })

    const connectAs = async (principal: Principal) => {
      const socket = connectSocket(url, {
        auth: { token: await access.tokenFor(principal) },
        transports: ['websocket'],
        reconnection: false,
      })
      sockets.push(socket)
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve)
        socket.once('connect_error', reject)
      })
      const heard: [string, unknown][] = []
      socket.onAny((event: string, payload: unknown) => {
        if (event !== 'state') heard.push([event, payload])
      })
      return { socket, heard }
    }

    it('reaches the sockets of a live channel on another server, each audience its own', async () => {
      const school = await connectAs(scenarioPrincipals.schoolS1)
      const attendant = await connectAs(scenarioPrincipals.attendantB1)
      const parent = await connectAs(scenarioPrincipals.parentP1)
      for (const { socket } of [attendant, parent])
        expect(await socket.emitWithAck('subscribe', { busId: 'B1' })).toEqual({ ok: true })

      const alarm = { busId: 'B1', kind: 'child_left_on_bus', details: { schoolId: 'S1' } }
      const overSpeed = { busId: 'B1', kind: 'over_speed' }
      const position = { busId: 'B1', seq: 1 }
      publisher.publishAlarm(alarm)
      publisher.publishToBusStaff('B1', 'event', overSpeed)
      publisher.publishToBusWatchers('B1', 'position', position)
      await expect.poll(() => parent.heard.length).toBe(1)
      await expect.poll(() => attendant.heard.length).toBe(3)
      expect(parent.heard).toEqual([['position', position]])
      expect(attendant.heard).toEqual([
        ['event', alarm],
        ['event', overSpeed],
        ['position', position],
      ])
      // The school watches no bus: it hears the alarm about its pupils, and nothing else.
      await expect.poll(() => school.heard).toEqual([['event', alarm]])
      expect(publisher.isUp()).toBe(true)
    })
  })
