import { createGraphRouter } from './graph-router.js'
import { registerRouterContract } from './router-contract.js'
import { readMonacoContractSamples } from './monaco-contract-samples.js'
import { readOsrmRecordings } from './osrm-replay-server.js'
import { loadMonacoNetwork, OSRM_RECORDINGS_DIR } from './shared-test-data.js'

registerRouterContract(
  'graph router on Monaco (OpenStreetMap)',
  () => createGraphRouter(loadMonacoNetwork()),
  readMonacoContractSamples(readOsrmRecordings(OSRM_RECORDINGS_DIR)),
)
