import type { Queryable } from '../store/database.js'
import type { BellTimeRecord, DismissalWaveRecord, RegisterSet } from './register-records.js'
import { jsonRows, upsertRows } from './store-upsert.js'
import type { RegisterChanges } from './write-registers.js'

export async function upsertTowns(tx: Queryable, towns: RegisterSet['towns']): Promise<void> {
  await upsertRows(
    tx,
    'towns',
    { id: 'text', kind: 'text', name_zh: 'text', name_en: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    towns.map((t) => ({
      id: t.code,
      kind: t.kind,
      name_zh: t.nameZh,
      name_en: t.nameEn,
      lat: t.lat,
      lon: t.lon,
    })),
  )
}

export async function upsertStops(tx: Queryable, stops: RegisterSet['stops']): Promise<void> {
  await upsertRows(
    tx,
    'stops',
    { id: 'text', town_id: 'text', kind: 'text', name_zh: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    stops.map((s) => ({
      id: s.code,
      town_id: s.townCode,
      kind: s.kind,
      name_zh: s.nameZh,
      lat: s.lat,
      lon: s.lon,
    })),
  )
}

/** The schedule (bell times and waves) is left alone here: writeSchedules keeps it. */
export async function upsertSchools(tx: Queryable, schools: RegisterSet['schools']): Promise<void> {
  await upsertRows(
    tx,
    'schools',
    {
      id: 'text',
      town_id: 'text',
      name_zh: 'text',
      name_en: 'text',
      kind: 'text',
      lat: 'float8',
      lon: 'float8',
      gate_stop_id: 'text',
    },
    ['id'],
    schools.map((s) => ({
      id: s.code,
      town_id: s.townCode,
      name_zh: s.nameZh,
      name_en: s.nameEn,
      kind: s.kind,
      lat: s.lat,
      lon: s.lon,
      gate_stop_id: s.gateStopCode,
    })),
  )
}

/** A school's bell times and dismissal waves as schools.schedule keeps them. */
interface Schedule {
  grades: Array<{ grade: number; startTime: string }>
  dismissalWaves: Array<{
    id: string
    name: string
    time: string
    grades: number[]
    afterSchoolService: boolean
  }>
}

/**
 * Bell times and waves live in their school's schedule: each upserted entry replaces the entry of
 * the same key (a grade, a wave code) or is added, each removed one is taken out, and the other
 * entries stay as stored. A wave moved to another school leaves its old one.
 */
export async function writeSchedules(
  tx: Queryable,
  upserts: Partial<RegisterSet>,
  removals: RegisterChanges['removals'],
): Promise<void> {
  const bellTimes = upserts.bellTimes ?? []
  const waves = upserts.dismissalWaves ?? []
  const removedGrades = new Set(removals.bellTimes ?? [])
  const removedWaves = new Set([...(removals.dismissalWaves ?? []), ...waves.map((w) => w.code)])
  if (bellTimes.length + removedGrades.size + removedWaves.size === 0) return

  const schedules = await readSchedules(tx)
  for (const [school, schedule] of schedules) {
    schedule.grades = schedule.grades.filter((g) => !removedGrades.has(`${school}\t${g.grade}`))
    schedule.dismissalWaves = schedule.dismissalWaves.filter((w) => !removedWaves.has(w.id))
  }
  for (const bell of bellTimes) setBellTime(scheduleOf(schedules, bell.schoolCode), bell)
  for (const wave of waves) addWave(scheduleOf(schedules, wave.schoolCode), wave)
  await tx.query(
    `UPDATE schools s SET schedule = r.schedule
       FROM ${jsonRows({ id: 'text', schedule: 'jsonb' })}
      WHERE s.id = r.id AND s.schedule IS DISTINCT FROM r.schedule`,
    [JSON.stringify([...schedules].map(([id, schedule]) => ({ id, schedule })))],
  )
}

/** Every school's schedule: a county has a few hundred schools. */
async function readSchedules(tx: Queryable): Promise<Map<string, Schedule>> {
  const rows = await tx.query<{ id: string; schedule: Partial<Schedule> }>('SELECT id, schedule FROM schools')
  return new Map(
    rows.map(({ id, schedule }) => [
      id,
      { ...schedule, grades: schedule.grades ?? [], dismissalWaves: schedule.dismissalWaves ?? [] },
    ]),
  )
}

function scheduleOf(schedules: Map<string, Schedule>, schoolCode: string): Schedule {
  const schedule = schedules.get(schoolCode)
  if (!schedule) throw new Error(`school ${schoolCode} is not in the store`)
  return schedule
}

function setBellTime(schedule: Schedule, bell: BellTimeRecord): void {
  const entry = { grade: bell.grade, startTime: bell.startTime }
  schedule.grades = [...schedule.grades.filter((g) => g.grade !== bell.grade), entry].sort(
    (a, b) => a.grade - b.grade,
  )
}

/** Waves were taken out by code before, so an updated wave goes to the end. */
function addWave(schedule: Schedule, wave: DismissalWaveRecord): void {
  const { code, name, time, grades, afterSchoolService } = wave
  schedule.dismissalWaves.push({ id: code, name, time, grades, afterSchoolService })
}
