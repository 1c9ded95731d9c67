import { createLogger } from '../server/core/log/logger.js'
import { toJt808Location } from '../workers/simulator/jt808-publisher.js'
import { startJt808Terminal, type Jt808Terminal } from '../workers/simulator/jt808-terminal.js'

/**
 * A client process of the JT/T 808 benchmark: its share of the terminals connect and authenticate
 * with their bus's credential, then each sends a 0x0200 `rate` times a second, one second of GPS
 * time apart, the terminals' phases spread over the interval, and times each answer.
 */
export interface Jt808TerminalsJob {
  kind: 'job'
  host: string
  port: number
  terminals: { busId: string; terminalNumber: string; authCode: string }[]
  rate: number
  seconds: number
  origin: { lat: number; lon: number }
}
export type Jt808TerminalsRequest = Jt808TerminalsJob | { kind: 'go'; startAt: number } | { kind: 'report' }
export type Jt808TerminalsReply =
  | { kind: 'started' }
  | { kind: 'online'; connected: number }
  | {
      kind: 'report'
      sent: number
      answered: number
      latenciesMs: Float64Array
      /** Per bus, the GPS seconds (epoch) whose report was answered. */
      answeredByBus: Record<string, number[]>
      peakRssMb: number
    }

/** Connections opened at once, then a pause: the listener's backlog is finite. */
const OPEN_BATCH = 250
const OPEN_PAUSE_MS = 25
const ONLINE_TIMEOUT_MS = 120_000
/** After the last report, how long answers are waited for. */
const GRACE_MS = 15_000

const log = createLogger({ level: 'warn' })
const send = (reply: Jt808TerminalsReply) => process.send!(reply)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
let peakRss = process.memoryUsage.rss()
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250).unref()

const inbox: Jt808TerminalsRequest[] = []
let wake: (() => void) | undefined
process.on('message', (message: Jt808TerminalsRequest) => {
  inbox.push(message)
  wake?.()
})
send({ kind: 'started' })
const job = await nextMessage<Jt808TerminalsJob>('job')
const terminals: Jt808Terminal[] = []
for (let i = 0; i < job.terminals.length; i++) {
  const { terminalNumber, authCode } = job.terminals[i]!
  terminals.push(
    startJt808Terminal({
      host: job.host,
      port: job.port,
      terminalNumber,
      registration: {
        provinceId: 33,
        cityId: 282,
        makerId: 'BENCH',
        model: 'B',
        terminalId: '0',
        plateColor: 2,
        plate: '',
      },
      authCode,
      log,
    }),
  )
  if (i % OPEN_BATCH === OPEN_BATCH - 1) await sleep(OPEN_PAUSE_MS)
}
const onlineBy = Date.now() + ONLINE_TIMEOUT_MS
const countOnline = () => terminals.filter((terminal) => terminal.online()).length
while (countOnline() < terminals.length && Date.now() < onlineBy) await sleep(200)
send({ kind: 'online', connected: countOnline() })

const { startAt } = await nextMessage<{ kind: 'go'; startAt: number }>('go')
const n = terminals.length
const intervalMs = 1000 / job.rate
const total = Math.round(job.rate * job.seconds) * n
const firstSecond = Math.floor(startAt / 1000)
const latencies = new Float64Array(total)
const answeredByBus: Record<string, number[]> = {}
let answered = 0
let sent = 0
const dueAt = (m: number) => startAt + Math.floor(m / n) * intervalMs + ((m % n) * intervalMs) / n

await sleep(startAt - Date.now())
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    for (const now = Date.now(); sent < total && dueAt(sent) <= now; sent++) {
      const index = sent % n
      const round = Math.floor(sent / n)
      const second = firstSecond + round
      const busId = job.terminals[index]!.busId
      const location = toJt808Location({
        ts: second * 1000,
        lat: job.origin.lat + (index % 100) * 1e-3 + round * 7.5e-5,
        lon: job.origin.lon + Math.floor(index / 100) * 1e-3,
        speedKmh: 30,
        headingDeg: 0,
        altM: 5,
        accuracyM: 5,
        ignition: true,
        seq: round,
      })
      const started = performance.now()
      void terminals[index]!.sendLocation(location).then((ok) => {
        if (!ok) return
        latencies[answered++] = performance.now() - started
        ;(answeredByBus[busId] ??= []).push(second)
      })
    }
    if (sent >= total) {
      clearInterval(timer)
      resolve()
    }
  }, 5)
})
const graceUntil = Date.now() + GRACE_MS
while (answered < sent && Date.now() < graceUntil) await sleep(100)
await nextMessage('report')
send({
  kind: 'report',
  sent,
  answered,
  latenciesMs: latencies.subarray(0, answered),
  answeredByBus,
  peakRssMb: Math.round(peakRss / 2 ** 20),
})
await Promise.all(terminals.map((terminal) => terminal.close()))
process.exit(0)

async function nextMessage<T>(kind: Jt808TerminalsRequest['kind']): Promise<T> {
  for (;;) {
    const at = inbox.findIndex((message) => message.kind === kind)
    if (at >= 0) return inbox.splice(at, 1)[0] as T
    await new Promise<void>((resolve) => (wake = resolve))
  }
}
