import { GeoError } from '../../geo/geo-error.js'

export interface SbrpSchool {
  id: string
  /** Feet. */
  x: number
  y: number
  /** AMEARLY in seconds after midnight: the time the bus has finished unloading. */
  startS: number
  /** AMLATE in seconds after midnight (not used by the morning model, kept for completeness). */
  lateStartS: number
}

export interface SbrpStop {
  id: string
  x: number
  y: number
  schoolId: string
  students: number
}

export interface SbrpInstance {
  schools: SbrpSchool[]
  stops: SbrpStop[]
}

/**
 * Parses the texts of `Schools.txt` and `Stops.txt` of the school-bus routing benchmarks (tab- or
 * space-separated, one header line). Throws GeoError on malformed rows, duplicate ids and stops of
 * an unknown school.
 */
export function readSbrpInstance(schoolsText: string, stopsText: string): SbrpInstance {
  const schools = readRows(schoolsText, 'schools', ['ID', 'X', 'Y', 'AMEARLY', 'AMLATE']).map(
    ({ cells, field }): SbrpSchool => ({
      id: cells.ID,
      x: readNumber(cells.X, `${field}.X`),
      y: readNumber(cells.Y, `${field}.Y`),
      startS: readClock(cells.AMEARLY, `${field}.AMEARLY`),
      lateStartS: readClock(cells.AMLATE, `${field}.AMLATE`),
    }),
  )
  const schoolIds = new Set(schools.map((school) => school.id))
  const stops = readRows(stopsText, 'stops', ['ID', 'X_COORD', 'Y_COORD', 'EP_ID', 'STUDENT_COUNT']).map(
    ({ cells, field }): SbrpStop => {
      if (!schoolIds.has(cells.EP_ID)) {
        throw new GeoError('invalid_input', `stop ${cells.ID}: unknown school ${cells.EP_ID}`, {
          field: `${field}.EP_ID`,
        })
      }
      const students = readNumber(cells.STUDENT_COUNT, `${field}.STUDENT_COUNT`)
      if (!Number.isInteger(students) || students < 0) {
        throw new GeoError('invalid_input', `stop ${cells.ID}: bad pupil count`, {
          field: `${field}.STUDENT_COUNT`,
        })
      }
      return {
        id: cells.ID,
        x: readNumber(cells.X_COORD, `${field}.X_COORD`),
        y: readNumber(cells.Y_COORD, `${field}.Y_COORD`),
        schoolId: cells.EP_ID,
        students,
      }
    },
  )
  if (stops.length === 0) throw new GeoError('invalid_input', 'no stops', { field: 'stops' })
  return { schools, stops }
}

function readRows(
  text: string,
  fileField: string,
  columns: readonly string[],
): { cells: Record<string, string>; field: string }[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  if (lines.length === 0)
    throw new GeoError('invalid_input', `${fileField}: empty file`, { field: fileField })
  const header = lines[0].trim().split(/\s+/)
  const positions = columns.map((column) => {
    const position = header.indexOf(column)
    if (position < 0)
      throw new GeoError('invalid_input', `${fileField}: no ${column} column`, { field: fileField })
    return position
  })
  const seen = new Set<string>()
  return lines.slice(1).map((line, i) => {
    const field = `${fileField}[${i}]`
    const parts = line.trim().split(/\s+/)
    if (parts.length < header.length)
      throw new GeoError('invalid_input', `${field}: missing columns`, { field })
    const cells = Object.fromEntries(columns.map((column, c) => [column, parts[positions[c]]]))
    if (seen.has(cells.ID))
      throw new GeoError('invalid_input', `${field}: duplicate id ${cells.ID}`, { field })
    seen.add(cells.ID)
    return { cells, field }
  })
}

function readNumber(text: string, field: string): number {
  const value = Number(text)
  if (text === '' || !Number.isFinite(value))
    throw new GeoError('invalid_input', `${field}: not a number`, { field })
  return value
}

/** `510` is 5:10 and `1000` is 10:00. */
function readClock(text: string, field: string): number {
  if (!/^\d{1,4}$/.test(text)) throw new GeoError('invalid_input', `${field}: not an H:MM clock`, { field })
  const value = Number(text)
  const minutes = value % 100
  const hours = Math.floor(value / 100)
  if (minutes >= 60 || hours >= 24)
    throw new GeoError('invalid_input', `${field}: not an H:MM clock`, { field })
  return hours * 3600 + minutes * 60
}
