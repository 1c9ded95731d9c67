import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database, Queryable } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { readRegisters } from './read-registers.js'
import {
  emptyRegisterSet,
  registerKeys,
  registerNames,
  type PupilRecord,
  type RegisterSet,
  type TripCallRecord,
} from './register-records.js'
import { writeRegisters, type RegisterChanges } from './write-registers.js'

const primary = 'ls-primary'
const am = 'bus-01-am'
const pm = 'bus-01-pm'
const pupilA = 'P000000018'
const pupilB = 'P000000026'
const pupilC = 'P000000034'

const call = (tripCode: string, seq: number, stopCode: string, time: string): TripCallRecord => ({
  tripCode,
  seq,
  stopCode,
  arrive: time,
  depart: time,
})

/** Every register filled, in no particular order, with ids left blank where the store makes them. */
function sampleRegisters(): RegisterSet {
  const town = { kind: 'town' as const, nameEn: null, lat: 30.18, lon: 121.5 }
  const stop = { townCode: 'longshan', kind: 'village' as const, lat: 30.19, lon: 121.51 }
  const pupil = { waveCode: null, afterSchoolService: false, homeLat: 30.2, homeLon: 121.52 }
  return {
    towns: [
      { code: 'longshan', nameZh: '龙山镇', ...town },
      { code: 'cixi', kind: 'city', nameZh: '慈溪市', nameEn: 'Cixi', lat: 30.17, lon: 121.27 },
    ],
    schools: [
      {
        code: primary,
        nameZh: '龙山小学',
        nameEn: 'Longshan Primary',
        townCode: 'longshan',
        kind: 'primary',
        lat: 30.18,
        lon: 121.5,
        gateStopCode: 'ls-gate',
      },
      {
        code: 'ls-middle',
        nameZh: '龙山中学',
        nameEn: null,
        townCode: 'longshan',
        kind: 'middle',
        lat: 30.17,
        lon: 121.49,
        gateStopCode: null,
      },
    ],
    bellTimes: [
      { schoolCode: primary, grade: 2, startTime: '08:00:00' },
      { schoolCode: 'ls-middle', grade: 7, startTime: '07:30:00' },
      { schoolCode: primary, grade: 1, startTime: '08:10:00' },
    ],
    dismissalWaves: [
      {
        code: 'ls-primary-w2',
        schoolCode: primary,
        name: '课后服务',
        time: '17:10:00',
        grades: [2, 1],
        afterSchoolService: true,
      },
      {
        code: 'ls-primary-w1',
        schoolCode: primary,
        name: '第一批',
        time: '15:30:00',
        grades: [1],
        afterSchoolService: false,
      },
    ],
    stops: [
      { code: 'ls-v2', nameZh: '二村', ...stop },
      { code: 'ls-gate', nameZh: '龙山小学校门', ...stop, kind: 'school_gate' },
      { code: 'ls-v1', nameZh: '一村', ...stop },
      { code: 'ls-v3', nameZh: '三村', ...stop, townCode: null },
    ],
    buses: [
      {
        plate: '浙B·A0002',
        code: 'bus-02',
        kind: 'micro_bus',
        seats: 19,
        townCode: 'longshan',
        schoolCode: null,
        operator: '慈溪公交',
        depotLat: null,
        depotLon: null,
        terminalNo: null,
        permitNo: null,
        permitValidUntil: null,
        inspectedOn: null,
        insuranceUntil: null,
      },
      {
        plate: '浙B·A0001',
        code: 'bus-01',
        kind: 'school_bus',
        seats: 35,
        townCode: 'longshan',
        schoolCode: primary,
        operator: '龙山校车公司',
        depotLat: 30.181,
        depotLon: 121.501,
        terminalNo: '013800000001',
        permitNo: '浙校车 0001',
        permitValidUntil: '2027-08-31',
        inspectedOn: '2026-03-01',
        insuranceUntil: '2027-01-15',
      },
    ],
    staff: [
      {
        code: 'drv-01',
        role: 'driver',
        name: '陈志杰',
        phone: '10029995006',
        busPlate: '浙B·A0001',
        licenceClass: 'A1',
        licenceDate: '2005-06-01',
        birthDate: '1978-02-03',
        reviewedOn: '2026-02-01',
        trainedOn: null,
        unit: null,
      },
      {
        code: 'att-01',
        role: 'attendant',
        name: '张芳艳',
        phone: null,
        busPlate: '浙B·A0001',
        licenceClass: null,
        licenceDate: null,
        birthDate: null,
        reviewedOn: null,
        trainedOn: '2026-01-10',
        unit: null,
      },
      {
        code: 'pol-01',
        role: 'police',
        name: '李杰勇',
        phone: '10033516710',
        busPlate: null,
        licenceClass: null,
        licenceDate: null,
        birthDate: null,
        reviewedOn: null,
        trainedOn: null,
        unit: '龙山派出所',
      },
    ],
    lines: [
      {
        code: 'line-1',
        name: '龙山微公交1路',
        kind: 'micro_bus',
        operator: null,
        seats: 19,
        schoolCodes: ['ls-middle', primary],
        stopCodes: ['ls-v3', 'ls-gate'],
      },
    ],
    trips: [
      {
        code: pm,
        busPlate: '浙B·A0001',
        lineCode: null,
        schoolCode: primary,
        direction: 'from_school',
        waveCode: 'ls-primary-w1',
        weekdays: [1, 2, 3, 4, 5],
        distanceM: 5200.5,
        durationS: 900,
      },
      {
        code: am,
        busPlate: '浙B·A0001',
        lineCode: null,
        schoolCode: primary,
        direction: 'to_school',
        waveCode: null,
        weekdays: [5, 1],
        distanceM: null,
        durationS: null,
      },
      {
        code: 'line-1-am',
        busPlate: null,
        lineCode: 'line-1',
        schoolCode: primary,
        direction: 'to_school',
        waveCode: null,
        weekdays: [1],
        distanceM: 3000,
        durationS: 600,
      },
    ],
    tripCalls: [
      call(am, 2, 'ls-v2', '07:20:00'),
      call(am, 1, 'ls-v1', '07:10:00'),
      call(am, 3, 'ls-gate', '07:40:00'),
      call(pm, 1, 'ls-gate', '15:40:00'),
      call(pm, 2, 'ls-v2', '16:00:00'),
      call(pm, 3, 'ls-v1', '16:10:00'),
      call('line-1-am', 1, 'ls-v3', '07:00:00'),
      call('line-1-am', 2, 'ls-gate', '07:30:00'),
    ],
    pupils: [
      {
        code: pupilB,
        id: null,
        name: '王小二',
        grade: 2,
        schoolCode: primary,
        ...pupil,
        stopCode: 'ls-v2',
        tripCodes: [am],
      },
      {
        code: pupilA,
        id: 'pu-a',
        name: '施宇瑶',
        grade: 1,
        schoolCode: primary,
        ...pupil,
        waveCode: 'ls-primary-w1',
        stopCode: 'ls-v1',
        tripCodes: [pm, am],
      },
      {
        code: pupilC,
        id: 'pu-c',
        name: '李三',
        grade: 7,
        schoolCode: 'ls-middle',
        ...pupil,
        afterSchoolService: true,
        homeLat: null,
        homeLon: null,
        stopCode: null,
        tripCodes: [],
      },
    ],
    guardians: [
      { phone: '10000000002', id: null, name: '李母', relation: null, pupilCodes: [pupilC] },
      {
        phone: '10000000001',
        id: 'gu-1',
        name: '施父',
        relation: 'father',
        pupilCodes: [pupilB, pupilA, pupilC],
      },
    ],
  }
}

/** The registers as the store reads them back: sorted by key, sets sorted, blank ids made. */
function asStored(set: RegisterSet): RegisterSet {
  const sorted = emptyRegisterSet()
  for (const register of registerNames) {
    const keyOf = registerKeys[register] as (record: object) => string
    ;(sorted[register] as object[]) = [...(set[register] as object[])].sort((a, b) =>
      compareKeys(keyOf(a), keyOf(b)),
    )
  }
  return {
    ...sorted,
    dismissalWaves: sorted.dismissalWaves.map((w) => ({ ...w, grades: [...w.grades].sort((a, b) => a - b) })),
    pupils: sorted.pupils.map((p) => ({
      ...p,
      id: p.id ?? p.code.toLowerCase(),
      tripCodes: [...p.tripCodes].sort(),
    })),
    guardians: sorted.guardians.map((g) => ({
      ...g,
      id: g.id ?? `gu-${g.phone}`,
      pupilCodes: [...g.pupilCodes].sort(),
    })),
  }
}

/** Composite keys sort by their parts, numbers by value. */
function compareKeys(a: string, b: string): number {
  const [left, right] = [a.split('\t'), b.split('\t')]
  for (let i = 0; i < left.length; i++) {
    const [x, y] = [left[i]!, right[i]!]
    const order = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0
    if (order !== 0) return order
  }
  return 0
}

const inserts = (set: Partial<RegisterSet>): RegisterChanges => ({ upserts: set, removals: {} })

async function ridesOf(tx: Queryable, tripCode: string) {
  return tx.query<{ code: string; board: number; alight: number }>(
    `SELECT p.code, tp.board_seq AS board, tp.alight_seq AS alight
       FROM trip_pupils tp JOIN pupils p ON p.id = tp.pupil_id WHERE tp.trip_id = $1 ORDER BY p.code`,
    [tripCode],
  )
}

describe('writeRegisters and readRegisters on the embedded store', () => {
  let db: Database

  beforeAll(async () => {
    db = await openPgliteDatabase()
    await migrateDatabase(db)
  })
  afterAll(async () => {
    await db?.close()
  })

  /** Each case starts from the sample registers and leaves the store as it found it. */
  async function withSample(work: (tx: Queryable) => Promise<void>): Promise<void> {
    const rollback = new Error('rollback')
    await db
      .transaction(async (tx) => {
        await writeRegisters(tx, inserts(sampleRegisters()))
        await work(tx)
        throw rollback
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error
      })
  }

  it('reads back every register as written, the city row included', async () => {
    await withSample(async (tx) => {
      const read = await readRegisters(tx)
      expect(read).toEqual(asStored(sampleRegisters()))
      expect(read.towns[0]).toEqual({
        code: 'cixi',
        kind: 'city',
        nameZh: '慈溪市',
        nameEn: 'Cixi',
        lat: 30.17,
        lon: 121.27,
      })
    })
  })

  it('reads only the registers asked for', async () => {
    await withSample(async (tx) => {
      const read = await readRegisters(tx, { registers: ['buses', 'tripCalls'] })
      expect(read).toEqual({
        ...emptyRegisterSet(),
        buses: asStored(sampleRegisters()).buses,
        tripCalls: asStored(sampleRegisters()).tripCalls,
      })
    })
  })

  it("reads one school's pupils and their guardians, each guardian with all its pupils", async () => {
    await withSample(async (tx) => {
      const read = await readRegisters(tx, { registers: ['pupils', 'guardians'], schoolCode: 'ls-middle' })
      expect(read.pupils.map((p) => p.code)).toEqual([pupilC])
      expect(read.guardians.map((g) => [g.phone, g.pupilCodes])).toEqual([
        ['10000000001', [pupilA, pupilB, pupilC]],
        ['10000000002', [pupilC]],
      ])
      const other = await readRegisters(tx, { registers: ['pupils', 'guardians'], schoolCode: primary })
      expect(other.guardians.map((g) => g.phone)).toEqual(['10000000001'])
    })
  })

  it('writes the rides from each pupil stop and trips', async () => {
    await withSample(async (tx) => {
      expect(await ridesOf(tx, am)).toEqual([
        { code: pupilA, board: 1, alight: 3 },
        { code: pupilB, board: 2, alight: 3 },
      ])
      expect(await ridesOf(tx, pm)).toEqual([{ code: pupilA, board: 1, alight: 3 }])
    })
  })

  it("moves a pupil's rides with its stop", async () => {
    await withSample(async (tx) => {
      const [a] = sampleRegisters().pupils.filter((p) => p.code === pupilA)
      await writeRegisters(tx, inserts({ pupils: [{ ...a!, stopCode: 'ls-v2' }] }))
      expect(await ridesOf(tx, am)).toEqual([
        { code: pupilA, board: 2, alight: 3 },
        { code: pupilB, board: 2, alight: 3 },
      ])
      expect(await ridesOf(tx, pm)).toEqual([{ code: pupilA, board: 1, alight: 2 }])
    })
  })

  it('moves the stored riders of a trip whose calls change', async () => {
    await withSample(async (tx) => {
      await writeRegisters(tx, {
        upserts: { tripCalls: [call(pm, 2, 'ls-v1', '16:05:00')] },
        removals: { tripCalls: [`${pm}\t3`] },
      })
      expect(await ridesOf(tx, pm)).toEqual([{ code: pupilA, board: 1, alight: 2 }])

      await writeRegisters(
        tx,
        inserts({
          tripCalls: [
            call(am, 1, 'ls-v3', '07:05:00'),
            call(am, 2, 'ls-v1', '07:10:00'),
            call(am, 3, 'ls-v2', '07:20:00'),
            call(am, 4, 'ls-gate', '07:40:00'),
          ],
        }),
      )
      expect(await ridesOf(tx, am)).toEqual([
        { code: pupilA, board: 2, alight: 4 },
        { code: pupilB, board: 3, alight: 4 },
      ])
    })
  })

  it("refuses a ride on a trip that does not call at the pupil's stop", async () => {
    await withSample(async (tx) => {
      const [b] = sampleRegisters().pupils.filter((p) => p.code === pupilB)
      await expect(writeRegisters(tx, inserts({ pupils: [{ ...b!, stopCode: 'ls-v3' }] }))).rejects.toThrow(
        `pupil ${pupilB} on trip ${am}: the trip does not call at the pupil's stop ls-v3`,
      )
    })
  })

  it('removes records by natural key', async () => {
    await withSample(async (tx) => {
      await writeRegisters(tx, {
        upserts: {},
        removals: {
          guardians: ['10000000002'],
          pupils: [pupilB],
          buses: ['浙B·A0002'],
          staff: ['pol-01'],
          stops: ['ls-v3'],
          lines: ['line-1'],
          trips: ['line-1-am'],
          tripCalls: ['line-1-am\t1', 'line-1-am\t2'],
          bellTimes: ['ls-middle\t7'],
          dismissalWaves: ['ls-primary-w2'],
        },
      })
      const read = await readRegisters(tx)
      expect(read.guardians.map((g) => [g.phone, g.pupilCodes])).toEqual([['10000000001', [pupilA, pupilC]]])
      expect(read.pupils.map((p) => p.code)).toEqual([pupilA, pupilC])
      expect(read.buses.map((b) => b.plate)).toEqual(['浙B·A0001'])
      expect(read.staff.map((s) => s.code)).toEqual(['att-01', 'drv-01'])
      expect(read.stops.map((s) => s.code)).toEqual(['ls-gate', 'ls-v1', 'ls-v2'])
      expect(read.lines).toEqual([])
      expect(read.trips.map((t) => t.code)).toEqual([am, pm])
      expect(read.tripCalls.filter((c) => c.tripCode === 'line-1-am')).toEqual([])
      expect(read.bellTimes.map((b) => [b.schoolCode, b.grade])).toEqual([
        [primary, 1],
        [primary, 2],
      ])
      expect(read.dismissalWaves.map((w) => w.code)).toEqual(['ls-primary-w1'])
    })
  })

  it('keeps the stored id of a pupil found by code and of a guardian found by phone', async () => {
    await withSample(async (tx) => {
      const [a] = sampleRegisters().pupils.filter((p) => p.code === pupilA)
      const renamed: PupilRecord = { ...a!, id: null, name: '施雨瑶' }
      await writeRegisters(
        tx,
        inserts({
          pupils: [renamed],
          guardians: [
            { phone: '10000000001', id: null, name: '施父', relation: 'other', pupilCodes: [pupilA] },
          ],
        }),
      )
      const read = await readRegisters(tx, { registers: ['pupils', 'guardians'] })
      expect(read.pupils.find((p) => p.code === pupilA)).toMatchObject({ id: 'pu-a', name: '施雨瑶' })
      expect(read.guardians.find((g) => g.phone === '10000000001')).toEqual({
        phone: '10000000001',
        id: 'gu-1',
        name: '施父',
        relation: 'other',
        pupilCodes: [pupilA],
      })
    })
  })

  it("replaces a school's bell times and waves by key and keeps the others", async () => {
    await withSample(async (tx) => {
      await writeRegisters(
        tx,
        inserts({
          bellTimes: [{ schoolCode: primary, grade: 1, startTime: '08:20:00' }],
          dismissalWaves: [
            {
              code: 'ls-primary-w1',
              schoolCode: 'ls-middle',
              name: '第一批',
              time: '15:40:00',
              grades: [7],
              afterSchoolService: false,
            },
          ],
        }),
      )
      const read = await readRegisters(tx, { registers: ['bellTimes', 'dismissalWaves'] })
      expect(read.bellTimes.map((b) => `${b.schoolCode} ${b.grade} ${b.startTime}`)).toEqual([
        'ls-middle 7 07:30:00',
        'ls-primary 1 08:20:00',
        'ls-primary 2 08:00:00',
      ])
      expect(read.dismissalWaves.map((w) => `${w.code} ${w.schoolCode} ${w.time}`)).toEqual([
        'ls-primary-w1 ls-middle 15:40:00',
        'ls-primary-w2 ls-primary 17:10:00',
      ])
    })
  })

  it('refuses a new code for a stored plate', async () => {
    await withSample(async (tx) => {
      const [bus] = sampleRegisters().buses.filter((b) => b.code === 'bus-02')
      await expect(writeRegisters(tx, inserts({ buses: [{ ...bus!, code: 'bus-99' }] }))).rejects.toThrow(
        'bus 浙B·A0002 is stored with code bus-02; its code cannot become bus-99',
      )
    })
  })
})
