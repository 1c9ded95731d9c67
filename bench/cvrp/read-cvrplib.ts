import { GeoError } from '../../geo/geo-error.js'
import type { RouteProblem } from '../../geo/planner/route-search/route-problem.js'

/** A CVRPLIB instance: node ids are 1-based as in the file, the depot included. */
export interface CvrpInstance {
  name: string
  dimension: number
  capacity: number
  /** x, y of node id i at [(i - 1) * 2], [(i - 1) * 2 + 1]. */
  coordinates: Float64Array
  /** Demand of node id i at [i - 1]. */
  demand: Float64Array
  depotId: number
}

export interface CvrpSolution {
  /** Customer numbers as the .sol file writes them (node id − 1 for the usual depot id 1). */
  routes: number[][]
  cost: number
}

function invalid(field: string, message: string): GeoError {
  return new GeoError('invalid_input', message, { field })
}

function readNumber(token: string | undefined, field: string): number {
  const value = Number(token)
  if (token === undefined || token === '' || !Number.isFinite(value)) {
    throw invalid(field, `${field}: expected a number, got ${token}`)
  }
  return value
}

/**
 * Parses TSPLIB/CVRPLIB `.vrp` text with EUC_2D coordinates: the header (NAME, DIMENSION, CAPACITY,
 * EDGE_WEIGHT_TYPE) then NODE_COORD_SECTION, DEMAND_SECTION and DEPOT_SECTION.
 */
export function readCvrplibInstance(text: string): CvrpInstance {
  const header = new Map<string, string>()
  const sections = new Map<string, string[][]>()
  let section: string[][] | undefined
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line === '' || line === 'EOF') continue
    const colon = line.indexOf(':')
    if (colon > 0 && /^[A-Z_]+\s*$/.test(line.slice(0, colon))) {
      header.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
      section = undefined
    } else if (/^[A-Z_]+_SECTION$/.test(line)) {
      section = []
      sections.set(line, section)
    } else if (section) {
      section.push(line.split(/\s+/))
    } else {
      throw invalid('vrp', `unexpected line outside any section: ${line}`)
    }
  }
  const edgeType = header.get('EDGE_WEIGHT_TYPE')
  if (edgeType !== 'EUC_2D') throw invalid('EDGE_WEIGHT_TYPE', `only EUC_2D is supported, got ${edgeType}`)
  const dimension = readNumber(header.get('DIMENSION'), 'DIMENSION')
  if (!Number.isInteger(dimension) || dimension < 1) throw invalid('DIMENSION', `bad DIMENSION ${dimension}`)
  const capacity = readNumber(header.get('CAPACITY'), 'CAPACITY')
  const coordinates = new Float64Array(dimension * 2)
  const demand = new Float64Array(dimension)
  readNodeRows(sections.get('NODE_COORD_SECTION'), 'NODE_COORD_SECTION', dimension, 2, (id, values) => {
    coordinates[(id - 1) * 2] = values[0]
    coordinates[(id - 1) * 2 + 1] = values[1]
  })
  readNodeRows(sections.get('DEMAND_SECTION'), 'DEMAND_SECTION', dimension, 1, (id, values) => {
    demand[id - 1] = values[0]
  })
  const depots = (sections.get('DEPOT_SECTION') ?? [])
    .flat()
    .map((token) => readNumber(token, 'DEPOT_SECTION'))
  const depotIds = depots.filter((id) => id !== -1)
  if (depotIds.length !== 1 || depotIds[0] < 1 || depotIds[0] > dimension) {
    throw invalid('DEPOT_SECTION', `expected exactly one depot id, got ${depotIds.join(', ') || 'none'}`)
  }
  return { name: header.get('NAME') ?? '', dimension, capacity, coordinates, demand, depotId: depotIds[0] }
}

function readNodeRows(
  rows: string[][] | undefined,
  field: string,
  dimension: number,
  width: number,
  store: (id: number, values: number[]) => void,
): void {
  if (!rows || rows.length !== dimension) {
    throw invalid(field, `${field} must list ${dimension} nodes, got ${rows?.length ?? 0}`)
  }
  for (const row of rows) {
    const id = readNumber(row[0], field)
    if (!Number.isInteger(id) || id < 1 || id > dimension || row.length !== width + 1) {
      throw invalid(field, `${field}: bad row ${row.join(' ')}`)
    }
    store(
      id,
      row.slice(1).map((token) => readNumber(token, `${field}[${id}]`)),
    )
  }
}

/** Parses a CVRPLIB `.sol`: `Route #k: c1 c2 …` lines and a `Cost N` line. */
export function readCvrplibSolution(text: string): CvrpSolution {
  const routes: number[][] = []
  let cost: number | undefined
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    const route = /^Route\s*#\s*\d+\s*:(.*)$/i.exec(line)
    if (route) {
      const tokens = route[1]
        .trim()
        .split(/\s+/)
        .filter((token) => token !== '')
      routes.push(tokens.map((token) => readNumber(token, `Route #${routes.length + 1}`)))
      continue
    }
    const costMatch = /^Cost\s+(\S+)$/i.exec(line)
    if (costMatch) cost = readNumber(costMatch[1], 'Cost')
  }
  if (cost === undefined) throw invalid('Cost', 'the solution has no Cost line')
  return { routes, cost }
}

/**
 * The rounded Euclidean distance TSPLIB's EUC_2D prescribes (nint), as a matrix over route-search
 * node numbers: node 0 is the depot, customer c is the c-th non-depot node id in file order.
 */
export function measureCvrpDistances(instance: CvrpInstance): Float64Array {
  const order = orderCvrpNodes(instance)
  const n = instance.dimension
  const travel = new Float64Array(n * n)
  const xy = instance.coordinates
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = (order[i] - 1) * 2
      const b = (order[j] - 1) * 2
      travel[i * n + j] = Math.round(Math.hypot(xy[a] - xy[b], xy[a + 1] - xy[b + 1]))
    }
  }
  return travel
}

/** File node id of each route-search node: the depot first, then the others in file order. */
export function orderCvrpNodes(instance: CvrpInstance): number[] {
  const others = Array.from({ length: instance.dimension }, (_, i) => i + 1).filter(
    (id) => id !== instance.depotId,
  )
  return [instance.depotId, ...others]
}

/** The instance as a closed RouteProblem with integer-rounded distances. */
export function toRouteProblem(instance: CvrpInstance): RouteProblem {
  const order = orderCvrpNodes(instance)
  return {
    nodeCount: instance.dimension,
    demand: order.map((id) => instance.demand[id - 1]),
    capacity: instance.capacity,
    travel: measureCvrpDistances(instance),
    shape: 'closed',
  }
}
