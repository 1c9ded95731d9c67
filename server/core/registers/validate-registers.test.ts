import { describe, expect, it } from 'vitest'
import type { CountyBoundary } from './county-boundary.js'
import { mergeRegisters, type LocatedRecords } from './merge-registers.js'
import { formatPupilCode } from './pupil-code.js'
import { emptyRegisterSet, type RegisterSet } from './register-records.js'
import { validateRegisters } from './validate-registers.js'

/** A square county around 30.2 N, 121.3 E, about 20 km across. */
const county: CountyBoundary = {
  name: 'the test county',
  contains: (lat, lon) => Math.abs(lat - 30.2) < 0.1 && Math.abs(lon - 121.3) < 0.1,
}

const pupilCode = formatPupilCode(12345678)

function smallCounty(): RegisterSet {
  const set = emptyRegisterSet()
  set.towns.push({ code: 'hushan', kind: 'town', nameZh: '浒山', nameEn: 'Hushan', lat: 30.2, lon: 121.3 })
  set.stops.push(
    { code: 'gate', nameZh: '校门', townCode: 'hushan', kind: 'school_gate', lat: 30.2, lon: 121.3 },
    { code: 'village', nameZh: '村口', townCode: 'hushan', kind: 'village', lat: 30.21, lon: 121.31 },
  )
  set.schools.push({
    code: 'school',
    nameZh: '实验小学',
    nameEn: null,
    townCode: 'hushan',
    kind: 'primary',
    lat: 30.2,
    lon: 121.3,
    gateStopCode: 'gate',
  })
  set.dismissalWaves.push({
    code: 'school-w1',
    schoolCode: 'school',
    name: '放学',
    time: '16:00:00',
    grades: [1, 2],
    afterSchoolService: false,
  })
  set.buses.push({
    plate: '浙B·X9924',
    code: 'bus-01',
    kind: 'school_bus',
    seats: 45,
    townCode: 'hushan',
    schoolCode: 'school',
    operator: '校车公司',
    depotLat: null,
    depotLon: null,
    terminalNo: '13800000001',
    permitNo: null,
    permitValidUntil: null,
    inspectedOn: null,
    insuranceUntil: null,
  })
  set.trips.push({
    code: 'am',
    busPlate: '浙B·X9924',
    lineCode: null,
    schoolCode: 'school',
    direction: 'to_school',
    waveCode: null,
    weekdays: [1, 2, 3, 4, 5],
    distanceM: 3000,
    durationS: 600,
  })
  set.tripCalls.push(
    { tripCode: 'am', seq: 1, stopCode: 'village', arrive: '07:00:00', depart: '07:01:00' },
    { tripCode: 'am', seq: 2, stopCode: 'gate', arrive: '07:10:00', depart: '07:10:00' },
  )
  set.pupils.push({
    code: pupilCode,
    id: 'pu-1',
    name: '学生',
    grade: 1,
    schoolCode: 'school',
    waveCode: 'school-w1',
    afterSchoolService: false,
    homeLat: 30.21,
    homeLon: 121.31,
    stopCode: 'village',
    tripCodes: ['am'],
  })
  set.guardians.push({
    phone: '13900000000',
    id: 'gu-1',
    name: '家长',
    relation: 'mother',
    pupilCodes: [pupilCode],
  })
  return set
}

/** Imports `records` over `stored` and checks the result, as the import does. */
function check(stored: RegisterSet, records: LocatedRecords, remove = false) {
  const merge = mergeRegisters(stored, records, { remove })
  return { merge, problems: [...merge.problems, ...validateRegisters(merge.merged, merge.origins, county)] }
}

const at = (row: number) => ({ sheet: 'sheet', row })

describe('validateRegisters', () => {
  it('finds nothing wrong with a consistent county', () => {
    expect(validateRegisters(smallCounty(), {}, county)).toEqual([])
  })

  it('points each broken reference and inconsistency at the imported row and column', () => {
    const stored = smallCounty()
    const pupil = stored.pupils[0]!
    const { problems } = check(stored, {
      pupils: [
        { record: { ...pupil, schoolCode: 'nowhere' }, origin: at(2) },
        {
          record: { ...pupil, code: formatPupilCode(12345679), id: null, stopCode: 'gate', homeLat: 31.5 },
          origin: at(3),
        },
      ],
      tripCalls: [
        { record: stored.tripCalls[0]!, origin: at(2) },
        { record: { ...stored.tripCalls[1]!, arrive: '06:00:00', depart: '06:00:00' }, origin: at(3) },
      ],
      trips: [{ record: { ...stored.trips[0]!, lineCode: 'w1' }, origin: at(2) }],
    })
    const summary = problems.map((p) => [p.sheet, p.row, p.column, p.code])
    expect(summary).toEqual(
      expect.arrayContaining([
        ['sheet', 2, '学校代码 school', 'unknown_reference'],
        ['sheet', 3, '家庭纬度 home_lat', 'outside_county'],
        ['sheet', 3, '到站时间 arrive', 'inconsistent'],
        ['sheet', 2, '车牌号 bus', 'inconsistent'],
        ['sheet', 2, '线路代码 line', 'unknown_reference'],
      ]),
    )
    // The second pupil's stop is on its trip (the gate), so only its home is at fault.
    expect(problems.filter((p) => p.register === 'pupils' && p.row === 3)).toHaveLength(1)
  })

  it('reports a trip that does not call at the pupil’s stop, and one of another school', () => {
    const stored = smallCounty()
    stored.stops.push({
      code: 'far',
      nameZh: '远处',
      townCode: null,
      kind: 'village',
      lat: 30.25,
      lon: 121.35,
    })
    const pupil = stored.pupils[0]!
    const { problems } = check(stored, { pupils: [{ record: { ...pupil, stopCode: 'far' }, origin: at(5) }] })
    expect(problems).toEqual([
      expect.objectContaining({
        row: 5,
        code: 'inconsistent',
        message: "trip am does not call at the pupil's stop far",
      }),
    ])
  })

  it('refuses a removal that leaves a stored record pointing at nothing', () => {
    const { problems, merge } = check(
      smallCounty(),
      { stops: [{ record: smallCounty().stops[0]!, origin: at(2) }] },
      true,
    )
    expect(merge.changes.removals).toEqual({ stops: ['village'] })
    expect(problems.map((p) => [p.register, p.row, p.code])).toEqual(
      expect.arrayContaining([
        ['tripCalls', null, 'still_referenced'],
        ['pupils', null, 'still_referenced'],
      ]),
    )
  })

  it('warns of a trip of the file that would run with its bus out of compliance, and only given a day', () => {
    const stored = smallCounty()
    // Monday 7 December 2026: the bus has no permit, inspection or insurance recorded, nor a crew.
    const records = { trips: [{ record: stored.trips[0]!, origin: at(4) }] }
    const merge = mergeRegisters(stored, records, { remove: false })
    expect(validateRegisters(merge.merged, merge.origins, county)).toEqual([])
    const warnings = validateRegisters(merge.merged, merge.origins, county, { serviceDay: '2026-12-07' })
    expect(warnings.map((p) => [p.severity, p.row, p.column, p.code])).toEqual(
      Array(5).fill(['warning', 4, '车牌号 bus', 'not_compliant']),
    )
    expect(warnings.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'runs on 2026-12-07 with bus 浙B·X9924 out of compliance: permit_missing',
        'runs on 2026-12-07 with bus 浙B·X9924 out of compliance: attendant_missing',
      ]),
    )
  })

  it('finds a bus code or terminal number given to two plates', () => {
    const stored = smallCounty()
    const bus = stored.buses[0]!
    const { problems } = check(stored, { buses: [{ record: { ...bus, plate: '浙B·A1234' }, origin: at(3) }] })
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '车辆编号 code', 'duplicate_key'],
      [3, '终端手机号 terminal_no', 'duplicate_key'],
    ])
  })
})

describe('mergeRegisters', () => {
  it('counts unchanged records as such, so importing what is stored changes nothing', () => {
    const stored = smallCounty()
    const { merge } = check(stored, {
      pupils: stored.pupils.map((record) => ({ record: { ...record, id: null }, origin: at(2) })),
      buses: stored.buses.map((record) => ({ record, origin: at(2) })),
    })
    expect(merge.counts).toEqual({
      pupils: { inserted: 0, updated: 0, unchanged: 1, removed: 0 },
      buses: { inserted: 0, updated: 0, unchanged: 1, removed: 0 },
    })
    expect(merge.changes).toEqual({ upserts: {}, removals: {} })
  })

  it('reports a key given twice at its second row', () => {
    const bus = smallCounty().buses[0]!
    const { merge } = check(emptyRegisterSet(), {
      buses: [
        { record: bus, origin: at(2) },
        { record: bus, origin: at(7) },
      ],
    })
    expect(merge.problems).toEqual([
      expect.objectContaining({ code: 'duplicate_key', row: 7, message: expect.stringContaining('row 2') }),
    ])
  })

  it('replaces a trip’s calls whole, and removes other records only when asked', () => {
    const stored = smallCounty()
    stored.tripCalls.push({
      tripCode: 'am',
      seq: 3,
      stopCode: 'gate',
      arrive: '07:12:00',
      depart: '07:12:00',
    })
    const kept = check(stored, {
      tripCalls: stored.tripCalls.slice(0, 2).map((record) => ({ record, origin: at(2) })),
    })
    expect(kept.merge.changes.removals).toEqual({ tripCalls: ['am\t3'] })
    const stops = { stops: [{ record: stored.stops[1]!, origin: at(2) }] }
    expect(check(stored, stops).merge.changes.removals).toEqual({})
    expect(check(stored, stops, true).merge.changes.removals).toEqual({ stops: ['gate'] })
  })
})
