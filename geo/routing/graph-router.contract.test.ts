import { createGraphRouter } from './graph-router.js'
import { registerRouterContract } from '../../test/support/router-contract.js'
import { readMonacoContractSamples } from '../../test/support/monaco-contract-samples.js'
import { readOsrmRecordings } from '../../test/support/osrm-replay-server.js'
import { loadMonacoNetwork, OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

registerRouterContract(
  'graph router on Monaco (OpenStreetMap)',
  () => createGraphRouter(loadMonacoNetwork()),
  readMonacoContractSamples(readOsrmRecordings(OSRM_RECORDINGS_DIR)),
)
