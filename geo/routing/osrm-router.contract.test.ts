import { afterAll } from 'vitest'
import { createOsrmRouter } from './osrm-client.js'
import { registerRouterContract } from '../../test/support/router-contract.js'
import { readMonacoContractSamples } from '../../test/support/monaco-contract-samples.js'
import {
  readOsrmRecordings,
  startOsrmReplayServer,
  type OsrmReplayServer,
} from '../../test/support/osrm-replay-server.js'
import { OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

const recordings = readOsrmRecordings(OSRM_RECORDINGS_DIR)
let server: OsrmReplayServer | undefined

registerRouterContract(
  'OSRM client against recorded Monaco answers',
  async () => {
    server = await startOsrmReplayServer(recordings)
    return createOsrmRouter({ baseUrl: server.baseUrl, geometries: 'geojson', retries: 0 })
  },
  readMonacoContractSamples(recordings),
)

afterAll(() => server?.close())
