import { loadConfigOrExit } from '../../server/core/config/load-config.js'
import { createLogger } from '../../server/core/log/logger.js'
import { startPlatform } from '../../server/start-platform.js'

/**
 * The platform process of the oversight evaluation's console segment: the whole platform as
 * `npm start` composes it (the parent sets DEMO=on, SIMULATOR_FLEET=off and a store of the run's
 * own), on a clock `argv[2]` milliseconds ahead of the system's, so that its now is a school
 * morning whatever the date. It answers with where it listens and a bureau session's token, as a
 * person signed in to the console would hold, and stops when told.
 */
export type ConsolePlatformReply = { kind: 'ready'; httpUrl: string; mqttUrl: string; bureauToken: string }
export type ConsolePlatformRequest = { kind: 'stop' }

const offsetMs = Number(process.argv[2])
if (!Number.isFinite(offsetMs)) throw new Error(`expected the clock's offset in ms, got ${process.argv[2]}`)
const config = loadConfigOrExit(process.env)
const platform = await startPlatform({
  config,
  log: createLogger({ level: config.LOG_LEVEL }),
  clock: { now: () => new Date(Date.now() + offsetMs) },
})
if (!platform.httpUrl || !platform.mqttUrl)
  throw new Error('the console segment needs the api, live and ingest parts')
const bureauToken = await platform.tokens.issue({ role: 'bureau', sub: 'oversight-console' })
process.on('message', () => {
  void platform.stop().then(() => process.exit(0))
})
const ready: ConsolePlatformReply = {
  kind: 'ready',
  httpUrl: platform.httpUrl,
  mqttUrl: platform.mqttUrl,
  bureauToken,
}
process.send!(ready)
