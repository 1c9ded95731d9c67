import { io, type Socket } from 'socket.io-client'
import type { PublishedReport } from './expected-events.js'

/** A position as a watcher received it: the report's time, and when it arrived. */
interface Received {
  tsMs: number
  atMs: number
}

export interface LiveWatchers {
  /** Positions received, per server (in the order given) and bus. */
  received: Map<string, Received[]>[]
  disconnects(): number
  close(): void
}

const connectTimeoutMs = 30_000
/** Sockets opened at once per server. */
const connectWave = 100

/**
 * A parent's page per bus on every server process: connects with the parent's token (socket.io
 * handshake `auth.token`), subscribes to the child's bus and records every 'position' it is sent.
 * Fails if a socket cannot connect or the live channel refuses the bus.
 */
export async function watchBuses(options: {
  serverUrls: readonly string[]
  buses: readonly { busId: string; token: string }[]
}): Promise<LiveWatchers> {
  const sockets: Socket[] = []
  let disconnects = 0
  const received = options.serverUrls.map(() => new Map<string, Received[]>())
  const watch = async (server: number, busId: string, token: string) => {
    const socket = io(options.serverUrls[server]!, {
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnection: false,
      timeout: connectTimeoutMs,
    })
    sockets.push(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', (error) =>
        reject(
          new Error(
            `a parent of ${busId} could not connect to ${options.serverUrls[server]}: ${error.message}`,
          ),
        ),
      )
    })
    const list: Received[] = []
    received[server]!.set(busId, list)
    socket.on('position', (position: { busId?: string; ts?: string }) => {
      if (position.busId === busId && typeof position.ts === 'string')
        list.push({ tsMs: Date.parse(position.ts), atMs: Date.now() })
    })
    socket.on('disconnect', () => disconnects++)
    const answer = (await socket.timeout(connectTimeoutMs).emitWithAck('subscribe', { busId })) as {
      ok: boolean
      error?: unknown
    }
    if (!answer.ok)
      throw new Error(
        `a parent could not watch ${busId} on ${options.serverUrls[server]}: ${JSON.stringify(answer)}`,
      )
  }
  try {
    for (let server = 0; server < options.serverUrls.length; server++) {
      for (let from = 0; from < options.buses.length; from += connectWave) {
        await Promise.all(
          options.buses.slice(from, from + connectWave).map((bus) => watch(server, bus.busId, bus.token)),
        )
      }
    }
  } catch (error) {
    for (const socket of sockets) socket.close()
    throw error
  }
  return {
    received,
    disconnects: () => disconnects,
    close: () => {
      for (const socket of sockets) socket.close()
    },
  }
}

export interface LiveFigures {
  /** (server, report) pairs whose bus's watcher on that server received that position or a newer one. */
  liveDelivered: number
  liveExpected: number
  /** From a report's time to the arrival of the first position at least as new, over the delivered pairs. */
  liveP50Ms: number | null
  liveP99Ms: number | null
  liveMaxMs: number | null
}

/**
 * Every published fix is expected on every server; it counts as delivered there if the watcher of
 * its bus received a position dated at or after it (the feed sends each bus's newest position, so
 * a newer one stands for the older ones it replaced).
 */
export function measureLiveDelivery(
  published: readonly PublishedReport[],
  received: readonly Map<string, Received[]>[],
): LiveFigures {
  const fixesByBus = new Map<string, number[]>()
  for (const report of published) {
    if (report.kind !== 'gps') continue
    const list = fixesByBus.get(report.row.busId) ?? []
    list.push(report.row.ts.getTime())
    fixesByBus.set(report.row.busId, list)
  }
  let expected = 0
  let delivered = 0
  const latencies: number[] = []
  for (const server of received) {
    for (const [busId, fixes] of fixesByBus) {
      expected += fixes.length
      // Earliest arrival of a position at least as new as each ts: a minimum over the suffix by ts.
      const positions = [...(server.get(busId) ?? [])].sort((a, b) => a.tsMs - b.tsMs)
      const firstAtOrAfter = new Array<number>(positions.length)
      for (let i = positions.length - 1, min = Infinity; i >= 0; i--)
        firstAtOrAfter[i] = min = Math.min(min, positions[i]!.atMs)
      let p = 0
      for (const ts of [...fixes].sort((a, b) => a - b)) {
        while (p < positions.length && positions[p]!.tsMs < ts) p++
        if (p === positions.length) break
        delivered++
        latencies.push(firstAtOrAfter[p]! - ts)
      }
    }
  }
  latencies.sort((a, b) => a - b)
  const quantile = (q: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! : null
  return {
    liveDelivered: delivered,
    liveExpected: expected,
    liveP50Ms: quantile(0.5),
    liveP99Ms: quantile(0.99),
    liveMaxMs: latencies.length ? latencies[latencies.length - 1]! : null,
  }
}
