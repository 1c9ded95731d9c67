import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseGtfsAgencies } from '../geo/gtfs/gtfs-agency.js'
import { parseGtfsShapes } from '../geo/gtfs/gtfs-shapes.js'
import { parseGtfsStopTimes } from '../geo/gtfs/gtfs-stop-times.js'
import { parseGtfsStops } from '../geo/gtfs/gtfs-stops.js'
import { parseGtfsTrips } from '../geo/gtfs/gtfs-trips.js'
import { parseAvlPings } from './eta-avl/avl-pings.js'
import { replayAvl } from './eta-avl/replay-avl.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run eval:eta-avl -- DIR --out FILE.csv [--learn-until ISO] [--no-learning]
 * [--hold-at-timepoints]`: the ETA engine on real buses.
 * Reads a static GTFS feed (`DIR/gtfs/`) and the vehicle positions recorded from its realtime feed
 * (`DIR/vehicle-positions.csv`), replays the pings in time order and writes, per ping, the
 * predicted arrival at every stop of its trip still ahead (unix seconds). Learned leg times come
 * from trips finished before each ping, or with --learn-until from those finished before that
 * instant. Prints one JSON line last: the mean absolute error 2, 5 and 10 minutes ahead, the same
 * for the timetable shifted by the last delay, and the share of pairs predicted.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run eval:eta-avl -- DIR --out FILE.csv [--learn-until ISO] [--no-learning] [--hold-at-timepoints]

  DIR                    a static GTFS feed in DIR/gtfs/ and its buses' pings in DIR/vehicle-positions.csv
  --out FILE.csv         every prediction: trip, vehicle, ping time, stop and predicted arrival
  --learn-until ISO      learn leg times only from trips finished before this instant
  --no-learning          the router's and timetable's times only
  --hold-at-timepoints   a bus early at a timepoint waits for its scheduled departure`,
  options: {
    out: { type: 'string' },
    'learn-until': { type: 'string' },
    'no-learning': { type: 'boolean', default: false },
    'hold-at-timepoints': { type: 'boolean', default: false },
  },
  operands: { min: 1, max: 1 },
})
const { values } = commandLine
const dir = commandLine.operands[0]!
const outFile = commandLine.required('out', 'the CSV file to write the predictions to')
const learnUntilMs = values['learn-until'] === undefined ? undefined : Date.parse(values['learn-until'])
if (learnUntilMs !== undefined && Number.isNaN(learnUntilMs))
  commandLine.refuse(`--learn-until: expected an ISO time, got ${JSON.stringify(values['learn-until'])}`)
const startedMs = performance.now()
const read = (file: string) => readFile(path.join(dir, file), 'utf8')

const [agencies, stops, trips, stopTimes, shapes, pings] = await Promise.all([
  read('gtfs/agency.txt').then(parseGtfsAgencies),
  read('gtfs/stops.txt').then(parseGtfsStops),
  read('gtfs/trips.txt').then(parseGtfsTrips),
  read('gtfs/stop_times.txt').then(parseGtfsStopTimes),
  read('gtfs/shapes.txt').then(parseGtfsShapes),
  read('vehicle-positions.csv').then(parseAvlPings),
])
const timeZone = agencies[0]?.timeZone
if (!timeZone) throw new Error('agency.txt names no time zone')

const out = createWriteStream(outFile)
out.write('trip_id,vehicle_id,at_ts,stop_sequence,stop_id,predicted_ts\n')
const result = replayAvl({ stops, trips, stopTimes, shapes }, pings, {
  timeZone,
  learnUntilMs,
  learn: !values['no-learning'],
  holdAtTimepoints: values['hold-at-timepoints'],
  onPredictions: (rows) => {
    for (const row of rows) {
      const predicted = row.predictedMs === null ? '' : Math.round(row.predictedMs / 1000)
      out.write(
        `${csv(row.tripId)},${csv(row.vehicleId)},${Math.round(row.atMs / 1000)},${row.stopSequence},${csv(row.stopId)},${predicted}\n`,
      )
    }
  },
})
await new Promise<void>((resolve, reject) =>
  out.end((error?: Error | null) => (error ? reject(error) : resolve())),
)
console.log(
  JSON.stringify({ ...result.summary, seconds: Math.round((performance.now() - startedMs) / 100) / 10 }),
)

function csv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
