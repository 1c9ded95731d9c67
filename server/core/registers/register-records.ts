/**
 * The bureau's registers as records: one per row of a register sheet, typed, with references by
 * natural key (a school by its code, a bus by its plate, a pupil by its code, a guardian by phone).
 * Coordinates are WGS-84 whatever datum the sheet gave them in; local times are `HH:MM:SS` and
 * dates `YYYY-MM-DD`. Import parses sheets into records, export writes records back, and every part
 * that needs the bureau's world reads them from the store (read-registers.ts).
 */

export type TownKind = 'city' | 'town'
export type SchoolKind = 'primary' | 'middle' | 'nine_year'
export type StopKind = 'school_gate' | 'village' | 'line' | 'hub'
export type BusKind = 'school_bus' | 'micro_bus' | 'custom_bus'
export type LineKind = 'micro_bus' | 'custom_bus'
export type StaffRole = 'driver' | 'attendant' | 'police'
export type TripDirection = 'to_school' | 'from_school'
export type GuardianRelation = 'father' | 'mother' | 'grandfather' | 'grandmother' | 'other'

export interface TownRecord {
  code: string
  kind: TownKind
  nameZh: string
  nameEn: string | null
  lat: number
  lon: number
}

export interface SchoolRecord {
  code: string
  nameZh: string
  nameEn: string | null
  townCode: string
  kind: SchoolKind
  /** The school site; null when the sheet gave none (listed, never guessed). */
  lat: number | null
  lon: number | null
  gateStopCode: string | null
}

/** The time a grade of a school starts its day (作息时间). */
export interface BellTimeRecord {
  schoolCode: string
  grade: number
  startTime: string
}

/** A group of grades leaving school together in the afternoon (分批放学). */
export interface DismissalWaveRecord {
  code: string
  schoolCode: string
  name: string
  time: string
  grades: number[]
  /** The wave that leaves after the after-school service (课后服务). */
  afterSchoolService: boolean
}

export interface StopRecord {
  code: string
  nameZh: string
  townCode: string | null
  kind: StopKind
  lat: number | null
  lon: number | null
}

export interface BusRecord {
  plate: string
  /** The bus's id in telemetry topics, tokens and trips. */
  code: string
  kind: BusKind
  seats: number
  townCode: string
  /** The school that contracts the bus, if one does. */
  schoolCode: string | null
  operator: string
  depotLat: number | null
  depotLon: number | null
  /** The terminal number (终端手机号) its GPS terminal registers with. */
  terminalNo: string | null
  /** The school-bus permit (校车标牌) and the last day it is valid. */
  permitNo: string | null
  permitValidUntil: string | null
  inspectedOn: string | null
  insuranceUntil: string | null
}

export interface StaffRecord {
  code: string
  role: StaffRole
  name: string
  phone: string | null
  /** The plate of the bus the person serves. */
  busPlate: string | null
  licenceClass: string | null
  licenceDate: string | null
  birthDate: string | null
  /** A driver's last annual review (年度审验). */
  reviewedOn: string | null
  /** An attendant's safety training. */
  trainedOn: string | null
  /** A police contact's unit. */
  unit: string | null
}

export interface LineRecord {
  code: string
  name: string
  kind: LineKind
  operator: string | null
  seats: number | null
  schoolCodes: string[]
  /** The stops in the morning direction, ending at the school. */
  stopCodes: string[]
}

/** A school-bus trip (with a bus) or a run of a line (with a line). */
export interface TripRecord {
  code: string
  busPlate: string | null
  lineCode: string | null
  schoolCode: string
  direction: TripDirection
  /** The dismissal wave an afternoon trip carries home. */
  waveCode: string | null
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[]
  distanceM: number | null
  durationS: number | null
}

/** A trip's call at a stop, in order from 1. */
export interface TripCallRecord {
  tripCode: string
  seq: number
  stopCode: string
  arrive: string
  depart: string
}

export interface PupilRecord {
  code: string
  /** The platform's id of the pupil (in tokens and boarding records); made from the code when blank. */
  id: string | null
  name: string
  grade: number
  schoolCode: string
  waveCode: string | null
  afterSchoolService: boolean
  homeLat: number | null
  homeLon: number | null
  /** The stop the pupil boards at in the morning and leaves at in the afternoon. */
  stopCode: string | null
  tripCodes: string[]
}

export interface GuardianRecord {
  phone: string
  /** The platform's id of the guardian (a parent's sign-in); made from the phone when blank. */
  id: string | null
  name: string
  relation: GuardianRelation | null
  pupilCodes: string[]
}

/** Every register, in the order references run: a register refers only to those before it. */
export interface RegisterSet {
  towns: TownRecord[]
  schools: SchoolRecord[]
  bellTimes: BellTimeRecord[]
  dismissalWaves: DismissalWaveRecord[]
  stops: StopRecord[]
  buses: BusRecord[]
  staff: StaffRecord[]
  lines: LineRecord[]
  trips: TripRecord[]
  tripCalls: TripCallRecord[]
  pupils: PupilRecord[]
  guardians: GuardianRecord[]
}

export type RegisterName = keyof RegisterSet

export const registerNames: readonly RegisterName[] = [
  'towns',
  'schools',
  'bellTimes',
  'dismissalWaves',
  'stops',
  'buses',
  'staff',
  'lines',
  'trips',
  'tripCalls',
  'pupils',
  'guardians',
]

export function emptyRegisterSet(): RegisterSet {
  return {
    towns: [],
    schools: [],
    bellTimes: [],
    dismissalWaves: [],
    stops: [],
    buses: [],
    staff: [],
    lines: [],
    trips: [],
    tripCalls: [],
    pupils: [],
    guardians: [],
  }
}

/** The natural key a record is upserted by; composite keys are joined with a tab. */
export const registerKeys: { [R in RegisterName]: (record: RegisterSet[R][number]) => string } = {
  towns: (r) => r.code,
  schools: (r) => r.code,
  bellTimes: (r) => `${r.schoolCode}\t${r.grade}`,
  dismissalWaves: (r) => r.code,
  stops: (r) => r.code,
  buses: (r) => r.plate,
  staff: (r) => r.code,
  lines: (r) => r.code,
  trips: (r) => r.code,
  tripCalls: (r) => `${r.tripCode}\t${r.seq}`,
  pupils: (r) => r.code,
  guardians: (r) => r.phone,
}

/** The registers that hold personal data of minors or their families: exports of them are logged. */
export const personalRegisters: ReadonlySet<RegisterName> = new Set(['pupils', 'guardians'])
