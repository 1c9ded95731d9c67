import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { checkCvrpSolution } from './cvrp/check-cvrp-solution.js'
import { readCvrplibInstance, readCvrplibSolution, toRouteProblem } from './cvrp/read-cvrplib.js'
import { searchRoutes } from '../geo/planner/route-search/search-routes.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * Scores the route search on a CVRPLIB instance against the best known solution in the .sol beside
 * it. The last printed line is one JSON object, for scripts that collect results.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run eval:cvrp -- FILE.vrp --out FILE [--time-limit S] [--seed N]

  FILE.vrp         a CVRPLIB instance, its best known solution in FILE.sol beside it
  --out FILE       the routes found, as JSON
  --time-limit S   the search's time (default 60)
  --seed N         the search's seed (default 1)`,
  options: {
    out: { type: 'string' },
    'time-limit': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
  },
  operands: { min: 1, max: 1 },
})
const vrpPath = commandLine.operands[0]!
const out = commandLine.required('out', 'the file to write the routes to')
const timeLimitS = commandLine.number('time-limit', { above: 0 })
const seed = commandLine.number('seed', { whole: true })
const instance = readCvrplibInstance(readFileSync(vrpPath, 'utf8'))
const solPath = vrpPath.replace(/\.vrp$/, '.sol')
const bks = readCvrplibSolution(readFileSync(solPath, 'utf8')).cost
const startMs = performance.now()
let lastPrintMs = 0
const solution = searchRoutes(toRouteProblem(instance), {
  timeLimitMs: timeLimitS * 1000,
  seed,
  now: () => performance.now(),
  onImprovement: (best) => {
    const atMs = performance.now() - startMs
    if (atMs - lastPrintMs < 1000) return
    lastPrintMs = atMs
    console.log(`${(atMs / 1000).toFixed(1)} s: cost ${best.travel}, ${best.routes.length} routes`)
  },
})
const seconds = (performance.now() - startMs) / 1000
writeFileSync(out, JSON.stringify({ routes: solution.routes }) + '\n')
const check = checkCvrpSolution(instance, solution.routes)
for (const problem of check.problems) console.log(`infeasible: ${problem}`)
console.log(`${solution.iterations} iterations`)
console.log(
  JSON.stringify({
    instance: instance.name || basename(vrpPath, '.vrp'),
    cost: check.cost,
    bks,
    gapPct: Number((((check.cost - bks) / bks) * 100).toFixed(3)),
    seconds: Number(seconds.toFixed(2)),
    routes: solution.routes.length,
    feasible: check.feasible,
  }),
)
