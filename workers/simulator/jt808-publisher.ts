import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import type { Logger } from '../../server/core/log/logger.js'
import { startJt808Terminal, type Jt808Terminal, type Jt808TerminalTiming } from './jt808-terminal.js'
import type { PublisherStats } from './mqtt-publisher.js'
import type { ReportSink } from './report-sinks.js'
import type { GpsReport, SimulatedReport } from './simulated-report.js'

/** A bus whose terminal speaks JT/T 808: the registers know it by its terminal number and plate. */
export interface Jt808Bus {
  busId: string
  terminalNo: string
  plate: string
}

export interface Jt808PublisherStats extends PublisherStats {
  /** Limiter reports: JT/T 808 has no message for a speed limiter's state, so they are not sent. */
  skipped: number
  /** 0x0704 frames of positions kept during coverage holes, over the fleet. */
  lateBatches: number
  /** Frames sent again with their serial, and connections opened again, over the fleet. */
  resent: number
  reconnects: number
}

export interface Jt808Publisher extends ReportSink {
  stats(): Jt808PublisherStats
  /** Waits up to `flushTimeoutMs` for outstanding answers, then closes every connection. */
  close(options?: { flushTimeoutMs?: number }): Promise<void>
}

/** Zhejiang (33), Cixi (0282): the administrative codes a terminal installed there registers with. */
const cixiRegistration = { provinceId: 33, cityId: 282, makerId: 'STPSM', model: 'STP-SIM-808' }
/** Yellow: the plate colour of large passenger vehicles, school buses among them. */
const yellowPlate = 2
const GPS_AND_BEIDOU = (1 << 18) | (1 << 19)

/**
 * The simulated fleet over JT/T 808: one terminal connection per bus to the gateway. A bus with a
 * code (a credential installed by the bureau) authenticates with it; one without registers and
 * keeps the code it is given. Each GPS report goes as 0x0200; reports a terminal kept during a
 * coverage hole go together as 0x0704 type 1, before the fix that follows them.
 */
export function connectJt808Publisher(options: {
  host: string
  port: number
  buses: readonly Jt808Bus[]
  authCodeFor(busId: string): string | undefined
  timing?: Partial<Jt808TerminalTiming>
  log: Logger
}): Jt808Publisher {
  const terminals = new Map<string, Jt808Terminal>()
  for (const bus of options.buses) {
    const terminalNumber = bus.terminalNo.padStart(12, '0')
    terminals.set(
      bus.busId,
      startJt808Terminal({
        host: options.host,
        port: options.port,
        terminalNumber,
        registration: {
          ...cixiRegistration,
          terminalId: terminalNumber.slice(-7),
          plateColor: yellowPlate,
          plate: bus.plate,
        },
        authCode: options.authCodeFor(bus.busId),
        onAuthCode: () => options.log.info(`bus ${bus.busId}: its terminal registered over JT/T 808`),
        timing: options.timing,
        log: options.log,
      }),
    )
  }

  const stats = { published: 0, acknowledged: 0, failed: 0, skipped: 0 }
  let outstanding = 0
  let idle: (() => void)[] = []
  const track = (answer: Promise<boolean>, reports: number) => {
    stats.published += reports
    outstanding += reports
    void answer.then((ok) => {
      if (ok) stats.acknowledged += reports
      else stats.failed += reports
      outstanding -= reports
      if (outstanding > 0) return
      const waiting = idle
      idle = []
      for (const resolve of waiting) resolve()
    })
  }
  const drain = () =>
    outstanding === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))

  return {
    deliver(reports: readonly SimulatedReport[]) {
      const late = new Map<string, Jt808Location[]>()
      const sendLate = (busId: string) => {
        const locations = late.get(busId)
        if (!locations) return
        late.delete(busId)
        track(terminals.get(busId)!.sendLateLocations(locations), locations.length)
      }
      for (const report of reports) {
        const terminal = terminals.get(report.busId)
        if (!terminal || report.kind !== 'gps') {
          stats.skipped++
          continue
        }
        const location = toJt808Location(report.payload)
        if (report.held) {
          const held = late.get(report.busId)
          if (held) held.push(location)
          else late.set(report.busId, [location])
          continue
        }
        sendLate(report.busId)
        track(terminal.sendLocation(location), 1)
      }
      for (const busId of [...late.keys()]) sendLate(busId)
    },
    drain,
    stats() {
      const fleet = [...terminals.values()].map((terminal) => terminal.stats())
      return {
        ...stats,
        queued: outstanding,
        lateBatches: fleet.reduce((n, s) => n + s.lateBatches, 0),
        resent: fleet.reduce((n, s) => n + s.resent, 0),
        reconnects: fleet.reduce((n, s) => n + s.reconnects, 0),
      }
    },
    async close(closeOptions = {}) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        drain(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, closeOptions.flushTimeoutMs ?? 5000))),
      ])
      clearTimeout(timer)
      await Promise.all([...terminals.values()].map((terminal) => terminal.close()))
    },
  }
}

/** A GPS report of the telemetry contract as a JT/T 808 terminal words it (whole seconds, GMT+8). */
export function toJt808Location(report: GpsReport): Jt808Location {
  const atMs = typeof report.ts === 'number' ? report.ts : Date.parse(report.ts)
  return {
    at: new Date(Math.floor(atMs / 1000) * 1000),
    lat: report.lat,
    lon: report.lon,
    altitudeM: Math.round(report.altM),
    speedKmh: report.speedKmh,
    headingDeg: report.headingDeg,
    alarmBits: 0,
    statusBits: GPS_AND_BEIDOU,
    alarms: [],
    acc: report.ignition,
    fixed: true,
    doorsOpen: [],
    extras: {
      // Fewer satellites in view, a wider error: 3 m ≈ 16 satellites, 10 m ≈ 8.
      satellites: Math.max(4, Math.min(20, Math.round(4 + 36 / Math.max(1, report.accuracyM)))),
      signalStrength: 24,
      unknown: [],
    },
  }
}
