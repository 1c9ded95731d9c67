import { createAuditLog } from '../../server/core/auth/audit-log.js'
import { createEnrolmentCodes } from '../../server/core/auth/enrolment-codes.js'
import { createPairingCodes } from '../../server/core/auth/pairing-codes.js'
import { createSessions } from '../../server/core/auth/sessions.js'
import { migrateDatabase } from '../../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../../server/core/store/pglite-database.js'
import { settableClock } from './test-platform-parts.js'
import { useTestStore } from './use-test-store.js'

/** The bureau member the code tests act as. */
export const bureauMember = { actor: 'bureau-1', actorRole: 'bureau' }
/** The phone that redeems codes in the code tests. */
export const androidPhone = {
  ip: '10.0.0.7',
  userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36',
}

/** How a promise was refused: its status, message and field, or nothing when it was not. */
export async function refusalOf(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { status?: number; message?: string; field?: string } | null
  return { status: error?.status, message: error?.message, field: error?.field }
}

/**
 * A store with a school, two buses, attendant A1 on B1, driver D1, attendant A9 without a bus, and
 * guardian G1 (phone ending 8000) of pupils P1 and P2, G2 (no phone) of P1; the code parts over it,
 * on a clock the test moves.
 */
export async function openOneTimeCodeStore(start: Date) {
  const db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
    INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('t', '龙山', 'Longshan', 30.19, 121.40);
    INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES ('S1', 't', '龙山小学', 'primary', 30.19, 121.4);
    INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES
      ('B1', '浙B·1', 't', 'school_bus', 36, 'op'), ('B2', '浙B·2', 't', 'school_bus', 36, 'op');
    INSERT INTO staff (id, role, name, bus_id) VALUES
      ('A1', 'attendant', '甲', 'B1'), ('D1', 'driver', '乙', 'B1'), ('A9', 'attendant', '丙', NULL);
    INSERT INTO guardians (id, name, phone) VALUES ('G1', '王', '138-0013-8000'), ('G2', '李', NULL);
    INSERT INTO pupils (id, code, name, school_id, grade) VALUES
      ('P1', 'C1', '王小明', 'S1', 2), ('P2', 'C2', '王小红', 'S1', 4);
    INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P1', 'G1'), ('P2', 'G1'), ('P1', 'G2');
  `)
  const clock = settableClock(start)
  const audit = createAuditLog({ db, clock })
  return {
    db,
    clock,
    audit,
    sessions: createSessions({ db, clock }),
    enrolment: createEnrolmentCodes({ db, clock, audit }),
    pairing: createPairingCodes({ db, clock, audit }),
    advance: (ms: number) => clock.set(new Date(clock.now().getTime() + ms)),
  }
}

export type OneTimeCodeStore = Awaited<ReturnType<typeof openOneTimeCodeStore>>

/** The store for the tests of one file; read it inside a test. */
export const useOneTimeCodeStore = (start: Date) => useTestStore(() => openOneTimeCodeStore(start))
