import { startLinkTtlS, writeStartLinks } from './auth/write-start-links.js'
import { readCommandLine } from './core/cli/command-line.js'
import { configuredClock } from './core/clock/demo-clock.js'
import { toShanghaiTime } from './core/clock/shanghai-time.js'
import { loadConfigOrExit } from './core/config/load-config.js'
import { createLogger } from './core/log/logger.js'
import { stopOnSignals } from './core/process/stop-on-signals.js'
import { startPlatform } from './start-platform.js'

readCommandLine({
  usage: `usage: npm start   (the compiled platform: node dist/server/main.js)

Takes no options: the environment configures the platform (see the README), e.g. HOST and PORT,
DATA_DIR, DATABASE_URL, MQTT_URL, REDIS_URL, PARTS, DEMO, DEMO_TIME, TILE_URL and LOG_LEVEL.`,
  options: {},
})
const config = loadConfigOrExit(process.env)
const clock = configuredClock(config)

const log = createLogger({ level: config.LOG_LEVEL })
const started = performance.now()
const platform = await startPlatform({ config, log, clock }).catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})

const cixiTime = toShanghaiTime(clock.now()).time.slice(0, 5)
const [day] = await platform.db.query<{ first: string | null; last: string | null }>(
  `SELECT to_char(min(arrive_time), 'HH24:MI') AS first, to_char(max(depart_time), 'HH24:MI') AS last FROM trip_stops`,
)
const { httpUrl, mqttUrl, jt808Url, parts } = platform
const servesApi = httpUrl !== undefined && parts.includes('api')
/** A line of the banner: its label, then what it names, aligned; without a label, more of the line above. */
const item = (label: string, text: string) => `  ${(label ? `${label}: ` : '').padEnd(17)}${text}`
const lines = [
  `School-transport platform is running (parts: ${parts.join(', ')}; DEMO=${config.DEMO}; started in ${Math.round(performance.now() - started)} ms)`,
]
if (httpUrl) lines.push(item('Health', `${httpUrl}/health`))
if (servesApi) {
  lines.push(
    item('API', `${httpUrl}/api  (Authorization: Bearer <token>; print tokens with: npm run tokens)`),
  )
}
if (mqttUrl)
  lines.push(item('MQTT telemetry', `${mqttUrl}  (topics bus/{busId}/gps and bus/{busId}/limiter)`))
if (jt808Url) {
  lines.push(item('JT/T 808', `${jt808Url}  (terminals register by the terminal number of their bus)`))
}
if (servesApi) {
  lines.push(
    item('Front door', `${httpUrl}/  (every page below, for whoever is signed in)`),
    item('Staff sign-in', `${httpUrl}/sign-in  (bureau and school staff)`),
    item('Fleet console', `${httpUrl}/bureau  (bureau and schools: the buses live and the alarm inbox)`),
    item('Registers', `${httpUrl}/registers  (bureau and schools)`),
    item('Line planner', `${httpUrl}/planner  (bureau)`),
    item('Reports', `${httpUrl}/reports  (bureau and schools: reports and the compliance register)`),
    item('Access', `${httpUrl}/access  (bureau: accounts, sessions, terminals, audit log)`),
    item('Letters', `${httpUrl}/letters  (bureau and schools: parents' enrolment letters)`),
    item('Enrol', `${httpUrl}/enrol  (a parent's phone, with the letter's code; /pair for an attendant's)`),
    item('Parent page', `${httpUrl}/parent#token=<a parent's token>  (an enrolled phone opens /parent)`),
    item(
      'Attendant page',
      `${httpUrl}/attendant/#token=<an attendant's token>  (a paired phone opens /attendant/)`,
    ),
    item(
      'Open feeds',
      `${httpUrl}/gtfs/today.zip, ${httpUrl}/gtfs-rt/vehicle-positions, ${httpUrl}/gtfs-rt/trip-updates  (GTFS, anyone)`,
    ),
  )
}
// How to come in: the first administrator's one-time password, and in the demo a parent's link.
if (httpUrl && servesApi) {
  const linksFile = await writeStartLinks({
    ...platform,
    httpUrl,
    clock,
    dataDir: config.DATA_DIR,
    withParentLink: platform.demo,
  })
  lines.push(
    `${item('Links to try', linksFile)}  (readable by you only: the administrator's one-time password${
      platform.demo ? `, a parent's link valid for ${startLinkTtlS / 60} minutes` : ''
    })`,
    item('', '(more tokens, for every role: npm run tokens)'),
  )
}
const quiet = day?.first && day.last && (cixiTime < day.first || cixiTime > day.last)
lines.push(
  `${item('Cixi time', cixiTime)}${config.DEMO_TIME ? ' (DEMO_TIME)' : ''}${
    quiet
      ? `; buses run from ${day.first} to ${day.last}: DEMO_TIME=07:00 npm start shows the morning trips`
      : ''
  }`,
  'Press Ctrl-C to stop.',
)
console.log(`\n${lines.join('\n')}`)

stopOnSignals(() => platform.stop(), log)
