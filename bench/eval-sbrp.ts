import { readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { checkSbrpSolution } from './sbrp/check-sbrp-solution.js'
import { readSbrpInstance } from './sbrp/read-sbrp-instance.js'
import { solveSbrp } from './sbrp/solve-sbrp.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run eval:sbrp -- DIR --max-ride S --out FILE [--time-limit S] [--seed N]`: solves one
 * school-bus routing benchmark (DIR/Schools.txt, DIR/Stops.txt), writes the buses as JSON, checks
 * them with the independent checker and compares the bus count with the published one
 * (`combined` in published-bus-counts.csv beside DIR). Prints one JSON line last.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run eval:sbrp -- DIR --max-ride S --out FILE [--time-limit S] [--seed N]

  DIR              an instance: its Schools.txt and Stops.txt
  --max-ride S     the longest ride a pupil may have, in seconds
  --out FILE       the solution, as JSON
  --time-limit S   the whole run's time (default 55)
  --seed N         the search's seed (default 1)`,
  options: {
    'max-ride': { type: 'string' },
    out: { type: 'string' },
    'time-limit': { type: 'string', default: '55' },
    seed: { type: 'string', default: '1' },
  },
  operands: { min: 1, max: 1 },
})
const dir = commandLine.operands[0]!
const maxRideS = commandLine.number('max-ride', { above: 0 })
const out = commandLine.required('out', 'the file to write the solution to')
const timeLimitS = commandLine.number('time-limit', { above: 1.5 })
const seed = commandLine.number('seed', { whole: true })
const startedMs = performance.now()
const instanceName = basename(resolve(dir))
const instance = readSbrpInstance(
  await readFile(join(dir, 'Schools.txt'), 'utf8'),
  await readFile(join(dir, 'Stops.txt'), 'utf8'),
)
// The limit covers the whole run: reading, checking and writing take a moment besides the search.
const solution = solveSbrp(instance, { maxRideS, timeLimitMs: timeLimitS * 1000 - 1500, seed })
await writeFile(out, JSON.stringify(solution, null, 1) + '\n')
const check = checkSbrpSolution(instance, solution, maxRideS)
for (const violation of check.violations.slice(0, 20)) process.stderr.write(JSON.stringify(violation) + '\n')

console.log(
  JSON.stringify({
    instance: instanceName,
    maxRideS,
    buses: check.buses,
    seconds: Math.round(performance.now() - startedMs) / 1000,
    feasible: check.feasible,
    drivingS: Math.round(check.drivingS),
    published: await readPublished(
      join(dirname(resolve(dir)), 'published-bus-counts.csv'),
      instanceName,
      maxRideS,
    ),
  }),
)

/** The `combined` count for this instance and ride limit, or null without the file or the row. */
async function readPublished(path: string, name: string, rideS: number): Promise<number | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return null
  }
  const [header, ...rows] = text.trim().split(/\r?\n/)
  const columns = header.split(',').map((cell) => cell.replace(/"/g, ''))
  for (const row of rows) {
    const cells = Object.fromEntries(row.split(',').map((cell, i) => [columns[i], cell.replace(/"/g, '')]))
    if (
      cells.benchmark === name &&
      cells.exp_name === 'combined' &&
      Number(cells.max_riding_time) === rideS
    ) {
      return Number(cells.buses)
    }
  }
  return null
}
