/**
 * A GTFS time, "H:MM:SS", as seconds from the service day's noon minus twelve hours. A trip that
 * runs past midnight keeps counting hours (25:10:00), so the time may pass 24 hours.
 */
export function parseGtfsTimeS(text: string): number {
  const match = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/.exec(text.trim())
  if (!match) throw new RangeError(`not a GTFS time "H:MM:SS": ${text}`)
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])
}

/**
 * Where a service day's times count from, in epoch milliseconds: noon local time minus twelve
 * hours, as GTFS defines it, so that times keep their meaning on the days the clocks change.
 * `date` is a GTFS date YYYYMMDD; `timeZone` an IANA zone such as the agency's.
 */
export function serviceDayOriginMs(date: string, timeZone: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date)
  if (!match) throw new RangeError(`not a GTFS date YYYYMMDD: ${date}`)
  const noonAsUtcMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12)
  return noonAsUtcMs - utcOffsetMs(noonAsUtcMs, timeZone) - 12 * 3_600_000
}

/** The zone's offset from UTC at (about) an instant: local wall time minus UTC. */
export function utcOffsetMs(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(atMs))
  const field = (type: string) => Number(parts.find((part) => part.type === type)!.value)
  const wallMs = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  )
  return wallMs - Math.floor(atMs / 1000) * 1000
}
