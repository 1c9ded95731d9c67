import { expect, it } from 'vitest'
import { decodeBcdTime, encodeBcdTime } from './bcd-time.js'

const bcd = (digits: string) => Buffer.from(digits, 'hex')

it.each([
  ['251231235959', '2025-12-31T15:59:59.000Z'],
  ['260101000000', '2025-12-31T16:00:00.000Z'],
  ['260101075959', '2025-12-31T23:59:59.000Z'],
  ['260101080000', '2026-01-01T00:00:00.000Z'],
  ['240229120000', '2024-02-29T04:00:00.000Z'],
])('reads %s in GMT+8 as %s, across the day boundary', (digits, iso) => {
  expect(decodeBcdTime(bcd(digits))?.toISOString()).toBe(iso)
  expect(encodeBcdTime(new Date(iso)).toString('hex')).toBe(digits)
})

it.each(['000000000000', '251301000000', '250230000000', '250101240000', '2501010000a0', '25010100'])(
  'names no time for %s',
  (digits) => {
    expect(decodeBcdTime(bcd(digits))).toBeNull()
  },
)
