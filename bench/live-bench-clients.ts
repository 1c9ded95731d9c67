import { io, type Socket } from 'socket.io-client'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { systemClock } from '../server/core/clock/clock.js'

/**
 * One process of the live benchmark's browsers: clients `from` to `to - 1` of the run, client k
 * watching bus k mod the fleet size, as a parent's page would: connect with the token, subscribe
 * to the bus, listen for 'position'. A position dated inside the measuring window counts, with its
 * latency: receive time minus the report's `ts`, which the publisher set to its publish time.
 */
export interface ClientsJob {
  httpUrl: string
  /** Each client signs a token of its own, as each phone holds its own: the live channel limits sockets per token. */
  secret: string
  busIds: string[]
  from: number
  to: number
}
export type ClientsRequest = { kind: 'window'; fromMs: number; toMs: number } | { kind: 'report' }
export type ClientsReply =
  | { kind: 'subscribed'; count: number }
  | { kind: 'report'; latenciesMs: Float64Array; disconnects: number; windowCpuMs: number }

/** Connections opened at once, as a crowd of phones would arrive, not all in one instant. */
const CONNECT_WAVE = 200
const CONNECT_TIMEOUT_MS = 120_000

const job = JSON.parse(process.argv[2]!) as ClientsJob
const tokens = createAccessTokens({ secret: job.secret, ttlS: 86400, clock: systemClock })
const send = (reply: ClientsReply, then?: () => void) => process.send!(reply, undefined, {}, then)
let window = { fromMs: Infinity, toMs: -Infinity }
let latencies = new Float64Array(1 << 16)
let received = 0
let disconnects = 0

const record = (position: { ts: string }) => {
  const now = Date.now()
  const ts = Date.parse(position.ts)
  if (ts < window.fromMs || ts >= window.toMs) return
  if (received === latencies.length) {
    const grown = new Float64Array(latencies.length * 2)
    grown.set(latencies)
    latencies = grown
  }
  latencies[received++] = now - ts
}

const connectClient = async (index: number): Promise<Socket> => {
  const socket = io(job.httpUrl, {
    // Browsers start with long polling and upgrade; only the upgraded path carries the measured traffic.
    transports: ['websocket'],
    // A token signed with the platform's secret, as the platform's own processes hold: a person's
    // session would have to be written into the store, which the platform under test holds.
    auth: { token: await tokens.issue({ role: 'service', sub: `live-bench-${index}` }) },
    forceNew: true,
    reconnection: false,
    // A busy machine admits thousands of connections slowly; the run wants them all, however long.
    timeout: CONNECT_TIMEOUT_MS,
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', (error) =>
      reject(new Error(`client ${index} could not connect: ${error.message}`)),
    )
  })
  socket.on('position', record)
  socket.on('disconnect', () => disconnects++)
  const busId = job.busIds[index % job.busIds.length]!
  const answer = (await socket.emitWithAck('subscribe', { busId })) as { ok: boolean; error?: unknown }
  if (!answer.ok)
    throw new Error(`client ${index} could not subscribe to ${busId}: ${JSON.stringify(answer)}`)
  return socket
}

const sockets: Socket[] = []
for (let wave = job.from; wave < job.to; wave += CONNECT_WAVE) {
  const indexes = Array.from({ length: Math.min(CONNECT_WAVE, job.to - wave) }, (_, i) => wave + i)
  sockets.push(...(await Promise.all(indexes.map(connectClient))))
}
send({ kind: 'subscribed', count: sockets.length })

let windowCpuMs = 0
const cpuMs = () => {
  const cpu = process.cpuUsage()
  return (cpu.user + cpu.system) / 1000
}

process.on('message', (request: ClientsRequest) => {
  if (request.kind === 'window') {
    window = request
    const startCpuMs = cpuMs()
    setTimeout(() => (windowCpuMs = cpuMs() - startCpuMs), request.toMs - Date.now())
    return
  }
  send({ kind: 'report', latenciesMs: latencies.slice(0, received), disconnects, windowCpuMs }, () => {
    for (const socket of sockets) socket.close()
    process.exit(0)
  })
})
