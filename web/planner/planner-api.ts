import * as z from 'zod/mini'
import { createApiClient } from '../shared/api-client.js'
import { roadsFetcher } from '../shared/map/road-contract.js'
import { fetchPageConfig } from '../shared/page-config.js'
import {
  densitySchema,
  planSchema,
  planSummarySchema,
  schoolSchema,
  todaySchema,
  type PlanRequest,
} from './planner-contract.js'

const meSchema = z.object({ principal: z.object({ role: z.string() }) })
const startedSchema = z.object({ id: z.string(), status: z.string() })

/** The planner page's calls; downloads too carry the token in a header, never in a link. */
export function createPlannerApi(options: { token: string }) {
  const client = createApiClient(options)
  return {
    me: () => client.get('/api/me', meSchema),
    pageConfig: () => fetchPageConfig(client, '/planner/config.json'),
    roads: roadsFetcher(client),
    schools: async () =>
      (await client.get('/api/schools', z.object({ schools: z.array(schoolSchema) }))).schools,
    density: (cellM: number) => client.get(`/api/planner/density?cellM=${cellM}`, densitySchema),
    today: () => client.get('/api/planner/today', todaySchema),
    plans: async () =>
      (await client.get('/api/plans?limit=20', z.object({ plans: z.array(planSummarySchema) }))).plans,
    plan: async (id: string) => (await client.get(`/api/plans/${id}`, z.object({ plan: planSchema }))).plan,
    startPlan: (request: Omit<PlanRequest, 'settings'> & { settings: object }) =>
      client.post('/api/plans', request, startedSchema),
    cancelPlan: (id: string) => client.post(`/api/plans/${id}/cancel`, {}, z.object({ status: z.string() })),
    /** The file, fetched with the token; the page then hands it to the browser to save. */
    async download(path: string): Promise<Blob> {
      const response = await fetch(path, { headers: { authorization: `Bearer ${options.token}` } })
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
      return response.blob()
    },
  }
}

export type PlannerApi = ReturnType<typeof createPlannerApi>
