import { performance } from 'node:perf_hooks'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { planLinesWithWorkings } from '../geo/planner/plan-lines.js'
import type { PlanInput, PlanProgress, PlanResult } from '../geo/planner/plan-model.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { planInputFromRegisters } from '../server/planning/plan-input-from-registers.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { readCommandLine } from '../server/core/cli/command-line.js'
import { decodePlanWorkings, encodePlanWorkings } from '../server/core/planning/plan-workings-codec.js'

/**
 * Plans lines for the Cixi riders (pupils with a school bus or a line today) on the embedded graph
 * router and prints, as its last line, one JSON object with the plan's size, today's buses for the
 * same pupils, the time each phase took and the peak memory. The route search gets a short time per
 * problem (SEARCH_MS) so that the whole plan stays within a minute.
 *
 * With --what-if it then moves one school's grade (the school and grade with most riders unless
 * named) and plans the what-if on the base's workings, read back from their stored form, as a
 * what-if with `basePlanId` is planned; the JSON then holds both plans' time, buses and cost, the
 * ride groups planned again and kept, and the size of the stored workings.
 */
const command = readCommandLine({
  usage: `usage: npm run bench:plan -- [--what-if [--school ID] [--grade N] [--shift-min N]]

Plans lines for the Cixi riders on the embedded router and prints one JSON line last, with the
seconds each phase took.
  --what-if      then a what-if on the plan's stored workings, one school's grade moved
  --school ID    the school whose grade moves (default: the one with most riders)
  --grade N      the grade that moves (default: that school's grade with most riders)
  --shift-min N  minutes it moves by, -120 to 120 (default 20)
SEARCH_MS sets the route search's time per problem (default 250); VERBOSE=1 prints progress.`,
  options: {
    'what-if': { type: 'boolean', default: false },
    school: { type: 'string' },
    grade: { type: 'string' },
    'shift-min': { type: 'string', default: '20' },
  },
})
const SEARCH_MS = Number(process.env.SEARCH_MS ?? 250)
const whatIfAsked = command.values['what-if'] === true
const shiftMin = command.number('shift-min', { whole: true, min: -120, max: 120 })

const world = await loadCixiWorld()
const router = createGraphRouter(world.roads)
const input = planInputFromRegisters(registersFromCixiWorld(world), {
  pupilScope: { kind: 'riders' },
  settings: { searchTimeLimitMs: SEARCH_MS },
})
const deps = { roads: router.graph, router }
let peakRss = process.memoryUsage.rss()
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50)

/** Seconds per phase, from the progress each phase starts with; `metrics` holds the line riders' plan. */
function timePhases() {
  const seconds: Partial<Record<PlanProgress['phase'], number>> = {}
  let phase: PlanProgress['phase'] | null = null
  let sinceMs = performance.now()
  const close = () => {
    const nowMs = performance.now()
    if (phase) seconds[phase] = round1((seconds[phase] ?? 0) + (nowMs - sinceMs) / 1000)
    sinceMs = nowMs
  }
  return {
    onProgress: (progress: PlanProgress) => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss())
      if (process.env.VERBOSE) console.log(`${progress.phase} ${(progress.fraction * 100).toFixed(0)}%`)
      if (progress.phase === phase) return
      close()
      phase = progress.phase
    },
    finish: () => {
      close()
      return seconds
    },
  }
}

async function timePlan(planInput: PlanInput, whatIf?: Parameters<typeof planLinesWithWorkings>[3]) {
  const phases = timePhases()
  const startMs = performance.now()
  const planned = await planLinesWithWorkings(planInput, deps, { onProgress: phases.onProgress }, whatIf)
  return { ...planned, seconds: round1((performance.now() - startMs) / 1000), phaseSeconds: phases.finish() }
}

// Named before the base is planned, so that a wrong school or grade is refused at once.
const shift = whatIfAsked ? chooseShift(input) : null
const base = await timePlan(input)
const { result } = base

for (const comparison of result.comparisons) {
  console.log(`${comparison.scope}: today ${JSON.stringify(comparison.today)}`)
  console.log(`${comparison.scope}: proposed ${JSON.stringify(comparison.proposed)}`)
}
const reasons: Record<string, number> = {}
for (const { reason } of result.unserved) reasons[reason] = (reasons[reason] ?? 0) + 1
const today = result.comparisons.find((c) => c.scope === 'riders')?.today
const figures = {
  pupils: input.pupils.length,
  stops: result.stops.length,
  buses: result.metrics.buses,
  seconds: base.seconds,
  phaseSeconds: base.phaseSeconds,
  busesToday: today?.buses ?? null,
  busKmPerDay: Math.round(result.metrics.busKmPerDay),
  busKmToday: today ? Math.round(today.busKmPerDay) : null,
  meanRideS: Math.round(result.metrics.meanRideS),
  maxRideS: result.metrics.maxRideS,
  unserved: result.unserved.length,
  unservedByReason: reasons,
  lines: result.lines.length,
  microLines: result.lines.filter((l) => l.kind === 'micro_bus').length,
  trips: result.trips.length,
  costPerDayYuan: Math.round(result.metrics.costPerDayYuan),
  costTodayYuan: today ? Math.round(today.costPerDayYuan) : null,
  searchMsPerProblem: SEARCH_MS,
}

if (!shift) {
  clearInterval(sampler)
  console.log(JSON.stringify({ ...figures, peakRssMb: Math.round(peakRss / 2 ** 20) }))
} else {
  // The workings as the store keeps them, read back as the what-if's worker reads them.
  const encodeStartMs = performance.now()
  const stored = encodePlanWorkings(base.workings)
  const encodeMs = performance.now() - encodeStartMs
  const decodeStartMs = performance.now()
  const workings = decodePlanWorkings(stored)
  const decodeMs = performance.now() - decodeStartMs

  const whatIfInput: PlanInput = { ...input, settings: { ...input.settings, timeShifts: [shift] } }
  const whatIf = await timePlan(whatIfInput, { base: { workings, lines: result.lines } })
  clearInterval(sampler)
  const replanned = whatIf.result.replanned!
  console.log(
    JSON.stringify({
      pupils: input.pupils.length,
      shift,
      fullSeconds: base.seconds,
      fullPhaseSeconds: base.phaseSeconds,
      whatIfSeconds: whatIf.seconds,
      whatIfPhaseSeconds: whatIf.phaseSeconds,
      mode: replanned.mode,
      groupsReplanned: replanned.groups.length,
      groupsReused: replanned.reusedGroups,
      replannedGroups: replanned.groups.map((g) => g.key),
      microRuns: replanned.microRuns,
      comparisonGroups: replanned.comparison,
      base: describe(result),
      whatIf: describe(whatIf.result),
      workingsBytes: stored.length,
      resultBytes: Buffer.byteLength(JSON.stringify(result)),
      workingsEncodeMs: Math.round(encodeMs),
      workingsDecodeMs: Math.round(decodeMs),
      searchMsPerProblem: SEARCH_MS,
      peakRssMb: Math.round(peakRss / 2 ** 20),
    }),
  )
}

/** The grade that moves: as named, else the most common among the riders of the school with most. */
function chooseShift(planInput: PlanInput) {
  const count = <K>(keys: K[]) => {
    const counts = new Map<K, number>()
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
  }
  const schoolId = command.values.school ?? count(planInput.pupils.map((p) => p.schoolId))
  const school = planInput.schools.find((s) => s.id === schoolId)
  if (!school) return command.refuse(`--school: no school ${schoolId} among the riders' schools`)
  const grade =
    command.values.grade === undefined
      ? count(planInput.pupils.filter((p) => p.schoolId === schoolId).map((p) => p.grade))!
      : command.number('grade', { whole: true, min: 1, max: 12 })
  if (!school.startTimes.some((start) => start.grade === grade))
    return command.refuse(`--grade: ${schoolId} has no grade ${grade}`)
  return { schoolId: school.id, grade, shiftMin }
}

function describe(plan: PlanResult) {
  return {
    buses: plan.metrics.buses,
    costPerDayYuan: Math.round(plan.metrics.costPerDayYuan),
    busKmPerDay: Math.round(plan.metrics.busKmPerDay),
    meanRideS: Math.round(plan.metrics.meanRideS),
    unserved: plan.unserved.length,
    trips: plan.trips.length,
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}
