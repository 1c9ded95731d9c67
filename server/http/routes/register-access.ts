import { assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { AppError } from '../../core/errors/app-error.js'
import type { LocatedRecords } from '../../core/registers/merge-registers.js'
import { readRegisters } from '../../core/registers/read-registers.js'
import { registerNames, type RegisterName } from '../../core/registers/register-records.js'
import type { Queryable } from '../../core/store/database.js'

/** A school keeps its own pupils; every other register is the bureau's. */
export const schoolRegisters: ReadonlySet<RegisterName> = new Set(['pupils'])

export const schoolOf = (principal: Principal) =>
  principal.role === 'school' ? principal.schoolId : undefined

export const assertMayUse = (principal: Principal, register: RegisterName) => {
  assertRole(principal, ['bureau', 'school'])
  if (principal.role === 'school' && !schoolRegisters.has(register)) {
    throw new AppError('forbidden', `a school keeps only its pupils, not the ${register}`, {
      reason: 'bureau_register',
    })
  }
}

/** A register's records as the caller may see them: a school's own only. */
export const readScoped = async (db: Queryable, principal: Principal, register: RegisterName) =>
  (await readRegisters(db, { registers: [register], schoolCode: schoolOf(principal) }))[register]

/**
 * A school's file or edit may hold only its own pupils: none of another school, and none whose code
 * is another school's pupil's, which would move that pupil into this school.
 */
export async function confineToSchool(
  db: Queryable,
  records: LocatedRecords,
  schoolCode: string,
): Promise<void> {
  for (const register of registerNames) {
    if (records[register] && !schoolRegisters.has(register)) {
      throw new AppError('forbidden', `a school imports only its pupils, not the ${register}`, {
        reason: 'bureau_register',
      })
    }
  }
  const pupils = records.pupils ?? []
  for (const { record, origin } of pupils) {
    if (record.schoolCode !== schoolCode) {
      throw new AppError(
        'forbidden',
        `${origin.sheet} row ${origin.row}: pupil ${record.code} is not of school ${schoolCode}`,
        { reason: 'pupil_of_another_school' },
      )
    }
  }
  const [taken] = await db.query<{ code: string }>(
    'SELECT code FROM pupils WHERE code = ANY($1::text[]) AND school_id <> $2 ORDER BY code LIMIT 1',
    [pupils.map(({ record }) => record.code), schoolCode],
  )
  if (taken) {
    const { origin } = pupils.find(({ record }) => record.code === taken.code)!
    throw new AppError(
      'forbidden',
      `${origin.sheet} row ${origin.row}: pupil ${taken.code} is another school's pupil`,
      { reason: 'pupil_of_another_school' },
    )
  }
}
