import type { Queryable } from '../store/database.js'
import type { GuardianRecord, PupilRecord } from './register-records.js'
import { chunksOf, insertResolved, jsonRows, upsertRows } from './store-upsert.js'
import { pupilIdOf } from './trip-riders.js'

/** A pupil found by code keeps its stored id; a new one takes the given id or one made from the code. */
export async function upsertPupils(tx: Queryable, pupils: readonly PupilRecord[]): Promise<void> {
  await upsertRows(
    tx,
    'pupils',
    {
      id: 'text',
      code: 'text',
      name: 'text',
      school_id: 'text',
      grade: 'int',
      dismissal_wave_id: 'text',
      after_school_service: 'boolean',
      home_lat: 'float8',
      home_lon: 'float8',
      stop_id: 'text',
    },
    ['code'],
    pupils.map((p) => ({
      id: pupilIdOf(p),
      code: p.code,
      name: p.name,
      school_id: p.schoolCode,
      grade: p.grade,
      dismissal_wave_id: p.waveCode,
      after_school_service: p.afterSchoolService,
      home_lat: p.homeLat,
      home_lon: p.homeLon,
      stop_id: p.stopCode,
    })),
    { keep: ['id'] },
  )
}

/**
 * A guardian found by phone keeps its stored id; a new one takes the given id or one made from the
 * phone. Its links to pupils are replaced by those of the record, each with the record's relation.
 */
export async function upsertGuardians(tx: Queryable, guardians: readonly GuardianRecord[]): Promise<void> {
  if (guardians.length === 0) return
  await upsertRows(
    tx,
    'guardians',
    { id: 'text', name: 'text', phone: 'text' },
    ['phone'],
    guardians.map((g) => ({ id: g.id ?? `gu-${g.phone.replace(/\D/g, '')}`, name: g.name, phone: g.phone })),
    { keep: ['id'] },
  )
  for (const chunk of chunksOf(guardians)) {
    await tx.query(
      `DELETE FROM pupil_guardians l USING guardians g, unnest($1::text[]) AS k(phone)
        WHERE g.phone = k.phone AND l.guardian_id = g.id`,
      [chunk.map((g) => g.phone)],
    )
  }
  const links = guardians.flatMap((g) =>
    [...new Set(g.pupilCodes)].map((pupil_code) => ({ phone: g.phone, pupil_code, relation: g.relation })),
  )
  await insertResolved(
    tx,
    `INSERT INTO pupil_guardians (pupil_id, guardian_id, relation)
     SELECT p.id, g.id, r.relation FROM ${jsonRows({ phone: 'text', pupil_code: 'text', relation: 'text' })}
       JOIN guardians g ON g.phone = r.phone JOIN pupils p ON p.code = r.pupil_code`,
    links,
    'guardian links name pupils',
  )
}
