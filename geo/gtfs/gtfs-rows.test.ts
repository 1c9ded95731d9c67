import { describe, expect, it } from 'vitest'
import { parseGtfsRows, requiredNumber } from './gtfs-rows.js'

describe('GTFS rows', () => {
  it('reads quoted and bare fields, CRLF and a byte-order mark', () => {
    const text = '\uFEFF"agency_id","agency_name"\r\n"1","WMATA, Metro"\r\n2,Other\r\n\r\n'
    expect(parseGtfsRows(text)).toEqual([
      { agency_id: '1', agency_name: 'WMATA, Metro' },
      { agency_id: '2', agency_name: 'Other' },
    ])
  })

  it('refuses a missing or non-numeric required number', () => {
    expect(() => requiredNumber({ stop_lat: '' }, 'stop_lat', 'stops.txt')).toThrow(RangeError)
    expect(() => requiredNumber({ stop_lat: 'north' }, 'stop_lat', 'stops.txt')).toThrow(RangeError)
    expect(requiredNumber({ stop_lat: '38.9' }, 'stop_lat', 'stops.txt')).toBe(38.9)
  })
})
