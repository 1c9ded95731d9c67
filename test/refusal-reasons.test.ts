import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatPupilCode } from '../server/core/registers/pupil-code.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The registers' and the enrolment letters' refusals through the API on the embedded store: each
 * case answers its own reason beside its code, which the pages word (web/registers/registers-text.ts,
 * web/letters/letters-text.ts), and refuses without changing anything.
 */
let db: Database
let app: HttpApp
let tokens: Record<ScenarioCaller, string>
/** A pupil of school S2 with a well-formed code, so that an edit of it parses. */
const pupilOfS2 = formatPupilCode(12_345_678)

const call = (method: string, path: string, caller: ScenarioCaller, body?: unknown) =>
  callApi(app, method, path, tokens[caller], body)

/** A file sent to the import, as the registers page sends it. */
async function upload(
  caller: ScenarioCaller,
  query: Record<string, string>,
  bytes: Uint8Array<ArrayBuffer> | string,
) {
  const response = await app.request(`/api/registers/import?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[caller]}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

const pupilCells = (fields: Record<string, string>) => ({
  cells: {
    code: pupilOfS2,
    name: 'Pupil Three',
    grade: '7',
    schoolCode: 'S2',
    afterSchoolService: '否',
    ...fields,
  },
})

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  // Registers a check passes as a whole: riders have their stops.
  await db.exec(`UPDATE pupils SET stop_id = 'ST1' WHERE id = 'P1';
                 UPDATE pupils SET stop_id = 'ST2' WHERE id = 'P2';
                 INSERT INTO pupils (id, code, name, school_id, grade) VALUES ('P3', '${pupilOfS2}', 'Pupil Three', 'S2', 7)`)
  ;({ app, tokens } = await createScenarioApi(db, settableClock(scenario.monday0710)))
})
afterAll(() => db.close())

describe('the registers’ refusals', () => {
  it('tell a school’s reach from the bureau’s', async () => {
    expect(await call('GET', '/api/registers/buses', 'schoolS1')).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', reason: 'bureau_register' } },
    })
    const bus = await call('PUT', '/api/registers/buses/records', 'schoolS1', {
      cells: { plate: '浙B·10001' },
    })
    expect(bus).toMatchObject({ status: 403, body: { error: { reason: 'bureau_register' } } })
    expect(await call('GET', '/api/registers/pupils.csv', 'schoolS1')).toMatchObject({
      status: 403,
      body: { error: { reason: 'school_csv_export' } },
    })
    const removing = await upload(
      'schoolS1',
      { fileName: 'pupils.csv', dryRun: 'false', remove: 'true' },
      'x',
    )
    expect(removing).toMatchObject({ status: 403, body: { error: { reason: 'school_import_removal' } } })
  })

  it('refuse a school another school’s pupil, also under its own school’s code, and change nothing', async () => {
    const named = await call('PUT', '/api/registers/pupils/records', 'schoolS1', pupilCells({}))
    expect(named).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', reason: 'pupil_of_another_school' } },
    })
    // The same pupil's code under this school's own code would move the pupil into this school.
    const moved = await call(
      'PUT',
      '/api/registers/pupils/records',
      'schoolS1',
      pupilCells({ schoolCode: 'S1' }),
    )
    expect(moved).toMatchObject({ status: 403, body: { error: { reason: 'pupil_of_another_school' } } })
    const csv = `学生编码 code,姓名 name,年级 grade,学校代码 school,课后服务 after_school_service\n${pupilOfS2},Pupil Three,7,S1,否\n`
    const imported = await upload('schoolS1', { fileName: 'pupils.csv', dryRun: 'false' }, csv)
    expect(imported).toMatchObject({ status: 403, body: { error: { reason: 'pupil_of_another_school' } } })
    const [pupil] = await db.query<{ schoolId: string }>(
      `SELECT school_id AS "schoolId" FROM pupils WHERE id = 'P3'`,
    )
    expect(pupil).toEqual({ schoolId: 'S2' })
    // The school's own pupil is theirs to edit.
    expect(
      (await call('PUT', '/api/registers/pupils/records', 'schoolS2', pupilCells({ grade: '8' }))).status,
    ).toBe(200)
  })

  it('tell a record not there, a removal others refer to, and records with errors apart', async () => {
    expect(
      await call('DELETE', '/api/registers/buses/records/%E6%B5%99B%C2%B799999', 'bureau'),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', field: 'params.key', reason: 'record_not_found' } },
    })
    const referenced = await call('DELETE', '/api/registers/buses/records/%E6%B5%99B%C2%B710001', 'bureau')
    expect(referenced).toMatchObject({
      status: 422,
      body: {
        report: {
          applied: false,
          problems: expect.arrayContaining([expect.objectContaining({ code: 'still_referenced' })]),
        },
        error: { code: 'unprocessable', reason: 'record_still_referenced' },
      },
    })
    expect(await db.query(`SELECT 1 FROM buses WHERE id = 'B1'`)).toHaveLength(1)
    const badGrade = await call(
      'PUT',
      '/api/registers/pupils/records',
      'bureau',
      pupilCells({ grade: 'abc' }),
    )
    expect(badGrade).toMatchObject({
      status: 422,
      body: { report: { applied: false }, error: { code: 'unprocessable', reason: 'register_errors' } },
    })
  })

  it('answer an import applied with errors with its reason, and its dry run with the report alone', async () => {
    const csv = `学生编码 code,姓名 name,年级 grade,学校代码 school,课后服务 after_school_service\n${pupilOfS2},Pupil Three,abc,S2,否\n`
    const checked = await upload('bureau', { fileName: 'pupils.csv', dryRun: 'true' }, csv)
    expect(checked.status).toBe(200)
    expect(checked.body.report.errorCount).toBeGreaterThan(0)
    expect(checked.body.error).toBeUndefined()
    const applied = await upload('bureau', { fileName: 'pupils.csv', dryRun: 'false' }, csv)
    expect(applied).toMatchObject({
      status: 422,
      body: { report: { applied: false }, error: { reason: 'register_errors' } },
    })
    const [{ grade }] = await db.query<{ grade: number }>(`SELECT grade FROM pupils WHERE id = 'P3'`)
    expect(grade).toBe(8)
  })

  it('name a file that is no register file, a CSV whose register is unsaid, and one too large', async () => {
    expect(await upload('bureau', { fileName: 'notes.txt' }, 'hello')).toMatchObject({
      status: 422,
      body: { error: { field: 'query.fileName', reason: 'not_a_register_file' } },
    })
    const garbled = await upload('bureau', { fileName: 'registers.xlsx' }, 'not a workbook')
    expect(garbled).toMatchObject({
      status: 422,
      body: {
        report: { problems: expect.arrayContaining([expect.objectContaining({ code: 'unreadable_file' })]) },
        error: { reason: 'not_a_register_file' },
      },
    })
    expect(await upload('bureau', { fileName: 'export.csv' }, 'a,b\n')).toMatchObject({
      status: 400,
      body: { error: { field: 'query.register', reason: 'csv_register_unknown' } },
    })
    const huge = new Uint8Array(64 * 1024 * 1024 + 1)
    expect(await upload('bureau', { fileName: 'registers.xlsx' }, huge)).toMatchObject({
      status: 413,
      body: { error: { code: 'too_large', reason: 'file_too_large' } },
    })
  })
})

describe('the letters’ refusals', () => {
  const letters = (caller: ScenarioCaller, body: unknown) =>
    call('POST', '/api/enrolment/letters', caller, body)

  it('tell a school asking for another school from one asking for another school’s pupils', async () => {
    expect(await letters('schoolS1', { schoolCode: 'S2' })).toMatchObject({
      status: 403,
      body: { error: { field: 'body.schoolCode', reason: 'school_outside_scope' } },
    })
    expect(await call('GET', '/api/enrolment/status?schoolCode=S2', 'schoolS1')).toMatchObject({
      status: 403,
      body: { error: { reason: 'school_outside_scope' } },
    })
    const others = await letters('schoolS1', { pupilCodes: ['P00000011', 'P00000022'] })
    expect(others).toMatchObject({
      status: 403,
      body: { error: { field: 'body.pupilCodes', reason: 'pupil_of_another_school' } },
    })
    // The codes at fault, as typed, and nothing else of those pupils.
    expect(others.body.error.details).toEqual({ pupilCodes: ['P00000022'] })
    expect(JSON.stringify(others.body)).not.toContain('Pupil Two')
  })

  it('name the unknown codes, an unknown school and an empty selection', async () => {
    const unknown = await letters('bureau', { pupilCodes: ['P00000011', 'P404', 'P405'] })
    expect(unknown).toMatchObject({
      status: 404,
      body: {
        error: { code: 'not_found', reason: 'unknown_pupil_code', details: { pupilCodes: ['P404', 'P405'] } },
      },
    })
    expect(await letters('bureau', { schoolCode: 'S9' })).toMatchObject({
      status: 404,
      body: { error: { field: 'body.schoolCode', reason: 'unknown_school_code' } },
    })
    expect(await letters('bureau', {})).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', reason: 'empty_selection' } },
    })
  })
})
