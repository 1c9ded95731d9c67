import { connectBroker } from '../server/core/broker/connect-broker.js'

/**
 * One publishing process of the ingest benchmark. It sends GPS reports for its share of the buses
 * at a steady rate, each report dated when it was due to be sent, and tells the parent how many
 * the broker acknowledged. Reports are spread over several connections, as many terminals would be.
 */
interface Job {
  mqttUrl: string
  clientIds: string[]
  passwords: string[]
  busIds: string[]
  ratePerSec: number
  seconds: number
  startAt: number
  connections: number
  protocolVersion: 4 | 5
  area: { lat: number; lon: number }
}

const job = JSON.parse(process.argv[2]!) as Job
const clients = await Promise.all(
  Array.from({ length: job.connections }, (_, i) =>
    connectBroker({
      url: job.mqttUrl,
      clientId: job.clientIds[i]!,
      password: job.passwords[i],
      protocolVersion: job.protocolVersion,
    }),
  ),
)

const total = Math.round(job.ratePerSec * job.seconds)
const intervalMs = 1000 / job.ratePerSec
let acked = 0
let failed = 0
let sent = 0
const tick = 10
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())))

await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor((Date.now() - job.startAt) / intervalMs) + 1)
    // Each tick's reports leave in one write per connection, as many terminals' would arrive together.
    for (const client of clients) client.stream.cork()
    for (; sent < due; sent++) {
      const busIndex = sent % job.busIds.length
      const busId = job.busIds[busIndex]!
      const round = Math.floor(sent / job.busIds.length)
      const ts = Math.round(job.startAt + sent * intervalMs)
      const payload = JSON.stringify({
        ts,
        lat: job.area.lat + (busIndex % 100) * 1e-3 + round * 1e-6,
        lon: job.area.lon + Math.floor(busIndex / 100) * 1e-3,
        speedKmh: 30,
        headingDeg: 90,
        seq: round,
      })
      clients[sent % clients.length]!.publish(`bus/${busId}/gps`, payload, { qos: 1 }, (error) => {
        if (error) failed++
        else acked++
        if (acked + failed === total) resolve()
      })
    }
    for (const client of clients) client.stream.uncork()
    if (sent >= total) clearInterval(timer)
  }, tick)
})

process.send!({ acked, failed })
await Promise.all(clients.map((c) => c.endAsync()))
process.exit(0)
