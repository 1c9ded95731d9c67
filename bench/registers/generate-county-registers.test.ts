import { describe, expect, it } from 'vitest'
import { loadCountyBoundary } from '../../server/core/registers/county-boundary.js'
import { isValidPupilCode } from '../../server/core/registers/pupil-code.js'
import {
  registerKeys,
  registerNames,
  type RegisterName,
} from '../../server/core/registers/register-records.js'
import { validateRegisters } from '../../server/core/registers/validate-registers.js'
import { CIXI_BOUNDARY_FILE, readCountyArea } from './county-area.js'
import { generateCountyRegisters } from './generate-county-registers.js'

const options = { pupils: 2000, buses: 40, stops: 400, seed: 7 }

describe('generateCountyRegisters', () => {
  const set = generateCountyRegisters(options)

  it('is the same county for the same seed and another for another seed', () => {
    expect(generateCountyRegisters(options)).toEqual(set)
    expect(generateCountyRegisters({ ...options, seed: 8 }).pupils).not.toEqual(set.pupils)
  })

  it('has the pupils, buses and stops asked for, and the rest in proportion', () => {
    expect(set.pupils).toHaveLength(2000)
    expect(set.buses).toHaveLength(40)
    expect(set.stops).toHaveLength(400)
    expect(set.towns).toHaveLength(21)
    expect(set.schools.length).toBeGreaterThanOrEqual(2)
    expect(set.staff).toHaveLength(120)
    expect(set.lines.length).toBeGreaterThan(0)
    expect(set.trips.filter((t) => t.busPlate !== null)).toHaveLength(80)
    const riders = set.pupils.filter((p) => p.tripCodes.length > 0).length / set.pupils.length
    expect(riders).toBeGreaterThan(0.5)
    expect(riders).toBeLessThan(0.7)
    const links = set.guardians.reduce((n, g) => n + g.pupilCodes.length, 0) / set.pupils.length
    expect(links).toBeGreaterThan(1.35)
    expect(links).toBeLessThan(1.65)
    expect(set.guardians.some((g) => g.pupilCodes.length > 1)).toBe(true)
  })

  it('passes every check of the import inside the Cixi boundary', async () => {
    const county = await loadCountyBoundary(CIXI_BOUNDARY_FILE)
    expect(validateRegisters(set, {}, county)).toEqual([])
  })

  it('keeps every natural key and secondary code unique and every value in its format', () => {
    for (const register of registerNames) {
      const keyOf = registerKeys[register] as (record: unknown) => string
      const keys = (set[register] as unknown[]).map(keyOf)
      expect(new Set(keys).size, register).toBe(keys.length)
    }
    const unique = (values: unknown[]) => expect(new Set(values).size).toBe(values.length)
    unique(set.buses.map((b) => b.code))
    unique(set.buses.map((b) => b.terminalNo))
    unique(set.pupils.map((p) => p.id))
    unique(set.guardians.map((g) => g.id))
    unique([...set.guardians.map((g) => g.phone), ...set.staff.map((s) => s.phone)])
    for (const bus of set.buses) expect(bus.plate).toMatch(/^浙B·[A-HJ-NP-Z0-9]{5}$/)
    for (const pupil of set.pupils) expect(isValidPupilCode(pupil.code)).toBe(true)
    for (const phone of [...set.guardians.map((g) => g.phone), ...set.staff.map((s) => s.phone)]) {
      expect(phone).toMatch(/^1\d{10}$/)
    }
    const times = [
      ...set.tripCalls.flatMap((c) => [c.arrive, c.depart]),
      ...set.bellTimes.map((b) => b.startTime),
      ...set.dismissalWaves.map((w) => w.time),
    ]
    for (const time of times) expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/)
    const dates = set.buses.flatMap((b) => [b.permitValidUntil, b.inspectedOn, b.insuranceUntil])
    for (const date of dates) expect(date).toMatch(/^20\d\d-[01]\d-[0-3]\d$/)
  })

  it('runs a morning and an afternoon trip per bus between stops and its school gate', () => {
    const gateOf = new Map(set.schools.map((s) => [s.code, s.gateStopCode]))
    const callsOf = new Map<string, typeof set.tripCalls>()
    for (const call of set.tripCalls)
      callsOf.set(call.tripCode, [...(callsOf.get(call.tripCode) ?? []), call])
    for (const bus of set.buses) {
      const trips = set.trips.filter((t) => t.busPlate === bus.plate)
      expect(trips.map((t) => t.direction).sort()).toEqual(['from_school', 'to_school'])
      for (const trip of trips) {
        expect(trip.schoolCode).toBe(bus.schoolCode)
        const calls = callsOf.get(trip.code)!
        expect(calls.length).toBeGreaterThanOrEqual(5)
        expect(calls.length).toBeLessThanOrEqual(12)
        const gateCall = trip.direction === 'to_school' ? calls.at(-1)! : calls[0]!
        expect(gateCall.stopCode).toBe(gateOf.get(trip.schoolCode))
      }
    }
    // A pupil gets on and off at a stop of its trips that is not the gate.
    const gates = new Set(gateOf.values())
    for (const pupil of set.pupils.filter((p) => p.stopCode !== null))
      expect(gates.has(pupil.stopCode)).toBe(false)
  })

  it('draws inside the boundary it is given', () => {
    const area = readCountyArea()
    const all = [
      ...set.stops.map((s) => [s.lat!, s.lon!] as const),
      ...set.pupils.map((p) => [p.homeLat!, p.homeLon!] as const),
    ]
    for (const [lat, lon] of all) expect(area.contains(lat, lon)).toBe(true)
    const count = (register: RegisterName) => (set[register] as unknown[]).length
    expect(count('bellTimes')).toBeGreaterThan(0)
  })
})
