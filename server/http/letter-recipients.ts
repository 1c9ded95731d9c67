import { assertRole } from '../core/auth/access-policy.js'
import type { Principal } from '../core/auth/principal.js'
import { AppError } from '../core/errors/app-error.js'
import type { Queryable } from '../core/store/database.js'

export interface GuardianOfPupil {
  pupilId: string
  pupilCode: string
  pupilName: string
  schoolId: string
  schoolName: string
  schoolNameEn: string | null
  guardianId: string
  guardianName: string
  relation: string | null
  phone: string | null
  enrolledPhones: number
  letterExpiresAt: Date | null
}

/** Whom letters are for: a school's pupils, named pupils, or both (named pupils of that school). */
export interface LettersScope {
  schoolId: string | null
  pupilCodes: string[] | null
}

/** Each pupil with each of its guardians, by pupil code: what letters and the status list are made of. */
export async function findGuardiansOfPupils(
  db: Queryable,
  scope: LettersScope,
  now: Date,
): Promise<GuardianOfPupil[]> {
  return db.query<GuardianOfPupil & Record<string, unknown>>(
    `SELECT p.id AS "pupilId", p.code AS "pupilCode", p.name AS "pupilName", s.id AS "schoolId",
            s.name_zh AS "schoolName", s.name_en AS "schoolNameEn", g.id AS "guardianId",
            g.name AS "guardianName", l.relation, g.phone,
            (SELECT count(*)::int FROM auth_sessions a
              WHERE a.kind = 'guardian' AND a.guardian_id = g.id AND a.revoked_at IS NULL
                AND a.expires_at > $3) AS "enrolledPhones",
            (SELECT max(c.expires_at) FROM one_time_codes c
              WHERE c.purpose = 'enrolment' AND c.guardian_id = g.id AND c.pupil_id = p.id
                AND c.used_at IS NULL AND c.voided_at IS NULL AND c.expires_at > $3) AS "letterExpiresAt"
       FROM pupils p
       JOIN schools s ON s.id = p.school_id
       JOIN pupil_guardians l ON l.pupil_id = p.id
       JOIN guardians g ON g.id = l.guardian_id
      WHERE ($1::text IS NULL OR p.school_id = $1) AND ($2::text[] IS NULL OR p.code = ANY($2::text[]))
      ORDER BY p.code COLLATE "C", g.name, g.id`,
    [scope.schoolId, scope.pupilCodes, now],
  )
}

/** The school a caller may make letters for: a school its own, the bureau the one it names. */
export async function resolveLettersScope(
  db: Queryable,
  principal: Principal,
  body: { schoolCode?: string; pupilCodes?: string[] },
): Promise<LettersScope> {
  assertRole(principal, ['bureau', 'school'])
  if (
    principal.role === 'school' &&
    body.schoolCode !== undefined &&
    body.schoolCode !== principal.schoolId
  ) {
    throw new AppError('forbidden', `school ${body.schoolCode} is outside this token's scope`, {
      field: 'body.schoolCode',
      reason: 'school_outside_scope',
    })
  }
  const schoolId = principal.role === 'school' ? principal.schoolId : (body.schoolCode ?? null)
  if (schoolId === null && !body.pupilCodes) {
    throw new AppError('bad_request', 'body.schoolCode: choose a school or pupils', {
      field: 'body.schoolCode',
      reason: 'empty_selection',
    })
  }
  if (schoolId !== null && body.schoolCode !== undefined) {
    const [school] = await db.query('SELECT id FROM schools WHERE id = $1', [schoolId])
    if (!school) {
      throw new AppError('not_found', `no school ${schoolId}`, {
        field: 'body.schoolCode',
        reason: 'unknown_school_code',
      })
    }
  }
  if (body.pupilCodes) await assertPupilsInScope(db, body.pupilCodes, schoolId)
  return { schoolId, pupilCodes: body.pupilCodes ?? null }
}

/** How many of the codes at fault a refusal names: enough to correct a typed list, and no more. */
const namedCodesMax = 20

/**
 * Every named pupil exists and, when a school is chosen, is of that school. A refusal names the
 * codes at fault (`details.pupilCodes`), which the person typed, so that they can correct them;
 * nothing else of those pupils.
 */
async function assertPupilsInScope(db: Queryable, pupilCodes: string[], schoolId: string | null) {
  const found = await db.query<{ code: string; school_id: string }>(
    'SELECT code, school_id FROM pupils WHERE code = ANY($1::text[])',
    [pupilCodes],
  )
  const known = new Map(found.map((p) => [p.code, p.school_id]))
  const unknown = pupilCodes.filter((code) => !known.has(code))
  if (unknown.length > 0) {
    throw new AppError('not_found', `no pupil ${unknown.slice(0, 5).join(', ')}`, {
      field: 'body.pupilCodes',
      reason: 'unknown_pupil_code',
      details: { pupilCodes: unknown.slice(0, namedCodesMax) },
    })
  }
  const outside = pupilCodes.filter((code) => schoolId !== null && known.get(code) !== schoolId)
  if (outside.length > 0) {
    throw new AppError('forbidden', `pupil ${outside.slice(0, 5).join(', ')} is not of school ${schoolId}`, {
      field: 'body.pupilCodes',
      reason: 'pupil_of_another_school',
      details: { pupilCodes: outside.slice(0, namedCodesMax) },
    })
  }
}
