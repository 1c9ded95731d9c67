import { expect, it } from 'vitest'
import { createJumpFilter } from './jump-filter.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'

const fix = (second: number, lat: number, lon = 121.26): PositionRow => ({
  busId: 'CX01',
  ts: new Date(Date.UTC(2026, 2, 1, 23, 0, second)),
  lat,
  lon,
  speedKmh: 40,
  headingDeg: null,
  altM: null,
  accuracyM: null,
  ignition: true,
  seq: null,
})

/** 0.0001° of latitude is about 11 m. */
it('accepts driving and GPS noise, refuses a fix 10 km away a second later', () => {
  const filter = createJumpFilter()
  expect(filter.check(fix(0, 30.17))).toBeUndefined()
  expect(filter.check(fix(1, 30.1701))).toBeUndefined()
  expect(filter.check(fix(2, 30.1703))).toBeUndefined()
  expect(filter.check(fix(3, 30.26))).toMatch(/^10\.0 km from the fix at .* in 1 s$/)
  expect(filter.check(fix(4, 30.1704))).toBeUndefined()
})

it('compares a late report with the fixes on both sides of it', () => {
  const filter = createJumpFilter()
  filter.check(fix(0, 30.17))
  filter.check(fix(10, 30.171))
  expect(filter.check(fix(5, 30.2))).toMatch(/km from the fix/)
  expect(filter.check(fix(5, 30.1705))).toBeUndefined()
})

it('lets the bus go after the comparison window, so one bad fix cannot lock it out', () => {
  const filter = createJumpFilter()
  filter.check(fix(0, 30.17))
  expect(filter.check(fix(59, 30.3))).toBeDefined()
  expect(filter.check(fix(121, 30.3))).toBeUndefined()
})

it('keeps buses apart', () => {
  const filter = createJumpFilter()
  filter.check(fix(0, 30.17))
  expect(filter.check({ ...fix(1, 30.3), busId: 'CX02' })).toBeUndefined()
})
