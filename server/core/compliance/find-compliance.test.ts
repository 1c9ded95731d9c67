import { describe, expect, it } from 'vitest'
import type { BusRecord, StaffRecord } from '../registers/register-records.js'
import { addDays } from './calendar-days.js'
import { findingCycle, statusOf, withoutBirthDate, type ComplianceFinding } from './compliance-finding.js'
import { findComplianceIssues, summariseCompliance, type ComplianceRegisters } from './find-compliance.js'

/** A Monday. */
const day = '2026-12-07'
const plate = '浙B·X9924'

function bus(overrides: Partial<BusRecord> = {}): BusRecord {
  return {
    plate,
    code: 'bus-01',
    kind: 'school_bus',
    seats: 45,
    townCode: 'hushan',
    schoolCode: 'school',
    operator: '校车公司',
    depotLat: null,
    depotLon: null,
    terminalNo: null,
    permitNo: '浙B校车0001',
    permitValidUntil: '2027-08-31',
    inspectedOn: '2026-08-20',
    insuranceUntil: '2027-06-30',
    ...overrides,
  }
}

function driver(overrides: Partial<StaffRecord> = {}): StaffRecord {
  return {
    code: 'd-1',
    role: 'driver',
    name: '司机',
    phone: null,
    busPlate: plate,
    licenceClass: 'A1',
    licenceDate: '2005-06-01',
    birthDate: '1978-02-03',
    reviewedOn: '2026-09-01',
    trainedOn: null,
    unit: null,
    ...overrides,
  }
}

function attendant(overrides: Partial<StaffRecord> = {}): StaffRecord {
  return {
    ...driver(),
    code: 'a-1',
    role: 'attendant',
    name: '照管员',
    licenceClass: null,
    licenceDate: null,
    reviewedOn: null,
    trainedOn: '2026-08-25',
    ...overrides,
  }
}

const compliant = (): ComplianceRegisters => ({ buses: [bus()], staff: [driver(), attendant()] })

/** The findings of one bus and its crew, with one record changed. */
function findingsWith(change: {
  bus?: Partial<BusRecord>
  driver?: Partial<StaffRecord>
  attendant?: Partial<StaffRecord>
}) {
  return findComplianceIssues(
    { buses: [bus(change.bus)], staff: [driver(change.driver), attendant(change.attendant)] },
    day,
  )
}

const brief = (findings: ComplianceFinding[]) => findings.map((f) => [f.rule, f.level, f.daysLeft])

describe('findComplianceIssues', () => {
  it('finds nothing wrong with a bus and crew whose papers run beyond 30 days', () => {
    expect(findComplianceIssues(compliant(), day)).toEqual([])
  })

  it.each([
    [31, []],
    [30, [['permit_expiring', 'notice', 30]]],
    [8, [['permit_expiring', 'notice', 8]]],
    [7, [['permit_expiring', 'amber', 7]]],
    [1, [['permit_expiring', 'amber', 1]]],
    [0, [['permit_expiring', 'red', 0]]],
    [-1, [['permit_expired', 'red', -1]]],
  ])('warns of a permit valid for %i more days at its level', (daysLeft, expected) => {
    const findings = findingsWith({ bus: { permitValidUntil: addDays(day, daysLeft) } })
    expect(brief(findings)).toEqual(expected)
    for (const finding of findings) {
      expect(finding).toMatchObject({ subject: 'bus', key: plate, busPlate: plate, paper: 'permit' })
      expect(finding.dueDate).toBe(addDays(day, daysLeft))
    }
  })

  it('warns of insurance the same way', () => {
    expect(brief(findingsWith({ bus: { insuranceUntil: addDays(day, 7) } }))).toEqual([
      ['insurance_expiring', 'amber', 7],
    ])
    expect(brief(findingsWith({ bus: { insuranceUntil: addDays(day, -40) } }))).toEqual([
      ['insurance_expired', 'red', -40],
    ])
  })

  it('counts the safety inspection six months from the last one', () => {
    expect(findingsWith({ bus: { inspectedOn: '2026-06-07' } })).toEqual([
      expect.objectContaining({ rule: 'inspection_due', level: 'red', dueDate: '2026-12-07', daysLeft: 0 }),
    ])
    expect(brief(findingsWith({ bus: { inspectedOn: '2026-06-08' } }))).toEqual([
      ['inspection_due', 'amber', 1],
    ])
    expect(brief(findingsWith({ bus: { inspectedOn: '2026-06-06' } }))).toEqual([
      ['inspection_overdue', 'red', -1],
    ])
    expect(brief(findingsWith({ bus: { inspectedOn: '2026-07-06' } }))).toEqual([
      ['inspection_due', 'notice', 30],
    ])
    expect(brief(findingsWith({ bus: { inspectedOn: '2026-07-07' } }))).toEqual([])
  })

  it('takes missing papers and a missing crew for findings of their own', () => {
    const findings = findComplianceIssues(
      { buses: [bus({ permitNo: null, inspectedOn: null, insuranceUntil: null })], staff: [] },
      day,
    )
    expect(findings.map((f) => [f.rule, f.level, f.dueDate])).toEqual(
      expect.arrayContaining([
        ['permit_missing', 'red', null],
        ['inspection_missing', 'red', null],
        ['insurance_missing', 'red', null],
        ['driver_missing', 'red', null],
        ['attendant_missing', 'red', null],
      ]),
    )
    expect(findings).toHaveLength(5)
    // A permit number without its validity is no permit the register can vouch for.
    expect(brief(findingsWith({ bus: { permitValidUntil: null } }))).toEqual([
      ['permit_missing', 'red', null],
    ])
  })

  it('asks a hired micro-bus for its insurance only', () => {
    const microBus = bus({
      kind: 'micro_bus',
      permitNo: null,
      inspectedOn: null,
      insuranceUntil: addDays(day, 3),
    })
    expect(brief(findComplianceIssues({ buses: [microBus], staff: [] }, day))).toEqual([
      ['insurance_expiring', 'amber', 3],
    ])
  })

  it('lets a driver drive from the 25th birthday', () => {
    expect(findingsWith({ driver: { birthDate: '2001-12-07', licenceDate: '2020-01-01' } })).toEqual([])
    expect(findingsWith({ driver: { birthDate: '2001-12-08', licenceDate: '2020-01-01' } })).toEqual([
      expect.objectContaining({ rule: 'driver_age', level: 'red', dueDate: '2026-12-08', daysLeft: 1 }),
    ])
  })

  it('warns as the 60th birthday, the last day a driver may drive, comes and goes', () => {
    const age = (birthDate: string) => brief(findingsWith({ driver: { birthDate } }))
    expect(age('1967-01-07')).toEqual([])
    expect(age('1967-01-06')).toEqual([['driver_age', 'notice', 30]])
    expect(age('1966-12-14')).toEqual([['driver_age', 'amber', 7]])
    expect(age('1966-12-08')).toEqual([['driver_age', 'amber', 1]])
    expect(age('1966-12-07')).toEqual([['driver_age', 'red', 0]])
    expect(age('1966-12-06')).toEqual([['driver_age', 'red', -1]])
    expect(age('1965-06-01')).toEqual([['driver_age', 'red', expect.any(Number)]])
  })

  it('asks three years of driving since the first licence', () => {
    expect(findingsWith({ driver: { licenceDate: '2023-12-07' } })).toEqual([])
    expect(findingsWith({ driver: { licenceDate: '2023-12-08' } })).toEqual([
      expect.objectContaining({ rule: 'driver_experience', level: 'red', dueDate: '2026-12-08' }),
    ])
  })

  it('asks a licence for the class of the bus driven', () => {
    expect(brief(findingsWith({ driver: { licenceClass: 'B1' } }))).toEqual([
      ['driver_licence_class', 'red', null],
    ])
    expect(findingsWith({ driver: { licenceClass: 'b1' }, bus: { seats: 19 } })).toEqual([])
    expect(brief(findingsWith({ driver: { licenceClass: 'C1' }, bus: { seats: 19 } }))).toEqual([
      ['driver_licence_class', 'red', null],
    ])
    expect(findingsWith({ driver: { licenceClass: 'C1' }, bus: { seats: 9 } })).toEqual([])
  })

  it('counts the driver’s review and the attendant’s training a year from the last', () => {
    expect(brief(findingsWith({ driver: { reviewedOn: '2025-12-07' } }))).toEqual([
      ['driver_review_due', 'red', 0],
    ])
    expect(brief(findingsWith({ driver: { reviewedOn: '2025-12-01' } }))).toEqual([
      ['driver_review_overdue', 'red', -6],
    ])
    expect(brief(findingsWith({ attendant: { trainedOn: '2025-12-08' } }))).toEqual([
      ['attendant_training_due', 'amber', 1],
    ])
    expect(brief(findingsWith({ attendant: { trainedOn: '2026-01-06' } }))).toEqual([
      ['attendant_training_due', 'notice', 30],
    ])
    expect(findingsWith({ attendant: { trainedOn: '2026-01-07' } })).toEqual([])
  })

  it('finds each of a driver’s missing particulars', () => {
    const findings = findingsWith({
      driver: { birthDate: null, licenceDate: null, licenceClass: null, reviewedOn: null },
      attendant: { trainedOn: null },
    })
    expect(findings.map((f) => [f.subject, f.key, f.rule, f.level])).toEqual([
      ['attendant', 'a-1', 'attendant_training_missing', 'red'],
      ['driver', 'd-1', 'driver_birth_date_missing', 'red'],
      ['driver', 'd-1', 'driver_licence_class_missing', 'red'],
      ['driver', 'd-1', 'driver_licence_date_missing', 'red'],
      ['driver', 'd-1', 'driver_review_missing', 'red'],
    ])
  })

  it('holds police contacts to nothing', () => {
    const police: StaffRecord = {
      ...driver({ birthDate: null, licenceClass: null }),
      code: 'p-1',
      role: 'police',
    }
    expect(findComplianceIssues({ buses: [bus()], staff: [driver(), attendant(), police] }, day)).toEqual([])
  })

  it('lists the worst first', () => {
    const findings = findingsWith({
      bus: { insuranceUntil: addDays(day, 20), permitValidUntil: addDays(day, 2) },
      driver: { reviewedOn: '2025-11-01' },
    })
    expect(findings.map((f) => f.level)).toEqual(['red', 'amber', 'notice'])
  })
})

describe('a standing from the findings', () => {
  it('makes a bus or person red, amber or ok, notices counting as ok', () => {
    expect(statusOf([])).toBe('ok')
    expect(statusOf([{ level: 'notice' }])).toBe('ok')
    expect(statusOf([{ level: 'notice' }, { level: 'amber' }])).toBe('amber')
    expect(statusOf([{ level: 'amber' }, { level: 'red' }])).toBe('red')
  })

  it('gives every bus its own and its crew’s standing, and every driver and attendant theirs', () => {
    const registers: ComplianceRegisters = {
      buses: [bus({ insuranceUntil: addDays(day, 5) }), bus({ plate: '浙B·A0001', code: 'bus-02' })],
      staff: [driver({ birthDate: '1960-01-01' }), attendant()],
    }
    const summary = summariseCompliance(registers, findComplianceIssues(registers, day))
    expect(summary.buses).toEqual([
      { plate, busId: 'bus-01', status: 'amber', crewStatus: 'red' },
      // No crew at all is a finding of the bus itself.
      { plate: '浙B·A0001', busId: 'bus-02', status: 'red', crewStatus: 'ok' },
    ])
    expect(summary.staff).toEqual([
      { staffId: 'd-1', role: 'driver', name: '司机', busPlate: plate, status: 'red' },
      { staffId: 'a-1', role: 'attendant', name: '照管员', busPlate: plate, status: 'ok' },
    ])
  })
})

describe('a finding shown and remembered', () => {
  it('keeps a driver’s birthday out of an age finding', () => {
    const [finding] = findingsWith({ driver: { birthDate: '1966-12-10' } })
    expect(finding).toMatchObject({ rule: 'driver_age', dueDate: '2026-12-10', daysLeft: 3 })
    expect(withoutBirthDate(finding!)).toMatchObject({
      rule: 'driver_age',
      level: 'amber',
      dueDate: null,
      daysLeft: null,
    })
    const [permit] = findingsWith({ bus: { permitValidUntil: '2026-12-10' } })
    expect(withoutBirthDate(permit!)).toBe(permit)
  })

  it('tells a renewed paper, and a driver’s two age limits, apart', () => {
    const cycle = (change: Parameters<typeof findingsWith>[0]) => findingCycle(findingsWith(change)[0]!)
    expect(cycle({ bus: { permitValidUntil: '2026-12-10' } })).toBe('2026-12-10')
    expect(cycle({ bus: { permitValidUntil: '2026-12-20' } })).toBe('2026-12-20')
    expect(cycle({ bus: { permitNo: null } })).toBe('missing')
    expect(cycle({ driver: { birthDate: '2002-01-01', licenceDate: '2020-01-01' } })).toBe('min')
    expect(cycle({ driver: { birthDate: '1966-12-10' } })).toBe('max')
    expect(cycle({ driver: { birthDate: '1960-12-10' } })).toBe('max')
  })
})
