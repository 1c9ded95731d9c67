import { z } from 'zod'

/** OSRM v5 answers, as far as the client reads them (http://project-osrm.org/docs/v5.24.0/api/). */
const lonLat = z.tuple([z.number(), z.number()])

export const osrmWaypointSchema = z.object({
  location: lonLat,
  distance: z.number(),
  name: z.string().optional(),
})
export type OsrmWaypoint = z.infer<typeof osrmWaypointSchema>

const geometry = z.union([
  z.string(),
  z.object({ type: z.literal('LineString'), coordinates: z.array(lonLat) }),
])

export const osrmNearestSchema = z.object({
  code: z.literal('Ok'),
  waypoints: z.array(osrmWaypointSchema).min(1),
})

export const osrmRouteSchema = z.object({
  code: z.literal('Ok'),
  routes: z
    .array(
      z.object({
        distance: z.number(),
        duration: z.number(),
        geometry,
        legs: z.array(z.object({ distance: z.number(), duration: z.number() })),
      }),
    )
    .min(1),
  waypoints: z.array(osrmWaypointSchema),
})

const matrix = z.array(z.array(z.number().nullable()))

export const osrmTableSchema = z.object({
  code: z.literal('Ok'),
  durations: matrix,
  distances: matrix,
  sources: z.array(osrmWaypointSchema),
  destinations: z.array(osrmWaypointSchema),
})

export const osrmMatchSchema = z.object({
  code: z.literal('Ok'),
  matchings: z.array(
    z.object({ confidence: z.number(), distance: z.number(), duration: z.number(), geometry }),
  ),
  tracepoints: z.array(osrmWaypointSchema.nullable()),
})

export const osrmErrorSchema = z.object({ code: z.string(), message: z.string().optional() })
export type OsrmError = z.infer<typeof osrmErrorSchema>
