import { performance } from 'node:perf_hooks'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { planLines } from '../geo/planner/plan-lines.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { planInputFromRegisters } from '../server/planning/plan-input-from-registers.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * Plans lines for the Cixi riders (pupils with a school bus or a line today) on the embedded graph
 * router and prints, as its last line, one JSON object with the plan's size, today's buses for the
 * same pupils, and the time and peak memory it took. The route search gets a short time per
 * problem (SEARCH_MS) so that the whole plan stays within a minute.
 */
readCommandLine({
  usage: `usage: npm run bench:plan

Takes no options: plans lines for the Cixi riders on the embedded router and prints one JSON line
last. SEARCH_MS sets the route search's time per problem (default 250); VERBOSE=1 prints progress.`,
  options: {},
})
const SEARCH_MS = Number(process.env.SEARCH_MS ?? 250)

const world = await loadCixiWorld()
const router = createGraphRouter(world.roads)
const input = planInputFromRegisters(registersFromCixiWorld(world), {
  pupilScope: { kind: 'riders' },
  settings: { searchTimeLimitMs: SEARCH_MS },
})
let peakRss = process.memoryUsage.rss()
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50)
const startMs = performance.now()
const result = await planLines(
  input,
  { roads: router.graph, router },
  {
    onProgress: ({ phase, fraction }) => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss())
      if (process.env.VERBOSE) console.log(`${phase} ${(fraction * 100).toFixed(0)}%`)
    },
  },
)
const seconds = (performance.now() - startMs) / 1000
clearInterval(sampler)
peakRss = Math.max(peakRss, process.memoryUsage.rss())

for (const comparison of result.comparisons) {
  console.log(`${comparison.scope}: today ${JSON.stringify(comparison.today)}`)
  console.log(`${comparison.scope}: proposed ${JSON.stringify(comparison.proposed)}`)
}
const reasons: Record<string, number> = {}
for (const { reason } of result.unserved) reasons[reason] = (reasons[reason] ?? 0) + 1
const today = result.comparisons.find((c) => c.scope === 'riders')?.today
console.log(
  JSON.stringify({
    pupils: input.pupils.length,
    stops: result.stops.length,
    buses: result.metrics.buses,
    seconds: Number(seconds.toFixed(1)),
    peakRssMb: Math.round(peakRss / 2 ** 20),
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
  }),
)
