import * as z from 'zod/mini'
import type { AlarmOutcome } from '../../server/core/alarms/alarm-case.js'
import { createApiClient } from '../shared/api-client.js'
import { roadsFetcher } from '../shared/map/road-contract.js'
import { fetchPageConfig } from '../shared/page-config.js'
import {
  alarmCaseSchema,
  alarmDetailSchema,
  alarmKindsSchema,
  alarmListSchema,
  assigneesSchema,
  busDaySchema,
  busTripsSchema,
  fleetStateSchema,
  meSchema,
  trackSchema,
  type TrackPoint,
} from './bureau-contract.js'
import type { CaseFilter } from './case-order.js'

/** The track is read in pages of this many fixes, at most this many pages: a whole day at 1 Hz. */
const trackPage = 10_000
const trackPages = 6
/** The inbox shows this many cases at most; the oldest unfinished ones first go out of view. */
const inboxLimit = 500

const caseAnswer = z.object({ alarm: alarmCaseSchema })

/** The fleet console's calls, each with the staff session in the header. */
export function createBureauApi(options: { token: string }) {
  const client = createApiClient(options)
  const post = (path: string, body: unknown) => client.post(path, body, caseAnswer)
  return {
    token: options.token,
    me: async () => (await client.get('/api/me', meSchema)).principal,
    pageConfig: () => fetchPageConfig(client, '/bureau/config.json'),
    roads: roadsFetcher(client),
    fleetState: () => client.get('/api/fleet/state', fleetStateSchema),
    busDay: (busId: string) => client.get(`/api/fleet/buses/${encodeURIComponent(busId)}/day`, busDaySchema),
    busTrips: async (busId: string) =>
      (await client.get(`/api/buses/${encodeURIComponent(busId)}/today`, busTripsSchema)).trips,
    /** The bus's fixes between two times, oldest first, read page after page. */
    async track(busId: string, from: string, to: string): Promise<TrackPoint[]> {
      const fixes: TrackPoint[] = []
      let since = from
      for (let page = 0; page < trackPages; page++) {
        const query = new URLSearchParams({ from: since, to, limit: String(trackPage) })
        const { positions } = await client.get(
          `/api/buses/${encodeURIComponent(busId)}/positions?${query}`,
          trackSchema,
        )
        // A page starts at its `from`, which the last page ended on: that fix is kept once.
        fixes.push(...(fixes.length > 0 && positions[0]?.ts === since ? positions.slice(1) : positions))
        const last = positions[positions.length - 1]
        if (positions.length < trackPage || !last) break
        since = last.ts
      }
      return fixes
    },
    alarms: async (filter: CaseFilter) => {
      const query = new URLSearchParams({ limit: String(inboxLimit) })
      if (filter.states.length > 0) query.set('state', filter.states.join(','))
      if (filter.severities.length > 0) query.set('severity', filter.severities.join(','))
      if (filter.kinds.length > 0) query.set('kind', filter.kinds.join(','))
      return (await client.get(`/api/alarms?${query}`, alarmListSchema)).alarms
    },
    alarm: (id: number) => client.get(`/api/alarms/${id}`, alarmDetailSchema),
    alarmKinds: async () => (await client.get('/api/alarm-kinds', alarmKindsSchema)).kinds,
    assignees: async () => (await client.get('/api/fleet/assignees', assigneesSchema)).assignees,
    acknowledge: (id: number) => post(`/api/alarms/${id}/acknowledge`, {}),
    assign: (id: number, assignee: string) => post(`/api/alarms/${id}/assign`, { assignee }),
    addNote: (id: number, text: string) =>
      client.post(`/api/alarms/${id}/notes`, { text }, z.object({ alarm: alarmCaseSchema })),
    close: (id: number, outcome: AlarmOutcome, text: string) =>
      post(`/api/alarms/${id}/close`, { outcome, text }),
  }
}

export type BureauApi = ReturnType<typeof createBureauApi>
