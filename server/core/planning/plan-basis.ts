import { createHash } from 'node:crypto'
import type { FullReplanReason, PlanInput, PlanSettings } from '../../../geo/planner/plan-model.js'
import type { RoadNetwork } from '../../../geo/roads/road-network.js'

/**
 * What a plan ran on besides its request, stored beside the request so that the plan can be run
 * again and a rerun on other data is noticed: the settings with the defaults filled in, a sha256 of
 * the planner's whole input (pupils' homes, grades, schools and waves, the schools, hubs, fleet,
 * depots, settings and today's service) and of the road network, and counts. It holds no name and
 * no home: the input is identified, not kept.
 */
export interface PlanBasis {
  settings: PlanSettings
  inputSha256: string
  roads: { source: string; ways: number; sha256: string; router: 'embedded' | 'osrm' }
  counts: { pupils: number; schools: number; hubs: number; busTypes: number; todayTrips: number }
}

export function describePlanBasis(
  input: PlanInput,
  roads: RoadNetwork,
  options: { router: PlanBasis['roads']['router'] },
): PlanBasis {
  return {
    settings: input.settings,
    inputSha256: hashJson(input),
    roads: { source: roads.source, ways: roads.ways.length, sha256: hashJson(roads), router: options.router },
    counts: {
      pupils: input.pupils.length,
      schools: input.schools.length,
      hubs: input.hubs.length,
      busTypes: input.fleet.length,
      todayTrips: input.today?.trips.length ?? 0,
    },
  }
}

/**
 * Why a what-if cannot re-use its base plan's workings, or null when it can: it must drive on the
 * same roads with the same router, and its input must be the base's but for what no kept working
 * depends on: the time shifts (what the what-if moves), the shift windows (only the proposal reads
 * them) and the search time (given only to the groups routed again).
 */
export function compareWithBase(
  input: PlanInput,
  basis: PlanBasis,
  base: PlanBasis,
): FullReplanReason | null {
  if (basis.roads.sha256 !== base.roads.sha256 || basis.roads.router !== base.roads.router)
    return 'roads_changed'
  const { timeShifts, shiftWindows, searchTimeLimitMs } = base.settings
  const asBase = { ...input, settings: { ...input.settings, timeShifts, shiftWindows, searchTimeLimitMs } }
  return hashJson(asBase) === base.inputSha256 ? null : 'input_changed'
}

/** Text is handed to the hash in pieces of about this many characters rather than one at a time. */
const hashChunkChars = 1 << 16

/**
 * sha256 of the value's JSON with object keys sorted, so that the same data hashes the same however
 * it was built; the JSON is fed to the hash in chunks, never held whole (a road network is large).
 */
export function hashJson(value: unknown): string {
  const hash = createHash('sha256')
  let pending = ''
  const write = (text: string) => {
    pending += text
    if (pending.length >= hashChunkChars) {
      hash.update(pending)
      pending = ''
    }
  }
  writeCanonicalJson(value, write)
  hash.update(pending)
  return hash.digest('hex')
}

function writeCanonicalJson(value: unknown, write: (text: string) => void): void {
  if (Array.isArray(value)) {
    write('[')
    value.forEach((item, i) => {
      if (i > 0) write(',')
      // As JSON.stringify does, a hole or an undefined in an array is null.
      writeCanonicalJson(item ?? null, write)
    })
    write(']')
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    write('{')
    entries.forEach(([key, item], i) => {
      write(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`)
      writeCanonicalJson(item, write)
    })
    write('}')
  } else {
    write(JSON.stringify(value) ?? 'null')
  }
}
