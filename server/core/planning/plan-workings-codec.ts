import { gunzipSync, gzipSync } from 'node:zlib'
import { z } from 'zod'
import type { TravelTable } from '../../../geo/planner/build-travel-table.js'
import type { PlanWorkings } from '../../../geo/planner/plan-workings.js'

/**
 * A plan's workings as the `plans.workings` column holds them, gzipped: the length of a JSON part
 * (uint32, little-endian), the JSON part (the workings with each travel table's arrays replaced by
 * their number in `arrays`), then those arrays' values as little-endian float64s, exact. Raw bytes
 * compress far better than the same numbers written out or in base64. `format` changes when the
 * layout does; workings of another format are not read, and a what-if on their plan plans
 * everything again.
 */
const workingsFormat = 1
/** Far above any plan's workings (the Cixi riders' are a few MB unpacked): a bomb is refused. */
const maxUnpackedBytes = 512 * 2 ** 20

const latLon = z.object({ lat: z.number(), lon: z.number() })
/** A travel table in the JSON part: its arrays by their number among the float64 arrays after it. */
const storedTable = z.object({
  count: z.number().int().min(0),
  durationS: z.number().int().min(0),
  distanceM: z.number().int().min(0),
})
type StoredTable = z.infer<typeof storedTable>

interface StoredWorkings extends Omit<PlanWorkings, 'table' | 'lineRiders'> {
  table: StoredTable
  lineRiders: StoredWorkings | null
}

const storedWorkings: z.ZodType<StoredWorkings> = z.lazy(() =>
  z.object({
    stops: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        location: latLon,
        pupilIds: z.array(z.string()),
        schoolIds: z.array(z.string()),
        maxWalkM: z.number(),
      }),
    ),
    unserved: z.array(
      z.object({
        pupilId: z.string(),
        reason: z.enum(['no_bus_road_within_walk_limit', 'lone_home', 'ride_too_long']),
      }),
    ),
    walkM: z.array(z.tuple([z.string(), z.number()])),
    table: storedTable,
    groups: z.array(
      z.object({
        signature: z.string(),
        busTypeId: z.string(),
        routes: z.array(z.array(z.number().int().min(0))),
      }),
    ),
    microRuns: z.array(z.string()),
    lineRiders: storedWorkings.nullable(),
  }),
)

const storedEnvelope = z.object({
  format: z.literal(workingsFormat),
  /** How many values each float64 array after the JSON part holds, in order. */
  arrays: z.array(z.number().int().min(0)),
  workings: storedWorkings,
})

export function encodePlanWorkings(workings: PlanWorkings): Buffer {
  const arrays: Float64Array[] = []
  const stored = toStored(workings, arrays)
  const json = Buffer.from(
    JSON.stringify({ format: workingsFormat, arrays: arrays.map((a) => a.length), workings: stored }),
  )
  const bytes = Buffer.alloc(4 + json.length + arrays.reduce((sum, a) => sum + a.length * 8, 0))
  bytes.writeUInt32LE(json.length, 0)
  json.copy(bytes, 4)
  let at = 4 + json.length
  for (const values of arrays) {
    for (const value of values) at = bytes.writeDoubleLE(value, at)
  }
  return gzipSync(bytes)
}

/** The workings stored, or an error saying why they cannot be read (another format, damage). */
export function decodePlanWorkings(stored: Uint8Array): PlanWorkings {
  const bytes = gunzipSync(stored, { maxOutputLength: maxUnpackedBytes })
  if (bytes.length < 4) throw new Error('plan workings too short')
  const jsonEnd = 4 + bytes.readUInt32LE(0)
  if (jsonEnd > bytes.length) throw new Error('plan workings cut short')
  const envelope = storedEnvelope.parse(JSON.parse(bytes.subarray(4, jsonEnd).toString('utf8')))
  const arrays: Float64Array[] = []
  let at = jsonEnd
  for (const length of envelope.arrays) {
    if (at + length * 8 > bytes.length) throw new Error('plan workings cut short')
    const values = new Float64Array(length)
    for (let i = 0; i < length; i++, at += 8) values[i] = bytes.readDoubleLE(at)
    arrays.push(values)
  }
  if (at !== bytes.length) throw new Error('plan workings hold more than their arrays')
  return fromStored(envelope.workings, arrays)
}

function toStored(workings: PlanWorkings, arrays: Float64Array[]): StoredWorkings {
  const { table, lineRiders, ...rest } = workings
  const number = (values: Float64Array) => arrays.push(values) - 1
  return {
    ...rest,
    table: { count: table.count, durationS: number(table.durationS), distanceM: number(table.distanceM) },
    lineRiders: lineRiders ? toStored(lineRiders, arrays) : null,
  }
}

function fromStored(stored: StoredWorkings, arrays: Float64Array[]): PlanWorkings {
  const { table, lineRiders, ...rest } = stored
  const array = (k: number) => {
    const values = arrays[k]
    if (!values) throw new Error(`plan workings have no array ${k}`)
    return values
  }
  const travel: TravelTable = {
    count: table.count,
    durationS: array(table.durationS),
    distanceM: array(table.distanceM),
  }
  const cells = table.count * table.count
  if (travel.durationS.length !== cells || travel.distanceM.length !== cells)
    throw new Error(`a travel table of ${table.count} places holds ${travel.durationS.length} cells`)
  return { ...rest, table: travel, lineRiders: lineRiders ? fromStored(lineRiders, arrays) : null }
}
