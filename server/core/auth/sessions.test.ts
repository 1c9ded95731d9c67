import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../clock/clock.js'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { createSessions, sessionIdOf } from './sessions.js'

const clock: Clock & { set(iso: string): void } = (() => {
  let now = new Date('2026-03-02T07:00:00Z')
  return { now: () => now, set: (iso: string) => void (now = new Date(iso)) }
})()

let db: Database
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
    INSERT INTO towns (id, name_zh, lat, lon) VALUES ('t', '镇', 30.2, 121.3);
    INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES ('S1', 't', '学校', 'primary', 30.2, 121.3);
    INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES
      ('B1', '浙B1', 't', 'school_bus', 30, 'op'), ('B2', '浙B2', 't', 'school_bus', 30, 'op');
    INSERT INTO staff (id, role, name, bus_id) VALUES ('A1', 'attendant', 'Attendant', 'B1');
    INSERT INTO guardians (id, name, phone) VALUES ('G1', 'Guardian', '13800000001');
    INSERT INTO pupils (id, code, name, school_id, grade) VALUES
      ('P1', 'P1', 'One', 'S1', 1), ('P2', 'P2', 'Two', 'S1', 2);
    INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P1', 'G1'), ('P2', 'G1');
    INSERT INTO staff_accounts (id, username, display_name, role, school_id, is_admin, password_hash,
      must_change_password, created_at, updated_at)
    VALUES ('acc1', 'clerk', 'Clerk', 'school', 'S1', false, 'x', false, now(), now());
  `)
})
afterAll(() => db.close())

const sessions = () => createSessions({ db, clock })

describe('sessions', () => {
  it('keeps only a hash of the secret, and refuses an altered or unknown token', async () => {
    const issued = await sessions().issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    expect(issued.token).toMatch(/^s1\.[\w-]{22}\.[\w-]{43}$/)
    expect(sessionIdOf(issued.token)).toBe(issued.id)
    const [row] = await db.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM auth_sessions WHERE id = $1',
      [issued.id],
    )
    expect(issued.token).not.toContain(row!.secret_hash)
    await expect(sessions().verify(issued.token)).resolves.toMatchObject({
      sessionId: issued.id,
      principal: { role: 'device', sub: 'terminal-B1', busId: 'B1' },
    })
    for (const bad of [
      `${issued.token.slice(0, -1)}x`,
      `s1.${'a'.repeat(22)}.${'b'.repeat(43)}`,
      's1.x',
      undefined,
    ]) {
      await expect(sessions().verify(bad)).rejects.toMatchObject({ status: 401 })
    }
  })

  it('checks many tokens at once, answering each on its own', async () => {
    const b1 = await sessions().issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    const b2 = await sessions().issue({ kind: 'device', busId: 'B2' }, { ttlS: 3600 })
    const ended = await sessions().issue({ kind: 'device', busId: 'B2' }, { ttlS: 3600 })
    await sessions().revoke(ended.id, { actor: 'test', reason: 'test' })
    const outcomes = await sessions().verifyMany([
      b2.token,
      `${b1.token.slice(0, -1)}x`,
      b1.token,
      ended.token,
      undefined,
      b1.token,
    ])
    expect(
      outcomes.map((o) => (o instanceof Error ? o.message : (o.principal as { busId: string }).busId)),
    ).toEqual([
      'B2',
      'the access token is invalid',
      'B1',
      'this session has been ended',
      'an access token is required',
      'B1',
    ])
  })

  it('derives each kind’s principal from the store on every use', async () => {
    const guardian = await sessions().issue({ kind: 'guardian', guardianId: 'G1' }, { ttlS: 3600 })
    expect((await sessions().verify(guardian.token)).principal).toEqual({
      role: 'parent',
      sub: 'G1',
      pupilIds: ['P1', 'P2'],
    })
    await db.exec(`DELETE FROM pupil_guardians WHERE pupil_id = 'P2'`)
    expect((await sessions().verify(guardian.token)).principal).toMatchObject({ pupilIds: ['P1'] })
    await db.exec(`DELETE FROM pupil_guardians WHERE pupil_id = 'P1'`)
    await expect(sessions().verify(guardian.token)).rejects.toThrow(/no longer enrolled/)

    const attendant = await sessions().issue({ kind: 'attendant', staffId: 'A1' }, { ttlS: 3600 })
    expect((await sessions().verify(attendant.token)).principal).toEqual({
      role: 'attendant',
      sub: 'A1',
      busId: 'B1',
    })
    await db.exec(`UPDATE staff SET bus_id = 'B2' WHERE id = 'A1'`)
    expect((await sessions().verify(attendant.token)).principal).toMatchObject({ busId: 'B2' })

    const staff = await sessions().issue({ kind: 'staff', accountId: 'acc1' }, { ttlS: 3600 })
    expect((await sessions().verify(staff.token)).principal).toEqual({
      role: 'school',
      sub: 'clerk',
      schoolId: 'S1',
    })
    await db.exec(`UPDATE staff_accounts SET role = 'bureau', school_id = NULL, is_admin = true`)
    expect((await sessions().verify(staff.token)).principal).toEqual({
      role: 'bureau',
      sub: 'clerk',
      admin: true,
    })
  })

  it('expires a fixed session, and renews a sliding one while it is used', async () => {
    clock.set('2026-03-02T07:00:00Z')
    const fixed = await sessions().issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    const sliding = await sessions().issue({ kind: 'device', busId: 'B2' }, { ttlS: 3600, renewS: 3600 })
    clock.set('2026-03-02T07:50:00Z')
    expect((await sessions().verify(sliding.token)).validForMs).toBe(3600_000)
    expect((await sessions().verify(fixed.token)).validForMs).toBe(600_000)
    clock.set('2026-03-02T08:00:00Z')
    await expect(sessions().verify(fixed.token)).rejects.toThrow(/expired/)
    clock.set('2026-03-02T08:45:00Z')
    await expect(sessions().verify(sliding.token)).resolves.toMatchObject({ principal: { busId: 'B2' } })
    expect(await sessions().endedAmong([fixed.id, sliding.id, 'unknown'])).toEqual([fixed.id, 'unknown'])
  })

  it('ends one session, or every session of an owner, for good', async () => {
    const one = await sessions().issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    const two = await sessions().issue({ kind: 'device', busId: 'B1' }, { ttlS: 3600 })
    expect(await sessions().revoke(one.id, { actor: 'admin', reason: 'terminal replaced' })).toBe(true)
    expect(await sessions().revoke(one.id, { actor: 'admin', reason: 'again' })).toBe(false)
    await expect(sessions().verify(one.token)).rejects.toThrow(/ended/)
    await expect(sessions().verify(two.token)).resolves.toBeDefined()
    expect(await sessions().revokeAllOf({ busId: 'B1' }, { actor: 'admin', reason: 'bus sold' })).toContain(
      two.id,
    )
    await expect(sessions().verify(two.token)).rejects.toThrow(/ended/)
    const listed = await sessions().list({ owner: { busId: 'B1' }, includeEnded: true })
    expect(listed.find((s) => s.id === one.id)).toMatchObject({
      kind: 'device',
      subject: 'B1',
      revokedBy: 'admin',
      revokeReason: 'terminal replaced',
    })
    expect((await sessions().list({ owner: { busId: 'B1' } })).map((s) => s.id)).not.toContain(two.id)
  })
})
