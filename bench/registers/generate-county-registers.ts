import { SyntheticNames } from '../../fixtures/synthetic-names.js'
import { createSeededRandom, type SeededRandom } from '../../geo/random/seeded-random.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import {
  formatPupilCode,
  PUPIL_CODE_SERIAL_MAX,
  PUPIL_CODE_SERIAL_MIN,
} from '../../server/core/registers/pupil-code.js'
import type {
  BellTimeRecord,
  BusRecord,
  DismissalWaveRecord,
  GuardianRecord,
  GuardianRelation,
  LineRecord,
  PupilRecord,
  RegisterSet,
  SchoolKind,
  SchoolRecord,
  StaffRecord,
  StopRecord,
  TownRecord,
  TripCallRecord,
  TripRecord,
} from '../../server/core/registers/register-records.js'
import { readCountyArea, type CountyArea } from './county-area.js'

export interface CountyRegisterOptions {
  pupils: number
  buses: number
  /** All stops, the schools' gates among them. */
  stops: number
  seed?: number
  /** Where towns, schools, stops and homes are drawn; the Cixi boundary when absent. */
  area?: CountyArea
}

const DEFAULT_SEED = 20_260_901
const TOWN_COUNT = 20
const PUPILS_PER_SCHOOL = 800
const RIDER_SHARE = 0.6
/** A family sends two children to the same school. */
const SIBLING_SHARE = 0.12
/** A pupil's family names a second guardian; with one or two, a pupil has 1.5 on average. */
const SECOND_GUARDIAN_SHARE = 0.5
const MAX_LINES = 4
/** Straight-line distance times this is the road distance of a leg. */
const ROAD_FACTOR = 1.35
const M_PER_DEG_LAT = 111_195
const SCHOOL_DAYS = [1, 2, 3, 4, 5]
const SEAT_CHOICES = [
  { value: 24, weight: 0.15 },
  { value: 36, weight: 0.35 },
  { value: 45, weight: 0.35 },
  { value: 56, weight: 0.15 },
]
const PLATE_LETTERS = [...'ABCDEFGHJKLMNPQRSTUVWXYZ']
const PLACE_PREFIXES = [...'东西南北上下前后新老大小高长中沙潮蒋胡陈徐孙沈杜洪岑施叶童宓金银古横周龙桥']
const PLACE_ROOTS = [...'塘浦桥湾岙河江闸山家庄堰埭漕墩舍湖泾港溪坎林田']
const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

interface Point {
  lat: number
  lon: number
}

interface Town extends Point {
  record: TownRecord
  shortName: string
}

interface School extends Point {
  record: SchoolRecord
  town: Town
  grades: number[]
  bellTimes: BellTimeRecord[]
  waves: DismissalWaveRecord[]
  gate: StopRecord & Point
  earliestStartS: number
  pupils: number
  buses: Bus[]
  /** Non-gate stops near the school that its trips call at, by bearing from the school. */
  pool: PoolStop[]
}

interface PoolStop {
  stop: StopRecord & Point
  distanceM: number
}

interface Bus {
  record: BusRecord
  morning: TripRecord
  afternoon: TripRecord
  wave: DismissalWaveRecord
  /** The stops where pupils get on in the morning and off in the afternoon: not the gate. */
  riderStops: Array<StopRecord & Point>
}

/**
 * A synthetic county's registers, as large as asked, that pass every check of the import: towns
 * (a city and twenty towns) spread over the county, a school per 800 pupils with its bell times and
 * two or three dismissal waves, the stops (each school's gate among them), the buses with a driver,
 * an attendant and a police contact each, a morning and an afternoon trip per bus calling at stops
 * near its school, a few micro-bus lines, the pupils (about 60% riding) and their guardians.
 * Deterministic for a seed; every place is drawn inside the county's boundary by rejection.
 * Everything is SYNTHETIC: names, plates, phones and dates are made up.
 */
export function generateCountyRegisters(options: CountyRegisterOptions): RegisterSet {
  const { pupils: pupilCount, buses: busCount, stops: stopCount } = options
  for (const [name, value] of Object.entries({ pupils: pupilCount, buses: busCount, stops: stopCount })) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${name}: expected a whole number, got ${value}`)
  }
  const area = options.area ?? readCountyArea()
  const random = createSeededRandom(options.seed ?? DEFAULT_SEED)
  const schoolCount = Math.max(1, Math.round(pupilCount / PUPILS_PER_SCHOOL))
  if (stopCount < schoolCount + (busCount > 0 ? 11 : 0)) {
    throw new RangeError(
      `stops: ${schoolCount} school gates and at least 11 other stops are needed, got ${stopCount}`,
    )
  }
  if (busCount > PLATE_LETTERS.length * 10_000)
    throw new RangeError(`buses: at most ${PLATE_LETTERS.length * 10_000}`)

  const towns = drawTowns(random.fork('towns'), area)
  const schools = drawSchools(random.fork('schools'), area, towns, schoolCount, pupilCount)
  const stops = drawStops(random.fork('stops'), area, towns, schools, stopCount - schoolCount)
  const phones = new PhoneBook()
  const fleet = drawFleet(random.fork('fleet'), schools, busCount, phones)
  const lines = drawLines(random.fork('lines'), schools)
  const families = drawPupils(random.fork('pupils'), area, schools, phones)

  return {
    towns: towns.map((town) => town.record),
    schools: schools.map((school) => school.record),
    bellTimes: schools.flatMap((school) => school.bellTimes),
    dismissalWaves: schools.flatMap((school) => school.waves),
    stops,
    buses: fleet.buses,
    staff: fleet.staff,
    lines: lines.lines,
    trips: [...fleet.trips, ...lines.trips],
    tripCalls: [...fleet.tripCalls, ...lines.tripCalls],
    pupils: families.pupils,
    guardians: families.guardians,
  }
}

function drawTowns(random: SeededRandom, area: CountyArea): Town[] {
  const names = new Set<string>()
  const towns: Town[] = []
  let separationM = 5000
  for (let i = 0; i <= TOWN_COUNT; i++) {
    let centre = pointAnywhere(random, area)
    for (
      let attempt = 1;
      towns.some((t) => haversineM(t.lat, t.lon, centre.lat, centre.lon) < separationM);
      attempt++
    ) {
      if (attempt % 200 === 0) separationM *= 0.8
      centre = pointAnywhere(random, area)
    }
    let shortName: string
    do shortName = `${random.pick(PLACE_PREFIXES)}${random.pick(PLACE_ROOTS)}`
    while (names.has(shortName))
    names.add(shortName)
    const city = i === 0
    const number = String(i).padStart(2, '0')
    towns.push({
      ...centre,
      shortName,
      record: {
        code: city ? 'city' : `town-${number}`,
        kind: city ? 'city' : 'town',
        nameZh: `${shortName}${city ? '街道' : '镇'}`,
        nameEn: city ? 'City' : `Town ${number}`,
        lat: centre.lat,
        lon: centre.lon,
      },
    })
  }
  return towns
}

const KIND_WEIGHTS: { value: SchoolKind; weight: number }[] = [
  { value: 'primary', weight: 0.55 },
  { value: 'middle', weight: 0.3 },
  { value: 'nine_year', weight: 0.15 },
]
const KIND_SIZE: Record<SchoolKind, number> = { primary: 1, middle: 1.1, nine_year: 1.3 }
const KIND_NAME: Record<SchoolKind, string> = { primary: '小学', middle: '初级中学', nine_year: '实验学校' }

function drawSchools(
  random: SeededRandom,
  area: CountyArea,
  towns: Town[],
  count: number,
  pupilCount: number,
): School[] {
  const ordinals = new Map<string, number>()
  const schools: School[] = []
  for (let i = 0; i < count; i++) {
    // One school in six is in the city, the others go round the towns.
    const slot = i % (TOWN_COUNT + 4)
    const town = towns[slot < 4 ? 0 : slot - 3]!
    const kind = random.pickWeighted(KIND_WEIGHTS)
    const ordinalKey = `${town.record.code}\t${kind}`
    const ordinal = (ordinals.get(ordinalKey) ?? 0) + 1
    ordinals.set(ordinalKey, ordinal)
    const site = pointNear(random, area, town, 3000)
    const code = `sch-${String(i + 1).padStart(3, '0')}`
    const shiftS = random.int(0, 2) * 300
    const grades =
      kind === 'primary' ? [1, 2, 3, 4, 5, 6] : kind === 'middle' ? [7, 8, 9] : [1, 2, 3, 4, 5, 6, 7, 8, 9]
    const startOf = (grade: number) =>
      (grade <= 2 ? 28_500 : grade <= 6 ? 27_900 : grade <= 8 ? 27_300 : 26_700) + shiftS
    const nameZh = `${town.shortName}${ordinal <= 10 ? `第${CHINESE_ORDINALS[ordinal - 1]}` : ordinal}${KIND_NAME[kind]}`
    const gate = pointNear(random, area, site, 60)
    schools.push({
      ...site,
      town,
      grades,
      bellTimes: grades.map((grade) => ({ schoolCode: code, grade, startTime: clock(startOf(grade)) })),
      waves: wavesOf(random, code, kind, shiftS),
      gate: {
        code: `${code}-gate`,
        nameZh: `${nameZh}校门`,
        townCode: town.record.code,
        kind: 'school_gate',
        lat: gate.lat,
        lon: gate.lon,
      },
      earliestStartS: Math.min(...grades.map(startOf)),
      pupils: 0,
      buses: [],
      pool: [],
      record: {
        code,
        nameZh,
        nameEn: null,
        townCode: town.record.code,
        kind,
        lat: site.lat,
        lon: site.lon,
        gateStopCode: `${code}-gate`,
      },
    })
  }
  const sizes = apportion(
    pupilCount,
    schools.map((school) => KIND_SIZE[school.record.kind] * random.between(0.6, 1.4)),
  )
  schools.forEach((school, i) => (school.pupils = sizes[i]!))
  return schools
}

/** Two waves by grade, and in most schools a third after the after-school service (课后服务). */
function wavesOf(
  random: SeededRandom,
  schoolCode: string,
  kind: SchoolKind,
  shiftS: number,
): DismissalWaveRecord[] {
  const plan: Array<[name: string, timeS: number, grades: number[], afterSchoolService: boolean]> =
    kind === 'primary'
      ? [
          ['一二年级放学', 54_000, [1, 2], false],
          ['三至六年级放学', 55_800, [3, 4, 5, 6], false],
          ['课后服务结束', 62_100, [1, 2, 3, 4, 5, 6], true],
        ]
      : kind === 'middle'
        ? [
            ['七八年级放学', 60_000, [7, 8], false],
            ['九年级放学', 62_400, [9], false],
            ['课后服务结束', 64_800, [7, 8, 9], true],
          ]
        : [
            ['小学部放学', 55_800, [1, 2, 3, 4, 5, 6], false],
            ['初中部放学', 60_000, [7, 8, 9], false],
            ['课后服务结束', 63_000, [1, 2, 3, 4, 5, 6, 7, 8, 9], true],
          ]
  const count = random.chance(0.6) ? 3 : 2
  return plan.slice(0, count).map(([name, timeS, grades, afterSchoolService], i) => ({
    code: `${schoolCode}-w${i + 1}`,
    schoolCode,
    name,
    time: clock(timeS + shiftS),
    grades,
    afterSchoolService,
  }))
}

function drawStops(
  random: SeededRandom,
  area: CountyArea,
  towns: Town[],
  schools: School[],
  otherCount: number,
): StopRecord[] {
  const townWeights = towns.map((town, i) => ({ value: town, weight: i === 0 ? 3 : 1 }))
  const others: Array<StopRecord & Point> = []
  for (let i = 0; i < otherCount; i++) {
    const anywhere = random.chance(0.1)
    const place = anywhere
      ? pointAnywhere(random, area)
      : pointNear(random, area, random.pickWeighted(townWeights), 6000)
    const town = nearest(towns, place)
    const roll = random.next()
    const kind = roll < 0.01 ? 'hub' : roll < 0.04 ? 'line' : 'village'
    const name = `${random.pick(PLACE_PREFIXES)}${random.pick(PLACE_ROOTS)}`
    others.push({
      code: `stop-${String(i + 1).padStart(5, '0')}`,
      nameZh:
        kind === 'hub' ? `${town.shortName}${name}公交枢纽` : kind === 'line' ? `${name}路口` : `${name}村`,
      townCode: town.record.code,
      kind,
      lat: place.lat,
      lon: place.lon,
    })
  }

  // Each stop belongs to the nearest school's pool; a school with few stops near it borrows the nearest others.
  const pools = schools.map(() => [] as PoolStop[])
  for (const stop of others) {
    let best = 0
    let bestM = Infinity
    schools.forEach((school, i) => {
      const m = haversineM(school.lat, school.lon, stop.lat, stop.lon)
      if (m < bestM) [best, bestM] = [i, m]
    })
    pools[best]!.push({ stop, distanceM: bestM })
  }
  const minimumPool = Math.min(24, others.length)
  schools.forEach((school, i) => {
    let pool = pools[i]!
    if (pool.length < minimumPool) {
      pool = others
        .map((stop) => ({ stop, distanceM: haversineM(school.lat, school.lon, stop.lat, stop.lon) }))
        .sort((a, b) => a.distanceM - b.distanceM)
        .slice(0, minimumPool)
    }
    const bearing = (p: PoolStop) =>
      Math.atan2(p.stop.lat - school.lat, (p.stop.lon - school.lon) * Math.cos((school.lat * Math.PI) / 180))
    school.pool = pool.sort((a, b) => bearing(a) - bearing(b) || a.distanceM - b.distanceM)
  })
  return [...schools.map((school) => school.gate), ...others]
}

function drawFleet(random: SeededRandom, schools: School[], busCount: number, phones: PhoneBook) {
  const names = new SyntheticNames(random.fork('names'))
  const plates = new Set<string>()
  const buses: BusRecord[] = []
  const staff: StaffRecord[] = []
  const trips: TripRecord[] = []
  const tripCalls: TripCallRecord[] = []
  // Every school gets a bus when there are enough, the rest by size.
  const base = busCount >= schools.length ? 1 : 0
  const extra = apportion(
    busCount - base * schools.length,
    schools.map((school) => school.pupils),
  )
  let serial = 0
  schools.forEach((school, s) => {
    const count = base + extra[s]!
    for (let j = 0; j < count; j++) {
      serial++
      const number = String(serial).padStart(4, '0')
      const code = `bus-${number}`
      const seats = random.pickWeighted(SEAT_CHOICES)
      let plate: string
      do plate = `浙B·${random.pick(PLATE_LETTERS)}${String(random.int(0, 9999)).padStart(4, '0')}`
      while (plates.has(plate))
      plates.add(plate)
      const record: BusRecord = {
        plate,
        code,
        kind: 'school_bus',
        seats,
        townCode: school.town.record.code,
        schoolCode: school.record.code,
        operator: `${school.town.shortName}校车服务有限公司`,
        depotLat: school.lat,
        depotLon: school.lon,
        terminalNo: `1004${String(serial).padStart(7, '0')}`,
        permitNo: `浙B校车${String(serial).padStart(5, '0')}`,
        permitValidUntil: '2027-08-31',
        inspectedOn: addDays('2026-09-01', -random.int(10, 350)),
        insuranceUntil: addDays('2027-01-01', random.int(0, 360)),
      }
      buses.push(record)

      const person = (maleShare: number) =>
        names.drawPersonName(names.drawSurname(), 'parent', random.chance(maleShare) ? 'male' : 'female')
      const none = { licenceClass: null, licenceDate: null, reviewedOn: null, trainedOn: null, unit: null }
      staff.push(
        {
          ...none,
          code: `drv-${number}`,
          role: 'driver',
          name: person(0.9),
          phone: phones.draw(random),
          busPlate: plate,
          licenceClass: seats > 19 ? 'A1' : 'B1',
          licenceDate: addDays('1998-01-01', random.int(0, 20 * 365)),
          birthDate: addDays('1966-01-01', random.int(0, 20 * 365)),
          reviewedOn: addDays('2026-09-01', -random.int(20, 350)),
        },
        {
          ...none,
          code: `att-${number}`,
          role: 'attendant',
          name: person(0.2),
          phone: phones.draw(random),
          busPlate: plate,
          birthDate: addDays('1972-01-01', random.int(0, 22 * 365)),
          trainedOn: addDays('2026-09-01', -random.int(5, 45)),
        },
        {
          ...none,
          code: `pol-${number}`,
          role: 'police',
          name: person(0.8),
          phone: phones.draw(random),
          busPlate: plate,
          birthDate: addDays('1976-01-01', random.int(0, 22 * 365)),
          unit: `${school.town.shortName}派出所`,
        },
      )

      // The bus's stops: some of the school's pool in its own direction, far ones first.
      const callCount = random.int(5, 12)
      const pool = school.pool
      const width = Math.min(pool.length, Math.max(Math.ceil(pool.length / count), 2 * callCount))
      const start = Math.floor((j * pool.length) / count)
      const window = Array.from({ length: width }, (_, k) => pool[(start + k) % pool.length]!)
      const chosen = sample(random, window, Math.min(callCount - 1, window.length)).sort(
        (a, b) => b.distanceM - a.distanceM,
      )
      const route = [...chosen.map((p) => p.stop), school.gate]
      const wave = school.waves[j % school.waves.length]!
      const morning = scheduleTrip(random, route, {
        code: `${code}-am`,
        busPlate: plate,
        lineCode: null,
        school,
        wave: null,
        atGateS: school.earliestStartS - random.int(10, 20) * 60,
      })
      const afternoon = scheduleTrip(random, [...route].reverse(), {
        code: `${code}-pm`,
        busPlate: plate,
        lineCode: null,
        school,
        wave,
        atGateS: seconds(wave.time) + random.int(5, 15) * 60,
      })
      trips.push(morning.trip, afternoon.trip)
      tripCalls.push(...morning.calls, ...afternoon.calls)
      school.buses.push({
        record,
        morning: morning.trip,
        afternoon: afternoon.trip,
        wave,
        riderStops: chosen.map((p) => p.stop),
      })
    }
  })
  return { buses, staff, trips, tripCalls }
}

/** A few micro-bus lines (微公交), each a morning and an afternoon run to a school. */
function drawLines(random: SeededRandom, schools: School[]) {
  const lines: LineRecord[] = []
  const trips: TripRecord[] = []
  const tripCalls: TripCallRecord[] = []
  const count = Math.min(MAX_LINES, schools.length)
  for (let l = 0; l < count; l++) {
    const school = schools[Math.floor((l * schools.length) / count)]!
    const nearest = [...school.pool].sort((a, b) => a.distanceM - b.distanceM).slice(0, 8)
    if (nearest.length < 2) continue
    const chosen = sample(random, nearest, random.int(2, Math.min(4, nearest.length))).sort(
      (a, b) => b.distanceM - a.distanceM,
    )
    const route = [...chosen.map((p) => p.stop), school.gate]
    const code = `line-${String(l + 1).padStart(2, '0')}`
    lines.push({
      code,
      name: `微${l + 1}`,
      kind: 'micro_bus',
      operator: '城区公交有限公司',
      seats: 24,
      schoolCodes: [school.record.code],
      stopCodes: route.map((stop) => stop.code),
    })
    const wave = school.waves[0]!
    const morning = scheduleTrip(random, route, {
      code: `${code}-am`,
      busPlate: null,
      lineCode: code,
      school,
      wave: null,
      atGateS: school.earliestStartS - random.int(15, 25) * 60,
    })
    const afternoon = scheduleTrip(random, [...route].reverse(), {
      code: `${code}-pm`,
      busPlate: null,
      lineCode: code,
      school,
      wave,
      atGateS: seconds(wave.time) + random.int(5, 15) * 60,
    })
    trips.push(morning.trip, afternoon.trip)
    tripCalls.push(...morning.calls, ...afternoon.calls)
  }
  return { lines, trips, tripCalls }
}

/**
 * The calls of a trip along `route`: a morning trip reaches the gate (its last stop) at `atGateS`,
 * an afternoon trip leaves it (its first stop) then. Legs are driven at 25 to 36 km/h on roads a
 * third longer than the straight line, with a stop of 20 to 90 seconds at each call.
 */
function scheduleTrip(
  random: SeededRandom,
  route: Array<StopRecord & Point>,
  trip: {
    code: string
    busPlate: string | null
    lineCode: string | null
    school: School
    wave: DismissalWaveRecord | null
    atGateS: number
  },
): { trip: TripRecord; calls: TripCallRecord[] } {
  const toSchool = trip.wave === null
  const speed = random.between(7, 10)
  const legsM = route
    .slice(1)
    .map((stop, i) => haversineM(route[i]!.lat, route[i]!.lon, stop.lat, stop.lon) * ROAD_FACTOR)
  const legsS = legsM.map((m) => Math.round(m / speed))
  const dwellS = route.map(() => random.int(20, 90))
  const times: Array<[arrive: number, depart: number]> = []
  if (toSchool) {
    let arrive = trip.atGateS
    times[route.length - 1] = [arrive, arrive + random.int(1, 3) * 60]
    for (let i = route.length - 2; i >= 0; i--) {
      const depart = arrive - legsS[i]!
      arrive = depart - dwellS[i]!
      times[i] = [arrive, depart]
    }
  } else {
    let depart = trip.atGateS
    times[0] = [depart - random.int(5, 10) * 60, depart]
    for (let i = 1; i < route.length; i++) {
      const arrive = depart + legsS[i - 1]!
      depart = arrive + dwellS[i]!
      times[i] = [arrive, depart]
    }
  }
  const first = times[0]![1]
  const last = times[times.length - 1]![0]
  return {
    trip: {
      code: trip.code,
      busPlate: trip.busPlate,
      lineCode: trip.lineCode,
      schoolCode: trip.school.record.code,
      direction: toSchool ? 'to_school' : 'from_school',
      waveCode: trip.wave?.code ?? null,
      weekdays: [...SCHOOL_DAYS],
      distanceM: Math.round(legsM.reduce((sum, m) => sum + m, 0)),
      durationS: last - first,
    },
    calls: route.map((stop, i) => ({
      tripCode: trip.code,
      seq: i + 1,
      stopCode: stop.code,
      arrive: clock(times[i]![0]),
      depart: clock(times[i]![1]),
    })),
  }
}

/**
 * The pupils school by school, in families of one child or of two at the same school, with one or
 * two guardians per family. A riding family lives near a stop of one of the school's buses and
 * leaves with the wave that bus's afternoon trip carries home; the others live near the school.
 */
function drawPupils(random: SeededRandom, area: CountyArea, schools: School[], phones: PhoneBook) {
  const names = new SyntheticNames(random.fork('names'))
  const serials = new Set<number>()
  const pupils: PupilRecord[] = []
  const guardians: GuardianRecord[] = []
  for (const school of schools) {
    const riders = school.buses.length > 0 ? Math.round(school.pupils * RIDER_SHARE) : 0
    const busWeights = school.buses.map((bus) => ({ value: bus, weight: bus.record.seats }))
    const ordinaryWaves = school.waves.filter((wave) => !wave.afterSchoolService)
    const serviceWave = school.waves.find((wave) => wave.afterSchoolService)
    let made = 0
    while (made < school.pupils) {
      const rides = made < riders
      const children = made + 2 <= school.pupils && random.chance(SIBLING_SHARE) ? 2 : 1
      const surname = names.drawSurname()
      const bus = rides ? random.pickWeighted(busWeights) : null
      const stop = bus ? random.pick(bus.riderStops) : null
      const home = pointNear(random, area, stop ?? school, stop ? 500 : 2500)
      const codes: string[] = []
      for (let c = 0; c < children; c++) {
        let grade: number
        let wave: DismissalWaveRecord
        if (bus) {
          wave = bus.wave
          grade = random.pick(wave.grades)
        } else {
          grade = random.pick(school.grades)
          wave =
            serviceWave && random.chance(0.3)
              ? serviceWave
              : (ordinaryWaves.find((w) => w.grades.includes(grade)) ?? serviceWave!)
        }
        let serial: number
        do serial = random.int(PUPIL_CODE_SERIAL_MIN, PUPIL_CODE_SERIAL_MAX)
        while (serials.has(serial))
        serials.add(serial)
        const code = formatPupilCode(serial)
        codes.push(code)
        pupils.push({
          code,
          id: `pu-${String(pupils.length + 1).padStart(6, '0')}`,
          name: names.drawPersonName(surname, 'child', random.chance(0.5) ? 'male' : 'female'),
          grade,
          schoolCode: school.record.code,
          waveCode: wave.code,
          afterSchoolService: wave.afterSchoolService,
          homeLat: home.lat,
          homeLon: home.lon,
          stopCode: stop?.code ?? null,
          tripCodes: bus ? [bus.morning.code, bus.afternoon.code] : [],
        })
      }
      made += children
      // A guardian's pupils are a set: the registers list them by code.
      codes.sort()

      const relations: GuardianRelation[] = [random.chance(0.55) ? 'mother' : 'father']
      if (random.chance(SECOND_GUARDIAN_SHARE)) {
        const roll = random.next()
        const otherParent = relations[0] === 'mother' ? 'father' : 'mother'
        relations.push(roll < 0.7 ? otherParent : roll < 0.9 ? 'grandmother' : 'grandfather')
      }
      for (const relation of relations) {
        const male = relation === 'father' || relation === 'grandfather'
        const generation = relation === 'father' || relation === 'mother' ? 'parent' : 'elder'
        guardians.push({
          phone: phones.draw(random),
          id: `gu-${String(guardians.length + 1).padStart(6, '0')}`,
          name: names.drawPersonName(
            male ? surname : names.drawSurname(),
            generation,
            male ? 'male' : 'female',
          ),
          relation,
          pupilCodes: [...codes],
        })
      }
    }
  }
  return { pupils, guardians }
}

/** Mobile numbers starting 100, which no Chinese carrier uses, each given once. */
class PhoneBook {
  private readonly used = new Set<string>()

  draw(random: SeededRandom): string {
    for (;;) {
      const phone = `100${String(random.int(0, 99_999_999)).padStart(8, '0')}`
      if (!this.used.has(phone)) {
        this.used.add(phone)
        return phone
      }
    }
  }
}

/** A point uniformly in the county's bounding box that lies in the county. */
function pointAnywhere(random: SeededRandom, area: CountyArea): Point {
  for (;;) {
    const point = {
      lat: round6(random.between(area.south, area.north)),
      lon: round6(random.between(area.west, area.east)),
    }
    if (area.contains(point.lat, point.lon)) return point
  }
}

/** A point uniformly within `radiusM` of `centre` (which lies in the county) that lies in the county. */
function pointNear(random: SeededRandom, area: CountyArea, centre: Point, radiusM: number): Point {
  let radius = radiusM
  for (let attempt = 1; radius >= 1; attempt++) {
    const r = radius * Math.sqrt(random.next())
    const angle = random.between(0, 2 * Math.PI)
    const point = {
      lat: round6(centre.lat + (r * Math.sin(angle)) / M_PER_DEG_LAT),
      lon: round6(
        centre.lon + (r * Math.cos(angle)) / (M_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180)),
      ),
    }
    if (area.contains(point.lat, point.lon)) return point
    if (attempt % 50 === 0) radius /= 2
  }
  return { lat: centre.lat, lon: centre.lon }
}

function nearest<T extends Point>(items: T[], point: Point): T {
  let best = items[0]!
  let bestM = Infinity
  for (const item of items) {
    const m = haversineM(item.lat, item.lon, point.lat, point.lon)
    if (m < bestM) [best, bestM] = [item, m]
  }
  return best
}

/** `count` distinct items in random order (a partial Fisher–Yates shuffle of a copy). */
function sample<T>(random: SeededRandom, items: readonly T[], count: number): T[] {
  const copy = [...items]
  for (let i = 0; i < count; i++) {
    const j = random.int(i, copy.length - 1)
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy.slice(0, count)
}

/** Splits `total` in proportion to `weights` by largest remainders. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (total <= 0 || sum <= 0) return weights.map(() => 0)
  const exact = weights.map((w) => (total * w) / sum)
  const shares = exact.map(Math.floor)
  let left = total - shares.reduce((a, b) => a + b, 0)
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i)
  for (const { i } of order) {
    if (left-- <= 0) break
    shares[i]!++
  }
  return shares
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Seconds after midnight as `HH:MM:SS`. */
function clock(s: number): string {
  if (s < 0 || s >= 86_400) throw new RangeError(`a time of day, got ${s} s`)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`
}

function seconds(time: string): number {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number]
  return h * 3600 + m * 60 + s
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10)
}
