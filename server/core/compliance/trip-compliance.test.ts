import { describe, expect, it } from 'vitest'
import type { BusRecord, StaffRecord } from '../registers/register-records.js'
import { createTripComplianceCheck } from './trip-compliance.js'

/** A Monday. */
const monday = '2026-12-07'
const plate = '浙B·X9924'
const otherPlate = '浙B·A0001'

const bus = (overrides: Partial<BusRecord> = {}): BusRecord => ({
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
})

const person = (overrides: Partial<StaffRecord>): StaffRecord => ({
  code: 'd-1',
  role: 'driver',
  name: '司机',
  phone: null,
  busPlate: plate,
  licenceClass: 'A1',
  licenceDate: '2005-06-01',
  birthDate: '1978-02-03',
  reviewedOn: '2026-09-01',
  trainedOn: '2026-08-25',
  unit: null,
  ...overrides,
})

const crew = (
  plateOf: string,
  suffix: string,
  driver: Partial<StaffRecord> = {},
  attendant: Partial<StaffRecord> = {},
) => [
  person({ code: `d-${suffix}`, busPlate: plateOf, ...driver }),
  person({ code: `a-${suffix}`, role: 'attendant', busPlate: plateOf, ...attendant }),
]

const schoolDays = [1, 2, 3, 4, 5]

describe('createTripComplianceCheck', () => {
  it('warns of a trip from the first day it runs with its bus out of compliance', () => {
    // Valid until Wednesday: red on its last day, as every paper is.
    const check = createTripComplianceCheck(
      { buses: [bus({ permitValidUntil: '2026-12-09' })], staff: crew(plate, '1') },
      monday,
    )
    expect(check({ code: 'am', busPlate: plate, weekdays: schoolDays })).toEqual([
      {
        tripCode: 'am',
        date: '2026-12-09',
        finding: expect.objectContaining({
          subject: 'bus',
          rule: 'permit_expiring',
          level: 'red',
          daysLeft: 0,
        }),
      },
    ])
    // A Saturday trip first runs out of compliance on Saturday, when the permit has expired.
    expect(check({ code: 'sat', busPlate: plate, weekdays: [6] })).toEqual([
      {
        tripCode: 'sat',
        date: '2026-12-12',
        finding: expect.objectContaining({ rule: 'permit_expired', daysLeft: -3 }),
      },
    ])
    // A trip on Monday and Tuesday only runs while the permit is good.
    expect(check({ code: 'mt', busPlate: plate, weekdays: [1, 2] })).toEqual([])
  })

  it('warns of its bus’s driver but not of its attendant, nor of another bus’s driver', () => {
    const check = createTripComplianceCheck(
      {
        buses: [bus(), bus({ plate: otherPlate, code: 'bus-02' })],
        staff: [
          ...crew(plate, '1', { birthDate: '1960-03-01' }, { trainedOn: '2024-01-01' }),
          ...crew(otherPlate, '2', { licenceClass: 'B1' }),
        ],
      },
      monday,
    )
    expect(check({ code: 'am', busPlate: plate, weekdays: schoolDays })).toEqual([
      {
        tripCode: 'am',
        date: monday,
        finding: expect.objectContaining({ subject: 'driver', key: 'd-1', rule: 'driver_age', level: 'red' }),
      },
    ])
    expect(check({ code: 'pm', busPlate: otherPlate, weekdays: schoolDays })).toEqual([
      expect.objectContaining({
        finding: expect.objectContaining({ key: 'd-2', rule: 'driver_licence_class' }),
      }),
    ])
  })

  it('names each finding once, and nothing for a line’s run without a bus', () => {
    const check = createTripComplianceCheck(
      { buses: [bus({ insuranceUntil: '2026-11-30' })], staff: [] },
      monday,
    )
    const warnings = check({ code: 'am', busPlate: plate, weekdays: schoolDays })
    expect(warnings.map((w) => [w.date, w.finding.rule])).toEqual([
      [monday, 'attendant_missing'],
      [monday, 'driver_missing'],
      [monday, 'insurance_expired'],
    ])
    expect(check({ code: 'w1', busPlate: null, weekdays: schoolDays })).toEqual([])
    // Amber and notices are for the register, not for the trip.
    const soon = createTripComplianceCheck(
      { buses: [bus({ insuranceUntil: '2026-12-20' })], staff: crew(plate, '1') },
      monday,
    )
    expect(soon({ code: 'am', busPlate: plate, weekdays: schoolDays })).toEqual([])
  })
})
