import { parseGtfsRows, requiredField } from './gtfs-rows.js'

export interface GtfsAgency {
  agencyId: string
  name: string
  /** IANA zone the feed's times are written in. */
  timeZone: string
}

/** `agency.txt`: who runs the service, and the time zone of its timetable. */
export function parseGtfsAgencies(text: string): GtfsAgency[] {
  return parseGtfsRows(text).map((row) => ({
    agencyId: row.agency_id ?? '',
    name: row.agency_name ?? '',
    timeZone: requiredField(row, 'agency_timezone', 'agency.txt'),
  }))
}
