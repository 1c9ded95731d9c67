import { createApiClient } from '../shared/api-client.js'
import { fetchPageConfig } from '../shared/page-config.js'
import { busStateSchema } from '../shared/bus-live-contract.js'
import { roadsFetcher } from '../shared/map/road-contract.js'
import { principalResponseSchema, rideResponseSchema } from './parent-contract.js'

export function createParentApi(options: { token: string; fetch?: typeof fetch }) {
  const client = createApiClient(options)
  return {
    token: options.token,
    me: () => client.get('/api/me', principalResponseSchema),
    ride: (pupilId: string) =>
      client.get(`/api/pupils/${encodeURIComponent(pupilId)}/ride`, rideResponseSchema),
    busState: (busId: string) => client.get(`/api/buses/${encodeURIComponent(busId)}/live`, busStateSchema),
    pageConfig: () => fetchPageConfig(client, '/parent/config.json'),
    roads: roadsFetcher(client),
  }
}

export type ParentApi = ReturnType<typeof createParentApi>
