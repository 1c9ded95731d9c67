import { describe, expect, it } from 'vitest'
import { formatGtfsCoordinate, quoteCsvField, toGtfsCsv, toGtfsDate } from './gtfs-csv.js'

describe('GTFS tables', () => {
  it('writes a header and rows with CRLF, quoting only what needs it', () => {
    expect(
      toGtfsCsv(
        ['stop_id', 'stop_name'],
        [
          ['a', '西站, "北口"'],
          ['b', 3],
        ],
      ),
    ).toBe('stop_id,stop_name\r\na,"西站, ""北口"""\r\nb,3\r\n')
    expect(quoteCsvField('two\nlines')).toBe('"two\nlines"')
  })

  it('writes coordinates to six decimals and days as YYYYMMDD', () => {
    expect(formatGtfsCoordinate(30.1)).toBe('30.100000')
    expect(toGtfsDate('2026-03-02')).toBe('20260302')
    expect(() => toGtfsDate('20260302')).toThrow(RangeError)
  })
})
