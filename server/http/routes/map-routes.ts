import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Role } from '../../core/auth/principal.js'
import { AppError } from '../../core/errors/app-error.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import {
  indexRoads,
  maxRoadBoxPx,
  roadBoxProblem,
  roadMinZoom,
  selectRoads,
  type RoadIndex,
} from '../map-roads.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'

/** Every person signed in: the roads are no one's personal data. */
const mapCallers: readonly Role[] = ['bureau', 'school', 'attendant', 'parent']
/** The roads change only when the server starts on another network: a browser keeps them an hour. */
const roadsCacheControl = 'private, max-age=3600'

const degree = String.raw`-?\d{1,3}(?:\.\d+)?`
const roadsQuery = z
  .object({
    bbox: z
      .string({ message: 'expected west,south,east,north in degrees (WGS-84)' })
      .regex(
        new RegExp(`^${degree},${degree},${degree},${degree}$`),
        'expected west,south,east,north in degrees (WGS-84)',
      )
      .transform((text) => {
        const [west, south, east, north] = text.split(',').map(Number) as [number, number, number, number]
        return { west, south, east, north }
      })
      .refine(
        (box) => [box.west, box.east].every((lon) => Math.abs(lon) <= 180),
        'expected longitudes from -180 to 180',
      )
      .refine(
        (box) => [box.south, box.north].every((lat) => Math.abs(lat) <= 90),
        'expected latitudes from -90 to 90',
      ),
    zoom: z.coerce
      .number({ message: 'expected a whole zoom from 0 to 22' })
      .int('expected a whole zoom from 0 to 22')
      .min(0, 'expected a whole zoom from 0 to 22')
      .max(22, 'expected a whole zoom from 0 to 22'),
  })
  .superRefine((query, context) => {
    const problem = roadBoxProblem(query.bbox, query.zoom)
    if (problem) context.addIssue({ code: 'custom', path: ['bbox'], message: problem })
  })

const classesByZoom = Object.entries(roadMinZoom)
  .map(([roadClass, zoom]) => `${roadClass} from ${zoom}`)
  .join(', ')

export const mapOperations = describeOperations([
  {
    method: 'get',
    path: '/api/map/roads',
    summary: "The platform's own roads inside a box, for the pages' base map",
    description:
      'A GeoJSON FeatureCollection of LineStrings (WGS-84) with `roadClass` and, where the road has ' +
      'one, `name`: the road network routing drives on, so that a map shows streets with no tile ' +
      `service. Each class is drawn from a zoom on (${classesByZoom}). A box wider or taller than ` +
      `${maxRoadBoxPx} screen pixels at the zoom is refused, naming \`bbox\`. The answer carries an ` +
      'ETag and may be kept for an hour.',
    callers: mapCallers,
    query: roadsQuery,
    responses: { 200: 'a GeoJSON FeatureCollection of the roads' },
    errors: ['unavailable'],
  },
])

/**
 * The map's base layer. Mounted apart from the rest of the API (create-http-app.ts), since its
 * answers, unlike theirs, may be kept by the browser.
 */
export function mapRoutes({ roadNetwork }: ApiDeps) {
  let indexed: Promise<RoadIndex> | undefined
  const roadIndex = () => {
    if (!roadNetwork) throw new AppError('unavailable', 'this process has no road network to draw')
    indexed ??= roadNetwork().then(indexRoads)
    // A network that failed to load is read again at the next request.
    indexed.catch(() => (indexed = undefined))
    return indexed
  }

  return new Hono<AuthenticatedEnv>().get('/roads', compress(), etag(), async (c) => {
    assertRole(c.get('principal'), mapCallers)
    const { bbox, zoom } = parseInput(roadsQuery, c.req.query(), 'query')
    const roads = selectRoads(await roadIndex(), { box: bbox, zoom })
    c.header('Cache-Control', roadsCacheControl)
    return c.json(roads)
  })
}
