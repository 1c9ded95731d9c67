import type { CompliancePaper } from '../compliance/compliance-finding.js'
import { createTripComplianceCheck, type TripComplianceWarning } from '../compliance/trip-compliance.js'
import type { CountyBoundary } from './county-boundary.js'
import type { RecordOrigins } from './merge-registers.js'
import { registerKeys, type RegisterName, type RegisterSet } from './register-records.js'
import type { RegisterProblem, RegisterProblemCode } from './register-problem.js'
import { columnHeader, registerSheets, sheetTitle } from './register-sheets.js'
import { groupTripCalls } from './trip-riders.js'

/**
 * The checks that span records: every reference resolves, codes that must be unique are, trips
 * call at stops in order, a pupil's trips serve its school and call at its stop, and sites and
 * homes lie in the county. They run on the registers as they will be after the import, so a file
 * that names only pupils is checked against the stored schools and trips, and a removal that
 * leaves a stored record pointing at nothing is caught. A problem of an imported record points at
 * its row; one of a stored record has no row and says it is stored.
 */
export function validateRegisters(
  registers: RegisterSet,
  origins: RecordOrigins,
  county: CountyBoundary | undefined,
  options: { serviceDay?: string } = {},
): RegisterProblem[] {
  const problems: RegisterProblem[] = []
  const add = <R extends RegisterName>(
    severity: RegisterProblem['severity'],
    register: R,
    record: RegisterSet[R][number],
    field: string | null,
    code: RegisterProblemCode,
    message: string,
    value: unknown = field ? (record as unknown as Record<string, unknown>)[field] : null,
  ) => {
    const origin = origins[register]?.get((registerKeys[register] as (r: typeof record) => string)(record))
    const sheet = registerSheets[register]
    const column = field ? sheet.columns.find((c) => c.field === field) : undefined
    problems.push({
      severity,
      // A stored record is at fault only because the file removed or changed what it points at.
      code: origin || code !== 'unknown_reference' ? code : 'still_referenced',
      register,
      sheet: origin?.sheet ?? sheet.zh,
      row: origin?.row ?? null,
      column: column ? columnHeader(column) : null,
      value: value === null || value === undefined ? null : String(value).slice(0, 60),
      message: origin ? message : `stored record ${describeStored(register, record)}: ${message}`,
    })
  }
  const report: Report = (register, record, field, code, message, ...value) =>
    add('error', register, record, field, code, message, ...value)

  const towns = new Set(registers.towns.map((t) => t.code))
  const schools = new Set(registers.schools.map((s) => s.code))
  const stops = new Set(registers.stops.map((s) => s.code))
  const buses = new Set(registers.buses.map((b) => b.plate))
  const lines = new Set(registers.lines.map((l) => l.code))
  const waveSchool = new Map(registers.dismissalWaves.map((w) => [w.code, w.schoolCode]))
  const pupils = new Set(registers.pupils.map((p) => p.code))
  const trips = new Map(registers.trips.map((t) => [t.code, t]))
  const callsByTrip = groupTripCalls(registers.tripCalls)

  const inCounty = <R extends RegisterName>(
    register: R,
    record: RegisterSet[R][number],
    latField: string,
    lat: number | null,
    lon: number | null,
    what: string,
  ) => {
    if (!county || lat === null || lon === null || county.contains(lat, lon)) return
    report(register, record, latField, 'outside_county', `${what} ${lat}, ${lon} lies outside ${county.name}`)
  }
  const refer = <R extends RegisterName>(
    register: R,
    record: RegisterSet[R][number],
    field: string,
    value: string | null,
    known: { has(key: string): boolean },
    target: RegisterName,
  ) => {
    if (value !== null && !known.has(value)) {
      const key = target === 'buses' ? 'plate' : 'code'
      report(
        register,
        record,
        field,
        'unknown_reference',
        `expected the ${key} of a row of ${sheetTitle(registerSheets[target])}; ${value} is not one`,
        value,
      )
    }
  }

  for (const school of registers.schools) {
    refer('schools', school, 'townCode', school.townCode, towns, 'towns')
    refer('schools', school, 'gateStopCode', school.gateStopCode, stops, 'stops')
    inCounty('schools', school, 'lat', school.lat, school.lon, 'the school site')
    if (school.lat === null) {
      report(
        'schools',
        school,
        'lat',
        'missing_value',
        'expected the school site: trips, ETAs and plans start and end there',
      )
    }
  }
  for (const bell of registers.bellTimes)
    refer('bellTimes', bell, 'schoolCode', bell.schoolCode, schools, 'schools')
  for (const wave of registers.dismissalWaves) {
    refer('dismissalWaves', wave, 'schoolCode', wave.schoolCode, schools, 'schools')
  }
  for (const stop of registers.stops) {
    refer('stops', stop, 'townCode', stop.townCode, towns, 'towns')
    inCounty('stops', stop, 'lat', stop.lat, stop.lon, 'the stop')
    if (stop.lat === null) {
      report('stops', stop, 'lat', 'missing_value', 'expected where the stop is: buses are routed to it')
    }
  }
  checkUnique(registers, 'buses', (b) => b.code, 'code', 'bus code', report)
  checkUnique(registers, 'buses', (b) => b.terminalNo, 'terminalNo', 'terminal number', report)
  for (const bus of registers.buses) {
    refer('buses', bus, 'townCode', bus.townCode, towns, 'towns')
    refer('buses', bus, 'schoolCode', bus.schoolCode, schools, 'schools')
    inCounty('buses', bus, 'depotLat', bus.depotLat, bus.depotLon, 'the depot')
  }
  for (const person of registers.staff) refer('staff', person, 'busPlate', person.busPlate, buses, 'buses')
  for (const line of registers.lines) {
    for (const code of line.schoolCodes) refer('lines', line, 'schoolCodes', code, schools, 'schools')
    for (const code of line.stopCodes) refer('lines', line, 'stopCodes', code, stops, 'stops')
  }
  for (const trip of registers.trips) {
    if ((trip.busPlate === null) === (trip.lineCode === null)) {
      report(
        'trips',
        trip,
        'busPlate',
        'inconsistent',
        'expected either a plate (a school-bus trip) or a line code (a run of a line), not both or neither',
      )
    }
    refer('trips', trip, 'busPlate', trip.busPlate, buses, 'buses')
    refer('trips', trip, 'lineCode', trip.lineCode, lines, 'lines')
    refer('trips', trip, 'schoolCode', trip.schoolCode, schools, 'schools')
    refer('trips', trip, 'waveCode', trip.waveCode, waveSchool, 'dismissalWaves')
    const waveOf = trip.waveCode === null ? undefined : waveSchool.get(trip.waveCode)
    if (waveOf !== undefined && waveOf !== trip.schoolCode) {
      report(
        'trips',
        trip,
        'waveCode',
        'inconsistent',
        `expected a dismissal wave of school ${trip.schoolCode}; this one is of ${waveOf}`,
      )
    }
    if ((callsByTrip.get(trip.code)?.length ?? 0) < 2) {
      report(
        'trips',
        trip,
        null,
        'inconsistent',
        'expected at least two calls of this trip in the trip calls',
        trip.code,
      )
    }
  }
  for (const call of registers.tripCalls) {
    refer('tripCalls', call, 'tripCode', call.tripCode, trips, 'trips')
    refer('tripCalls', call, 'stopCode', call.stopCode, stops, 'stops')
    if (call.depart < call.arrive) {
      report(
        'tripCalls',
        call,
        'depart',
        'inconsistent',
        `expected a departure at or after the arrival ${call.arrive}`,
      )
    }
  }
  for (const calls of callsByTrip.values()) {
    calls.forEach((call, i) => {
      if (call.seq !== i + 1) {
        report(
          'tripCalls',
          call,
          'seq',
          'inconsistent',
          `expected call number ${i + 1}: a trip's calls are numbered 1, 2, 3… without gaps`,
        )
      } else if (i > 0 && call.arrive < calls[i - 1]!.depart) {
        report(
          'tripCalls',
          call,
          'arrive',
          'inconsistent',
          `expected an arrival at or after the previous call's departure ${calls[i - 1]!.depart}`,
        )
      }
    })
  }
  checkUnique(registers, 'pupils', (p) => p.id, 'id', 'pupil id', report)
  for (const pupil of registers.pupils) {
    refer('pupils', pupil, 'schoolCode', pupil.schoolCode, schools, 'schools')
    refer('pupils', pupil, 'waveCode', pupil.waveCode, waveSchool, 'dismissalWaves')
    const waveOf = pupil.waveCode === null ? undefined : waveSchool.get(pupil.waveCode)
    if (waveOf !== undefined && waveOf !== pupil.schoolCode) {
      report(
        'pupils',
        pupil,
        'waveCode',
        'inconsistent',
        `expected a dismissal wave of school ${pupil.schoolCode}; this one is of ${waveOf}`,
      )
    }
    refer('pupils', pupil, 'stopCode', pupil.stopCode, stops, 'stops')
    inCounty('pupils', pupil, 'homeLat', pupil.homeLat, pupil.homeLon, 'the home')
    for (const tripCode of pupil.tripCodes) {
      const trip = trips.get(tripCode)
      if (!trip) {
        report(
          'pupils',
          pupil,
          'tripCodes',
          'unknown_reference',
          `expected the code of a row of ${sheetTitle(registerSheets.trips)}; ${tripCode} is not one`,
          tripCode,
        )
      } else if (trip.schoolCode !== pupil.schoolCode) {
        report(
          'pupils',
          pupil,
          'tripCodes',
          'inconsistent',
          `trip ${tripCode} serves school ${trip.schoolCode}, not the pupil's school ${pupil.schoolCode}`,
          tripCode,
        )
      } else if (pupil.stopCode === null) {
        report(
          'pupils',
          pupil,
          'stopCode',
          'missing_value',
          `expected the stop where the pupil gets on and off trip ${tripCode}`,
        )
      } else if (!(callsByTrip.get(tripCode) ?? []).some((call) => call.stopCode === pupil.stopCode)) {
        report(
          'pupils',
          pupil,
          'tripCodes',
          'inconsistent',
          `trip ${tripCode} does not call at the pupil's stop ${pupil.stopCode}`,
          tripCode,
        )
      }
    }
  }
  checkUnique(registers, 'guardians', (g) => g.id, 'id', 'guardian id', report)
  for (const guardian of registers.guardians) {
    for (const code of guardian.pupilCodes) refer('guardians', guardian, 'pupilCodes', code, pupils, 'pupils')
  }
  if (options.serviceDay !== undefined) {
    warnOfTripCompliance(registers, origins, options.serviceDay, (...args) => add('warning', ...args))
  }
  return problems
}

/** The column of the record that a compliance finding is about, where the import can point. */
const paperFields: Record<CompliancePaper, string | null> = {
  permit: 'permitValidUntil',
  inspection: 'inspectedOn',
  insurance: 'insuranceUntil',
  crew_driver: null,
  crew_attendant: null,
  // Not the birth date: the problem's value would repeat it.
  age: null,
  experience: 'licenceDate',
  licence_class: 'licenceClass',
  review: 'reviewedOn',
  training: 'trainedOn',
  score: null,
}

/**
 * Trips that would run in the week from `serviceDay` with a bus or driver out of compliance
 * (server/core/compliance): warnings, which never stop an import, about what the file brings in.
 * A trip of the file is warned about at its row; a bus or driver of the file whose finding touches
 * trips is warned about at its own row, naming the trips; what the file does not touch is left to
 * the compliance register.
 */
function warnOfTripCompliance(
  registers: RegisterSet,
  origins: RecordOrigins,
  serviceDay: string,
  warn: Report,
) {
  const imported = (register: RegisterName, key: string) => origins[register]?.has(key) ?? false
  const check = createTripComplianceCheck(registers, serviceDay)
  const tripsByFinding = new Map<string, { warning: TripComplianceWarning; tripCodes: string[] }>()
  for (const trip of registers.trips) {
    for (const warning of check(trip)) {
      const { finding } = warning
      const what = `${finding.rule}${finding.dueDate && finding.paper !== 'age' ? ` (${finding.dueDate})` : ''}`
      const who = finding.subject === 'bus' ? `bus ${finding.key}` : `${finding.subject} ${finding.key}`
      if (imported('trips', trip.code)) {
        warn(
          'trips',
          trip,
          'busPlate',
          'not_compliant',
          `runs on ${warning.date} with ${who} out of compliance: ${what}`,
        )
        continue
      }
      const id = `${finding.subject}\t${finding.key}\t${finding.paper}`
      const entry = tripsByFinding.get(id) ?? { warning, tripCodes: [] }
      entry.tripCodes.push(trip.code)
      tripsByFinding.set(id, entry)
    }
  }
  const buses = new Map(registers.buses.map((bus) => [bus.plate, bus]))
  const staff = new Map(registers.staff.map((person) => [person.code, person]))
  for (const { warning, tripCodes } of tripsByFinding.values()) {
    const { finding } = warning
    const listed = `${tripCodes.slice(0, 5).join(', ')}${tripCodes.length > 5 ? ` and ${tripCodes.length - 5} more` : ''}`
    const message = `out of compliance (${finding.rule}) from ${warning.date} for trips ${listed}`
    const field = paperFields[finding.paper]
    if (finding.subject === 'bus') {
      const bus = buses.get(finding.key)
      if (bus && imported('buses', bus.plate)) warn('buses', bus, field, 'not_compliant', message)
    } else {
      const person = staff.get(finding.key)
      if (person && imported('staff', person.code)) warn('staff', person, field, 'not_compliant', message)
    }
  }
}

type Report = <R extends RegisterName>(
  register: R,
  record: RegisterSet[R][number],
  field: string | null,
  code: RegisterProblemCode,
  message: string,
  value?: unknown,
) => void

/** A second record with the same secondary key (a bus code, a terminal number) is at fault. */
function checkUnique<R extends RegisterName>(
  registers: RegisterSet,
  register: R,
  keyOf: (record: RegisterSet[R][number]) => string | null,
  field: string,
  what: string,
  report: Report,
) {
  const seen = new Map<string, string>()
  const primary = registerKeys[register] as (record: RegisterSet[R][number]) => string
  for (const record of registers[register] as RegisterSet[R][number][]) {
    const key = keyOf(record)
    if (key === null) continue
    const holder = seen.get(key)
    if (holder === undefined) seen.set(key, primary(record))
    else
      report(
        register,
        record,
        field,
        'duplicate_key',
        `the ${what} ${key} already belongs to ${holder.replace('\t', ' ')}`,
      )
  }
}

function describeStored<R extends RegisterName>(register: R, record: RegisterSet[R][number]): string {
  return `${registerSheets[register].zh} ${(registerKeys[register] as (r: typeof record) => string)(record).replace('\t', ' ')}`
}
