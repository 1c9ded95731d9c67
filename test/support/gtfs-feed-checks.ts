import { expect } from 'vitest'

/** Reads CSV as GTFS writes it: quoted fields may hold commas, quotes and line breaks. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''))
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  const [header, ...body] = rows
  for (const line of body) expect(line.length).toBe(header!.length)
  return body.map((line) => Object.fromEntries(header!.map((name, k) => [name, line[k]!])))
}

const seconds = (time: string) => {
  const [h, m, s] = time.split(':').map(Number)
  return h! * 3600 + m! * 60 + s!
}

/** The checks a GTFS validator makes that a feed built from a plan could get wrong. */
export function validateFeed(files: Record<string, string>): void {
  const required = ['agency', 'stops', 'routes', 'trips', 'stop_times', 'calendar', 'shapes', 'feed_info']
  for (const name of required) expect(files, name).toHaveProperty(`${name}.txt`)
  const table = (name: string) => parseCsv(files[`${name}.txt`]!)
  const ids = (name: string, column: string) => new Set(table(name).map((row) => row[column]))
  const agencies = ids('agency', 'agency_id')
  const stops = ids('stops', 'stop_id')
  const routes = ids('routes', 'route_id')
  const services = ids('calendar', 'service_id')
  const shapes = ids('shapes', 'shape_id')
  for (const route of table('routes')) {
    expect(agencies).toContain(route.agency_id)
    expect(route.route_type).toBe('3')
  }
  for (const stop of table('stops')) {
    expect(Math.abs(Number(stop.stop_lat))).toBeLessThanOrEqual(90)
    expect(stop.stop_name).not.toBe('')
  }
  const trips = table('trips')
  for (const trip of trips) {
    expect(routes).toContain(trip.route_id)
    expect(services).toContain(trip.service_id)
    expect(shapes).toContain(trip.shape_id)
  }
  const stopTimes = table('stop_times')
  for (const trip of trips) {
    const times = stopTimes.filter((row) => row.trip_id === trip.trip_id)
    expect(times.length).toBeGreaterThanOrEqual(2)
    times.forEach((row, k) => {
      expect(stops).toContain(row.stop_id)
      expect(row.arrival_time).toMatch(/^\d{2,}:[0-5]\d:[0-5]\d$/)
      expect(seconds(row.departure_time)).toBeGreaterThanOrEqual(seconds(row.arrival_time))
      if (k > 0) {
        expect(Number(row.stop_sequence)).toBeGreaterThan(Number(times[k - 1]!.stop_sequence))
        expect(seconds(row.arrival_time)).toBeGreaterThanOrEqual(seconds(times[k - 1]!.departure_time))
      }
    })
  }
  for (const row of stopTimes) expect(trips.map((t) => t.trip_id)).toContain(row.trip_id)
  for (const shapeId of shapes) {
    const points = table('shapes').filter((row) => row.shape_id === shapeId)
    expect(points.length).toBeGreaterThanOrEqual(2)
    points
      .slice(1)
      .forEach((p, k) =>
        expect(Number(p.shape_pt_sequence)).toBeGreaterThan(Number(points[k]!.shape_pt_sequence)),
      )
  }
  const [calendar] = table('calendar')
  expect(calendar).toMatchObject({ monday: '1', friday: '1', saturday: '0', sunday: '0' })
}
