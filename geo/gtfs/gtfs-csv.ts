/**
 * How every GTFS feed of the platform writes its tables: the line planner's feed of a plan and the
 * public feed of today's micro-bus and custom-bus service write their CSV, coordinates, dates and
 * agency defaults alike.
 */

/** Buses run on Cixi time. */
export const gtfsTimezone = 'Asia/Shanghai'
export const gtfsLanguage = 'zh'
/** GTFS requires an agency URL: the bureau's site stands in where none is known. */
export const defaultAgencyUrl = 'https://www.cixi.gov.cn/'

/** One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function quoteCsvField(value: string | number): string {
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A GTFS table: the header and one line per row, CRLF after each, as the reference feeds have it. */
export function toGtfsCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  return [header, ...rows].map((row) => row.map(quoteCsvField).join(',')).join('\r\n') + '\r\n'
}

/** Degrees to six decimals: about 10 cm, finer than any GPS or stop position. */
export const formatGtfsCoordinate = (degrees: number): string => degrees.toFixed(6)

/** A GTFS date, YYYYMMDD, from an ISO day YYYY-MM-DD. */
export function toGtfsDate(isoDay: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) throw new RangeError(`not a day YYYY-MM-DD: ${isoDay}`)
  return isoDay.replaceAll('-', '')
}
