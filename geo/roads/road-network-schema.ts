import { z } from 'zod'
import { roadClasses, type RoadNetwork } from './road-network.js'
import { GeoError } from '../geo-error.js'

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])

const roadWaySchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  roadClass: z.enum(roadClasses),
  coords: z.array(position).min(2),
  speedKmh: z.number().positive().max(200),
  maxSpeedKmh: z.number().positive().optional(),
  oneway: z.boolean(),
  hazard: z.boolean().optional(),
})

export const roadNetworkSchema: z.ZodType<RoadNetwork> = z.object({
  source: z.string().min(1),
  ways: z.array(roadWaySchema),
})

/** A RoadNetwork read from JSON (an import, a fixture), checked before any graph is built from it. */
export function parseRoadNetwork(json: unknown): RoadNetwork {
  const parsed = roadNetworkSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '')
  throw new GeoError('invalid_input', `road network ${field}: ${issue.message}`, { field })
}
