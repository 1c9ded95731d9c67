import { loadConfigOrExit } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform } from '../server/start-platform.js'

/**
 * The server process of the JT/T 808 benchmark: the platform as `npm start` composes it with
 * PARTS=jt808 (the gateway and its ingest) on the store the parent prepared. It samples its own
 * memory, and on request reads back what the store holds of the benchmark's buses.
 */
export type Jt808ServerReply =
  | { kind: 'ready'; jt808Url: string }
  | { kind: 'usage'; peakRssMb: number }
  /** Per bus, the seconds (epoch) of its stored positions; `rows` counts repeats too. */
  | { kind: 'stored'; secondsByBus: Record<string, number[]>; rows: number }
export type Jt808ServerRequest = { kind: 'usage' } | { kind: 'stored'; busPrefix: string } | { kind: 'stop' }

const config = loadConfigOrExit(process.env)
const platform = await startPlatform({ config, log: createLogger({ level: config.LOG_LEVEL }) })
if (!platform.jt808Url) throw new Error('the benchmark needs the jt808 part')

let peakRss = process.memoryUsage.rss()
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250).unref()
const send = (reply: Jt808ServerReply) => process.send!(reply)

process.on('message', (request: Jt808ServerRequest) => {
  if (request.kind === 'usage') {
    send({ kind: 'usage', peakRssMb: Math.round(peakRss / 2 ** 20) })
  } else if (request.kind === 'stored') {
    void platform.db
      .query<{ bus_id: string; second: string }>(
        `SELECT bus_id, extract(epoch FROM ts)::bigint::text AS second FROM positions WHERE bus_id LIKE $1`,
        [`${request.busPrefix}%`],
      )
      .then((rows) => {
        const secondsByBus: Record<string, number[]> = {}
        for (const row of rows) (secondsByBus[row.bus_id] ??= []).push(Number(row.second))
        send({ kind: 'stored', secondsByBus, rows: rows.length })
      })
  } else {
    void platform.stop().then(() => process.exit(0))
  }
})
send({ kind: 'ready', jt808Url: platform.jt808Url })
