import { createApiClient } from '../shared/api-client.js'
import { lettersSchema, meSchema, schoolsSchema, statusSchema } from './letters-contract.js'

/** The letters page's calls, through the pages' client. */
export function createLettersApi(options: { token: string }) {
  const client = createApiClient(options)
  return {
    me: async () => (await client.get('/api/me', meSchema)).principal,
    schools: async () => (await client.get('/api/schools', schoolsSchema)).schools,
    letters: (request: { schoolCode?: string; pupilCodes?: string[] }) =>
      client.post('/api/enrolment/letters', request, lettersSchema),
    status: async (schoolCode: string) =>
      (await client.get(`/api/enrolment/status?${new URLSearchParams({ schoolCode })}`, statusSchema)).status,
  }
}

export type LettersApi = ReturnType<typeof createLettersApi>
