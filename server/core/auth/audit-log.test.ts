import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { createAuditLog } from './audit-log.js'

let db: Database
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
})
afterAll(() => db.close())

describe('audit log', () => {
  it('records who did what from where, lists newest first by filter and page, and keeps a year', async () => {
    let now = new Date('2025-12-01T08:00:00Z')
    const audit = createAuditLog({ db, clock: { now: () => now } })
    await audit.record({
      actor: 'clerk',
      actorRole: 'school',
      action: 'export',
      target: 'registers.xlsx',
      ip: '10.0.0.7',
    })
    now = new Date('2026-12-01T07:00:00Z')
    await audit.record({
      actor: 'anonymous',
      action: 'sign_in_failed',
      detail: { username: 'admin' },
      userAgent: 'x'.repeat(400),
    })
    now = new Date('2026-12-01T08:00:00Z')
    await audit.record({ actor: 'admin', actorRole: 'bureau', action: 'sign_in', ip: '10.0.0.8' })

    const all = await audit.list({ limit: 10 })
    expect(all.map((e) => e.action)).toEqual(['sign_in', 'sign_in_failed', 'export'])
    expect(all[1]).toMatchObject({ actor: 'anonymous', detail: { username: 'admin' }, actorRole: null })
    expect(all[1]!.userAgent).toHaveLength(300)
    expect((await audit.list({ action: 'export', limit: 10 })).map((e) => e.actor)).toEqual(['clerk'])
    expect((await audit.list({ beforeId: all[0]!.id, limit: 1 })).map((e) => e.action)).toEqual([
      'sign_in_failed',
    ])
    expect(
      (await audit.list({ from: new Date('2026-12-01T07:30:00Z'), limit: 10 })).map((e) => e.action),
    ).toEqual(['sign_in'])

    now = new Date('2026-12-01T08:00:01Z')
    expect(await audit.expire()).toBe(1)
    expect((await audit.list({ limit: 10 })).map((e) => e.action)).toEqual(['sign_in', 'sign_in_failed'])
  })
})
