import { z } from 'zod'

const instant = z.iso.datetime({ offset: true })

/**
 * What the feeds read of a bus's live state (the newest position and ETA the live channel sent):
 * checked here, since it comes from another part, through Redis where it runs elsewhere.
 */
const liveBusSnapshotSchema = z.object({
  position: z
    .object({
      ts: instant,
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      speedKmh: z.number().min(0).nullable().optional(),
      headingDeg: z.number().nullable().optional(),
    })
    .nullable(),
  tripId: z.string().nullable(),
  eta: z
    .object({
      status: z.string(),
      /** The newest fix the estimate stands on. */
      lastReportTs: instant.nullable(),
      nextSeq: z.number().int().nullable().optional(),
      stops: z.array(
        z.object({
          seq: z.number().int(),
          stopId: z.string(),
          /** Expected at the stop (reached it, for a passed stop); null when unknown. */
          etaTs: instant.nullable(),
          passed: z.boolean(),
        }),
      ),
    })
    .nullable(),
})

export type LiveBusSnapshot = z.infer<typeof liveBusSnapshotSchema>

/** The bus's live state, or undefined when what was kept does not have the expected shape. */
export function readLiveBusSnapshot(value: unknown): LiveBusSnapshot | undefined {
  const parsed = liveBusSnapshotSchema.safeParse(value)
  return parsed.success ? parsed.data : undefined
}
