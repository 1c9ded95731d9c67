import type { BusRecord, StaffRecord } from '../registers/register-records.js'
import { addMonths, addYears, daysBetween } from './calendar-days.js'
import {
  compareFindings,
  levelForDaysLeft,
  statusOf,
  type ComplianceFinding,
  type CompliancePaper,
  type ComplianceRule,
  type ComplianceStatus,
  type ComplianceSubject,
} from './compliance-finding.js'
import {
  inspectionEveryMonths,
  licenceClassesForSeats,
  maxDriverAgeYears,
  minDriverAgeYears,
  minDrivingYears,
  reviewEveryMonths,
  trainingEveryMonths,
} from './compliance-rules.js'
import type { RemovedByScore } from './removed-by-score.js'

/** The registers the compliance register reads: the fleet and its people. */
export interface ComplianceRegisters {
  buses: readonly BusRecord[]
  staff: readonly StaffRecord[]
  /** The drivers and companies the 12-point score has taken off school-bus work (server/core/score/). */
  removedByScore?: RemovedByScore
}

/**
 * Everything out of order, or coming due within 30 days, among the registers' buses, drivers and
 * attendants on `serviceDay`, worst first. Missing data is a finding of its own: a bus with no
 * permit recorded is not compliant. Police contacts have no papers to keep.
 */
export function findComplianceIssues(
  registers: ComplianceRegisters,
  serviceDay: string,
): ComplianceFinding[] {
  const findings: ComplianceFinding[] = []
  const busByPlate = new Map(registers.buses.map((bus) => [bus.plate, bus]))
  const crewOf = new Map<string, Set<StaffRecord['role']>>()
  for (const person of registers.staff) {
    if (person.busPlate === null) continue
    const roles = crewOf.get(person.busPlate) ?? new Set()
    roles.add(person.role)
    crewOf.set(person.busPlate, roles)
  }
  for (const bus of registers.buses) {
    findings.push(...checkBus(bus, crewOf.get(bus.plate), serviceDay))
    if (registers.removedByScore?.operators.has(bus.operator))
      findings.push(...operatorRemovedByScore(bus, serviceDay))
  }
  for (const person of registers.staff) {
    const bus = person.busPlate === null ? undefined : busByPlate.get(person.busPlate)
    if (person.role === 'driver') findings.push(...checkDriver(person, bus, serviceDay))
    if (person.role === 'driver' && registers.removedByScore?.drivers.has(person.code))
      findings.push(...removedByScore(person, serviceDay))
    if (person.role === 'attendant') findings.push(...checkAttendant(person, serviceDay))
  }
  return findings.sort(compareFindings)
}

function checkBus(
  bus: BusRecord,
  crew: ReadonlySet<StaffRecord['role']> | undefined,
  day: string,
): ComplianceFinding[] {
  const found = findingsOf('bus', bus.plate, bus.plate, day)
  // Decree 617 art. 14 (五): a school bus is insured for the carrier's liability (承运人责任保险);
  // the register asks it of every bus that carries pupils, hired micro-buses too.
  found.dated('insurance', bus.insuranceUntil, {
    missing: 'insurance_missing',
    coming: 'insurance_expiring',
    past: 'insurance_expired',
  })
  // Hired micro-buses and custom buses run as public transport, without a school-bus permit, the
  // half-yearly school-bus inspection or the school bus's crew.
  if (bus.kind !== 'school_bus') return found.list
  // Decree 617 arts. 15–18: a school bus carries its permit (校车标牌), which states how long it is
  // valid; no bus may serve as a school bus without one.
  found.dated('permit', bus.permitNo === null ? null : bus.permitValidUntil, {
    missing: 'permit_missing',
    coming: 'permit_expiring',
    past: 'permit_expired',
  })
  // Decree 617 art. 20: a safety inspection every six months.
  found.dated(
    'inspection',
    bus.inspectedOn === null ? null : addMonths(bus.inspectedOn, inspectionEveryMonths),
    { missing: 'inspection_missing', coming: 'inspection_due', past: 'inspection_overdue' },
  )
  // 一车一员一警 (seeds/000) and Decree 617 arts. 25 and 38: a qualified driver, and an attendant
  // aboard every run.
  if (!crew?.has('driver')) found.add('crew_driver', 'driver_missing', 'red', null)
  if (!crew?.has('attendant')) found.add('crew_attendant', 'attendant_missing', 'red', null)
  return found.list
}

function checkDriver(person: StaffRecord, bus: BusRecord | undefined, day: string): ComplianceFinding[] {
  const found = findingsOf('driver', person.code, person.busPlate, day)
  // Decree 617 art. 23 (一): 25 to 60 years of age (see compliance-rules.ts for the limits' days).
  if (person.birthDate === null) found.add('age', 'driver_birth_date_missing', 'red', null)
  else {
    const qualifiesOn = addYears(person.birthDate, minDriverAgeYears)
    if (day < qualifiesOn) found.add('age', 'driver_age', 'red', qualifiesOn)
    else
      found.dated('age', addYears(person.birthDate, maxDriverAgeYears), {
        coming: 'driver_age',
        past: 'driver_age',
      })
  }
  // Decree 617 art. 23 (一): three years of driving since the first licence.
  if (person.licenceDate === null) found.add('experience', 'driver_licence_date_missing', 'red', null)
  else {
    const experiencedOn = addYears(person.licenceDate, minDrivingYears)
    if (day < experiencedOn) found.add('experience', 'driver_experience', 'red', experiencedOn)
  }
  // Decree 617 art. 23 (一): a licence for the class of the bus the driver drives.
  if (person.licenceClass === null) found.add('licence_class', 'driver_licence_class_missing', 'red', null)
  else if (bus && !licenceClassesForSeats(bus.seats).includes(person.licenceClass.trim().toUpperCase())) {
    found.add('licence_class', 'driver_licence_class', 'red', null)
  }
  // Decree 617 art. 26: reviewed by the traffic police every year.
  found.dated('review', person.reviewedOn === null ? null : addMonths(person.reviewedOn, reviewEveryMonths), {
    missing: 'driver_review_missing',
    coming: 'driver_review_due',
    past: 'driver_review_overdue',
  })
  return found.list
}

/** Reaching 12 points takes a driver off school-bus duty until the bureau lifts it: red, undated. */
function removedByScore(person: StaffRecord, day: string): ComplianceFinding[] {
  const found = findingsOf('driver', person.code, person.busPlate, day)
  found.add('score', 'driver_removed_by_score', 'red', null)
  return found.list
}

/**
 * A company whose cycle reached 12 points is off school-bus service: each of its buses is red,
 * undated, until the cycle ends or voided points take it back under.
 */
function operatorRemovedByScore(bus: BusRecord, day: string): ComplianceFinding[] {
  const found = findingsOf('bus', bus.plate, bus.plate, day)
  found.add('score', 'operator_removed_by_score', 'red', null)
  return found.list
}

function checkAttendant(person: StaffRecord, day: string): ComplianceFinding[] {
  const found = findingsOf('attendant', person.code, person.busPlate, day)
  // Decree 617 art. 38: attendants trained regularly; yearly here (compliance-rules.ts).
  found.dated(
    'training',
    person.trainedOn === null ? null : addMonths(person.trainedOn, trainingEveryMonths),
    {
      missing: 'attendant_training_missing',
      coming: 'attendant_training_due',
      past: 'attendant_training_overdue',
    },
  )
  return found.list
}

/** Collects one subject's findings on `day`. */
function findingsOf(subject: ComplianceSubject, key: string, busPlate: string | null, day: string) {
  const list: ComplianceFinding[] = []
  const add = (
    paper: CompliancePaper,
    rule: ComplianceRule,
    level: ComplianceFinding['level'],
    dueDate: string | null,
  ) => {
    list.push({
      subject,
      key,
      busPlate,
      paper,
      rule,
      level,
      dueDate,
      daysLeft: dueDate === null ? null : daysBetween(day, dueDate),
    })
  }
  return {
    list,
    add,
    /**
     * A paper good until `dueDate`: a finding from 30 days before it (`coming`), red on the day and
     * after (`past` once the day has gone); without the date, `missing`.
     */
    dated(
      paper: CompliancePaper,
      dueDate: string | null,
      rules: { missing?: ComplianceRule; coming: ComplianceRule; past: ComplianceRule },
    ) {
      if (dueDate === null) {
        if (rules.missing) add(paper, rules.missing, 'red', null)
        return
      }
      const daysLeft = daysBetween(day, dueDate)
      const level = levelForDaysLeft(daysLeft)
      if (level) add(paper, daysLeft < 0 ? rules.past : rules.coming, level, dueDate)
    },
  }
}

export interface BusCompliance {
  plate: string
  /** The bus's id in trips, telemetry and tokens. */
  busId: string
  /** Its own papers. */
  status: ComplianceStatus
  /** Its driver's and attendant's, at their worst. */
  crewStatus: ComplianceStatus
}

export interface StaffCompliance {
  staffId: string
  role: 'driver' | 'attendant'
  name: string
  busPlate: string | null
  status: ComplianceStatus
}

/** Every bus, driver and attendant of the registers with its standing given these findings. */
export function summariseCompliance(
  registers: ComplianceRegisters,
  findings: readonly ComplianceFinding[],
): { buses: BusCompliance[]; staff: StaffCompliance[] } {
  const bySubject = new Map<string, ComplianceFinding[]>()
  for (const finding of findings) {
    const id = `${finding.subject === 'bus' ? 'bus' : 'staff'}\t${finding.key}`
    bySubject.set(id, [...(bySubject.get(id) ?? []), finding])
  }
  const staff: StaffCompliance[] = registers.staff
    .filter((person) => person.role === 'driver' || person.role === 'attendant')
    .map((person) => ({
      staffId: person.code,
      role: person.role as StaffCompliance['role'],
      name: person.name,
      busPlate: person.busPlate,
      status: statusOf(bySubject.get(`staff\t${person.code}`) ?? []),
    }))
  const buses = registers.buses.map((bus) => ({
    plate: bus.plate,
    busId: bus.code,
    status: statusOf(bySubject.get(`bus\t${bus.plate}`) ?? []),
    crewStatus: statusOf(
      staff
        .filter((person) => person.busPlate === bus.plate)
        .map((person) => ({ level: person.status === 'ok' ? ('notice' as const) : person.status })),
    ),
  }))
  return { buses, staff }
}
