import { performance } from 'node:perf_hooks'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { defaultPlanSettings, type PlanPupil } from '../geo/planner/plan-model.js'
import { placeStops } from '../geo/planner/place-stops.js'
import { buildRoadGraph } from '../geo/routing/road-graph.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * Stop placement on the Cixi fixture with the default settings: all pupils, then the riders only
 * (pupils who use a school bus or a line today, the planner's default scope). Each is timed over a
 * few runs after a warm-up; the graph is built once, outside the timing, as the planner builds it
 * once per plan. A line per group goes to stderr; the last line on stdout is one JSON object with
 * the riders' figures, the all-pupils figures prefixed `all`, and the whole run's seconds.
 */
readCommandLine({
  usage: `usage: npm run bench:stops

Takes no options: times stop placement on the Cixi fixture, for all pupils and for the riders, and
prints one JSON line last.`,
  options: {},
})
const RUNS = 3

const startMs = performance.now()
const world = await loadCixiWorld()
const graph = buildRoadGraph(world.roads)
const toPlanPupil = (pupil: (typeof world.pupils)[number]): PlanPupil => ({
  id: pupil.id,
  home: pupil.home,
  grade: pupil.grade,
  schoolId: pupil.schoolId,
  dismissalWaveId: pupil.dismissalWaveId,
})

function measurePlacement(label: string, pupils: PlanPupil[]) {
  let result = placeStops(pupils, graph, defaultPlanSettings)
  const timesMs: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const runStartMs = performance.now()
    result = placeStops(pupils, graph, defaultPlanSettings)
    timesMs.push(performance.now() - runStartMs)
  }
  const walks = [...result.walkM.values()]
  const reasons = new Map<string, number>()
  for (const { reason } of result.unserved) reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  console.error(
    `${label}: ${pupils.length} pupils → ${result.stops.length} stops, ${walks.length} served, ` +
      `unserved ${[...reasons].map(([reason, count]) => `${reason} ${count}`).join(', ')}; ` +
      `mean walk ${(walks.reduce((a, b) => a + b, 0) / walks.length).toFixed(0)} m; ` +
      `placeStops ${timesMs.map((ms) => ms.toFixed(0)).join(' / ')} ms`,
  )
  return {
    pupils: pupils.length,
    stops: result.stops.length,
    unserved: result.unserved.length,
    msPerRun: Math.round(timesMs.reduce((a, b) => a + b, 0) / RUNS),
  }
}

const all = measurePlacement('all', world.pupils.map(toPlanPupil))
const riders = measurePlacement(
  'riders',
  world.pupils.filter((pupil) => pupil.transport.mode !== 'none').map(toPlanPupil),
)
console.log(
  JSON.stringify({
    ...riders,
    allPupils: all.pupils,
    allStops: all.stops,
    allUnserved: all.unserved,
    allMsPerRun: all.msPerRun,
    seconds: Number(((performance.now() - startMs) / 1000).toFixed(1)),
    runs: RUNS,
  }),
)
