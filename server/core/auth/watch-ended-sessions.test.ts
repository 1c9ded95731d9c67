import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../clock/clock.js'
import { createLogger } from '../log/logger.js'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { createSessions } from './sessions.js'
import { watchEndedSessions, type SessionHolder } from './watch-ended-sessions.js'

let db: Database
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
    INSERT INTO towns (id, name_zh, lat, lon) VALUES ('t', '镇', 30.2, 121.3);
    INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES ('B1', '浙B1', 't', 'school_bus', 30, 'op');
  `)
})
afterAll(() => db.close())

describe('watching for ended sessions', () => {
  it('closes, in each holder, the connections of sessions ended elsewhere, and only those', async () => {
    const sessions = createSessions({ db, clock: systemClock })
    const kept = await sessions.issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    const ended = await sessions.issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    const holder = (open: string[]) => {
      const closed: string[] = []
      const recorder: SessionHolder & { closed: string[] } = {
        closed,
        openSessionIds: () => open.filter((id) => !closed.includes(id)),
        endSessions: (ids) => closed.push(...ids),
      }
      return recorder
    }
    const sockets = holder([kept.id, ended.id, ended.id])
    const broker = holder([ended.id])
    const watcher = watchEndedSessions({
      sessions,
      holders: () => [sockets, broker],
      log: createLogger({ level: 'silent' }),
      intervalMs: 50,
    })
    try {
      expect(await watcher.check()).toBe(0)
      await sessions.revoke(ended.id, { actor: 'admin', reason: 'phone lost' })
      await expect
        .poll(() => [sockets.closed, broker.closed], { timeout: 2000 })
        .toEqual([[ended.id], [ended.id]])
      expect(await watcher.check()).toBe(0)
    } finally {
      watcher.stop()
    }
  })
})
