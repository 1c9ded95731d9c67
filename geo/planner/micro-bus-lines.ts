import { measureDistanceM } from '../routing/earth-distance.js'
import type { PlanHub, PlannedLine, PlannedStop, PlanPupil, PlanSchool, PlanSettings } from './plan-model.js'
import { readDriveS, type TravelTable } from './build-travel-table.js'
import { listMorningBells, listShiftedWaves, mergeMorningBells, type PupilWindows } from './school-bells.js'
import { draftTrip, timeTrip, type DraftTrip, type TripAnchor, type TripCall } from './time-trip.js'
import { formatDayTime } from './format-day-time.js'

/**
 * Which pupils ride a micro-bus line, as one rule: a hub gets a line to the nearest group of
 * neighbouring schools (schools within `schoolGroupM` of each other, chained) when the drive is
 * short; a stop joins the line when calling there costs at most `corridorDetourS` on the drive
 * from the hub to the group's first school; and that stop's pupils of the group's schools ride the
 * line. Everyone else rides a custom-bus route. The line then runs once per bell and per wave time,
 * shared by all its schools, with more runs when a time has more pupils than seats.
 */
export interface MicroLineRule {
  schoolGroupM: number
  maxHubToSchoolS: number
  corridorDetourS: number
}

export const defaultMicroLineRule: MicroLineRule = {
  schoolGroupM: 2000,
  maxHubToSchoolS: 15 * 60,
  corridorDetourS: 3 * 60,
}

export interface MicroLineDesign {
  id: string
  hub: PlanHub
  /** The stops after the hub, in driving order. */
  stopIds: string[]
  /** The schools it calls at, in driving order. */
  schoolIds: string[]
  pupilIds: string[]
}

interface PlaceLookup {
  table: TravelTable
  placeOf: (id: string) => number
}

/** Schools chained by straight distance: each group holds every school within reach of another. */
export function groupNeighbourSchools(schools: PlanSchool[], schoolGroupM: number): PlanSchool[][] {
  const groupOf = schools.map((_, i) => i)
  const root = (i: number): number => (groupOf[i] === i ? i : (groupOf[i] = root(groupOf[i]!)))
  schools.forEach((a, i) =>
    schools.forEach((b, j) => {
      if (j > i && measureDistanceM(a.location, b.location) <= schoolGroupM) groupOf[root(j)] = root(i)
    }),
  )
  const groups = new Map<number, PlanSchool[]>()
  schools.forEach((school, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), school]))
  return [...groups.values()]
}

export function designMicroBusLines(
  pupils: PlanPupil[],
  stops: PlannedStop[],
  input: { schools: PlanSchool[]; hubs: PlanHub[] },
  lookup: PlaceLookup,
  rule: MicroLineRule = defaultMicroLineRule,
): MicroLineDesign[] {
  const { table, placeOf } = lookup
  const driveS = (from: string, to: string) => readDriveS(table, placeOf(from), placeOf(to))
  const groups = groupNeighbourSchools(input.schools, rule.schoolGroupM)
  const candidates = input.hubs.flatMap((hub) => {
    const reach = groups
      .map((group) => {
        const entry = group.reduce((best, school) =>
          driveS(hub.id, school.id) < driveS(hub.id, best.id) ? school : best,
        )
        return { group, entry, driveS: driveS(hub.id, entry.id) }
      })
      .sort((a, b) => a.driveS - b.driveS)[0]
    return reach && reach.driveS <= rule.maxHubToSchoolS ? [{ hub, ...reach }] : []
  })
  const pupilById = new Map(pupils.map((pupil) => [pupil.id, pupil]))
  const stopsOf = candidates.map(() => [] as { stop: PlannedStop; fromHubS: number }[])
  const pupilsOf = candidates.map(() => [] as string[])
  for (const stop of stops) {
    let best = -1
    let bestDetourS = Infinity
    candidates.forEach(({ hub, entry, group }, c) => {
      if (!stop.schoolIds.some((id) => group.some((school) => school.id === id))) return
      const detourS = driveS(hub.id, stop.id) + driveS(stop.id, entry.id) - driveS(hub.id, entry.id)
      if (detourS <= rule.corridorDetourS && detourS < bestDetourS) {
        best = c
        bestDetourS = detourS
      }
    })
    if (best < 0) continue
    const { hub, group } = candidates[best]!
    stopsOf[best]!.push({ stop, fromHubS: driveS(hub.id, stop.id) })
    for (const id of stop.pupilIds) {
      if (group.some((school) => school.id === pupilById.get(id)?.schoolId)) pupilsOf[best]!.push(id)
    }
  }
  return candidates.flatMap(({ hub, entry, group }, c) => {
    const riders = pupilsOf[c]!
    if (riders.length === 0) return []
    const served = new Set(riders.map((id) => pupilById.get(id)!.schoolId))
    const schoolIds = [entry.id]
    const rest = group.filter((school) => school.id !== entry.id && served.has(school.id)).map((s) => s.id)
    while (rest.length > 0) {
      const last = schoolIds.at(-1)!
      rest.sort((a, b) => driveS(last, a) - driveS(last, b))
      schoolIds.push(rest.shift()!)
    }
    const ordered = stopsOf[c]!.sort((a, b) => a.fromHubS - b.fromHubS || a.stop.id.localeCompare(b.stop.id))
    return [{ id: `mb-${hub.id}`, hub, stopIds: ordered.map((s) => s.stop.id), schoolIds, pupilIds: riders }]
  })
}

/** One time of the day on a line: the pupils it carries and what the time hangs on. */
interface LineSlot {
  direction: 'to_school' | 'from_school'
  timeS: number
  pupils: PlanPupil[]
  anchors: TripAnchor[]
}

/** The line's runs: one per bell time and per wave time, split by seats, calling at every stop. */
export function runMicroBusLine(
  design: MicroLineDesign,
  context: PlaceLookup & {
    pupilById: Map<string, PlanPupil>
    stopOf: Map<string, string>
    schools: PlanSchool[]
    settings: PlanSettings
    seats: number
    busTypeId: string
    windowOf: PupilWindows
  },
): { line: Omit<PlannedLine, 'geometry'>; trips: DraftTrip[] } {
  const { settings, seats } = context
  const riders = design.pupilIds.map((id) => context.pupilById.get(id)!)
  const stopRank = new Map(design.stopIds.map((id, k) => [id, k]))
  riders.sort((a, b) => stopRank.get(context.stopOf.get(a.id)!)! - stopRank.get(context.stopOf.get(b.id)!)!)
  const slots = new Map<string, LineSlot>()
  const join = (direction: LineSlot['direction'], timeS: number, pupil: PlanPupil, anchor: TripAnchor) => {
    const key = `${direction}-${timeS}`
    const slot = slots.get(key) ?? { direction, timeS, pupils: [], anchors: [] }
    slot.pupils.push(pupil)
    if (!slot.anchors.some((a) => JSON.stringify(a) === JSON.stringify(anchor))) slot.anchors.push(anchor)
    slots.set(key, slot)
  }
  for (const school of context.schools.filter((s) => design.schoolIds.includes(s.id))) {
    const bells = mergeMorningBells(listMorningBells(school, settings.timeShifts), settings)
    const waves = listShiftedWaves(school, settings.timeShifts)
    for (const pupil of riders.filter((p) => p.schoolId === school.id)) {
      const bell = bells.find((b) => b.grades.includes(pupil.grade))!
      join('to_school', bell.timeS, pupil, { schoolId: school.id, grades: bell.grades })
      const wave = waves.find((w) => w.waveId === pupil.dismissalWaveId)!
      join('from_school', wave.timeS, pupil, { schoolId: school.id, waveId: wave.waveId })
    }
  }
  const trips: DraftTrip[] = []
  const ordered = [...slots.values()].sort(
    (a, b) => a.timeS - b.timeS || a.direction.localeCompare(b.direction),
  )
  for (const slot of ordered) {
    for (let start = 0; start < slot.pupils.length; start += seats) {
      const onRun = slot.pupils.slice(start, start + seats)
      trips.push(timeMicroRun(design, slot, onRun, context, trips.length + 1))
    }
  }
  const line: Omit<PlannedLine, 'geometry'> = {
    id: design.id,
    name: `${design.hub.name} 微公交`,
    kind: 'micro_bus',
    busTypeId: context.busTypeId,
    stopIds: [design.hub.id, ...design.stopIds, ...design.schoolIds],
    schoolIds: design.schoolIds,
    tripIds: trips.map((t) => t.trip.id),
  }
  return { line, trips }
}

function timeMicroRun(
  design: MicroLineDesign,
  slot: LineSlot,
  onRun: PlanPupil[],
  context: PlaceLookup & { stopOf: Map<string, string>; settings: PlanSettings; windowOf: PupilWindows },
  runNumber: number,
): DraftTrip {
  const morning = slot.direction === 'to_school'
  const atStop = (stopId: string) => onRun.filter((p) => context.stopOf.get(p.id) === stopId).map((p) => p.id)
  const atSchool = (schoolId: string) => onRun.filter((p) => p.schoolId === schoolId).map((p) => p.id)
  const stopCalls: TripCall[] = [design.hub.id, ...design.stopIds].map((stopId) => {
    const pupils = stopId === design.hub.id ? [] : atStop(stopId)
    return {
      place: context.placeOf(stopId),
      stopId,
      board: morning ? pupils : [],
      alight: morning ? [] : pupils,
    }
  })
  const schoolCalls: TripCall[] = design.schoolIds
    .filter((id) => atSchool(id).length > 0)
    .map((schoolId) => ({
      place: context.placeOf(schoolId),
      stopId: schoolId,
      board: morning ? [] : atSchool(schoolId),
      alight: morning ? atSchool(schoolId) : [],
    }))
  const calls = morning ? [...stopCalls, ...schoolCalls] : [...schoolCalls.reverse(), ...stopCalls.reverse()]
  const anchor = morning
    ? { call: 'last' as const, arriveS: slot.timeS - context.settings.arriveBeforeBellMinS }
    : { call: 'first' as const, arriveS: slot.timeS }
  const timed = timeTrip(calls, context.table, anchor)
  const waveIds = slot.anchors.flatMap((a) => ('waveId' in a ? [a.waveId] : []))
  const id = `${design.id}-${morning ? 'am' : 'pm'}${formatDayTime(slot.timeS).slice(0, 5).replace(':', '')}-${runNumber}`
  const trip = {
    id,
    lineId: design.id,
    direction: slot.direction,
    schoolIds: design.schoolIds.filter((schoolId) => atSchool(schoolId).length > 0),
    waveId: morning ? null : (waveIds[0] ?? null),
    ...timed,
  }
  return draftTrip(
    trip,
    calls.map((call) => call.place),
    slot.anchors,
    context.windowOf,
  )
}
