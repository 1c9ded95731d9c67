import { describe, expect, it } from 'vitest'
import { parseGtfsAgencies } from './gtfs-agency.js'

describe('GTFS agency', () => {
  it('reads the time zone the timetable is written in', () => {
    const text =
      '"agency_id","agency_name","agency_url","agency_timezone"\n"1","WMATA","https://www.wmata.com","America/New_York"\n'
    expect(parseGtfsAgencies(text)).toEqual([{ agencyId: '1', name: 'WMATA', timeZone: 'America/New_York' }])
  })
})
