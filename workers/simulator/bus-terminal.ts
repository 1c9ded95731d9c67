import type { SeededRandom } from '../../geo/random/seeded-random.js'
import type { CoverageHoles } from './coverage-holes.js'
import type { RecordFault } from './injected-fault.js'
import type { FaultRates } from './simulation-settings.js'
import {
  formatShanghaiTimestamp,
  type GpsReport,
  type LimiterReport,
  type LimiterState,
  type SimulatedReport,
} from './simulated-report.js'

/** How one terminal differs from the next: drawn once per bus. */
export interface TerminalTraits {
  /** Keeps fixes taken without coverage and sends them when it returns (JT/T 808 0x0704). */
  buffering: boolean
  accuracyM: number
  epochMsTimestamps: boolean
  /** Ground height where the bus runs; Cixi is coastal plain. */
  groundAltM: number
}

/** Where the bus really is and what it really does at one instant. */
export interface TruthSample {
  atMs: number
  lat: number
  lon: number
  speedMs: number
  headingDeg: number
  ignition: boolean
}

export type EmitReport = (report: SimulatedReport) => void

type Message = { kind: 'gps'; payload: GpsReport } | { kind: 'limiter'; payload: LimiterReport }

const M_PER_DEG_LAT = 111_195
/** How long the GPS position error takes to change: consecutive fixes are off in the same way. */
const ERROR_CORRELATION_S = 30
/** Fixes sent in one batch when coverage returns leave this far apart. */
const BATCH_SPACING_MS = 20
const RESEND_DELAY_S = [1, 5] as const

/**
 * The terminal on one bus: turns true positions into what reaches the broker, with GPS noise, lost
 * coverage, buffering, resends and delays. Owns its random stream, so its faults do not depend on
 * how other buses' are drawn.
 */
export function createBusTerminal(options: {
  busId: string
  traits: TerminalTraits
  random: SeededRandom
  faults: FaultRates
  coverage: CoverageHoles
  emit: EmitReport
  /** Told of each stretch in a coverage hole, once the terminal is out of it (or closed). */
  onFault?: RecordFault
}) {
  const { busId, traits, random, faults, coverage, emit, onFault } = options
  let seq = 0
  let errorEastM = 0
  let errorNorthM = 0
  let lastFixMs: number | undefined
  const buffered: Message[] = []
  /** Since when nothing could be sent: the first report taken in the coverage hole. */
  let hole: { sinceMs: number; lastSentMs: number | null } | undefined
  /** When a report last left the terminal (by the terminal's clock, not when it was delivered). */
  let lastSentMs: number | null = null

  const endHole = (atMs: number) => {
    if (!hole) return
    onFault?.({
      kind: 'coverage_gap',
      busId,
      startMs: hole.sinceMs,
      endMs: atMs,
      lastSentMs: hole.lastSentMs,
      buffered: traits.buffering,
    })
    hole = undefined
  }

  const timestamp = (atMs: number) => (traits.epochMsTimestamps ? atMs : formatShanghaiTimestamp(atMs))

  const [minDelayS, maxDelayS] = faults.networkDelayS
  const send = (message: Message, atMs: number, held = false) => {
    lastSentMs = atMs
    let delayS = random.between(minDelayS, maxDelayS)
    if (random.chance(faults.lateShare)) delayS += random.between(...faults.lateDelayS)
    const deliverAtMs = Math.round(atMs + delayS * 1000)
    emit(toReport(busId, deliverAtMs, message, held))
    if (random.chance(faults.duplicateShare)) {
      const resendAtMs = Math.round(deliverAtMs + random.between(...RESEND_DELAY_S) * 1000)
      emit(toReport(busId, resendAtMs, message, held))
    }
  }

  const deliver = (message: Message, atMs: number, lat: number, lon: number) => {
    if (coverage.isInHole(lat, lon)) {
      hole ??= { sinceMs: atMs, lastSentMs }
      // A limiter change is an alarm: every terminal keeps those; only some keep plain fixes.
      if (traits.buffering || message.kind === 'limiter') buffered.push(message)
      return
    }
    endHole(atMs)
    buffered.forEach((old, i) => send(old, atMs + i * BATCH_SPACING_MS, true))
    const after = buffered.length * BATCH_SPACING_MS
    buffered.length = 0
    send(message, atMs + after)
  }

  return {
    sendFix(truth: TruthSample): void {
      const dtS = lastFixMs === undefined ? Infinity : (truth.atMs - lastFixMs) / 1000
      lastFixMs = truth.atMs
      const keep = Math.exp(-dtS / ERROR_CORRELATION_S)
      const sigmaM = traits.accuracyM / 2
      const fresh = Math.sqrt(1 - keep * keep) * sigmaM
      errorEastM = keep * errorEastM + fresh * drawGaussian(random)
      errorNorthM = keep * errorNorthM + fresh * drawGaussian(random)
      const moving = truth.speedMs > 0.3
      const payload: GpsReport = {
        ts: timestamp(truth.atMs),
        lat: round(truth.lat + errorNorthM / M_PER_DEG_LAT, 6),
        lon: round(truth.lon + errorEastM / (M_PER_DEG_LAT * Math.cos((truth.lat * Math.PI) / 180)), 6),
        speedKmh: moving ? Math.max(0, round(truth.speedMs * 3.6 + 0.3 * drawGaussian(random), 1)) : 0,
        headingDeg: Math.round(truth.headingDeg) % 360,
        altM: round(traits.groundAltM + 1.5 * drawGaussian(random), 1),
        accuracyM: Math.round(traits.accuracyM * random.between(0.8, 1.2)),
        ignition: truth.ignition,
        seq: seq++,
      }
      deliver({ kind: 'gps', payload }, truth.atMs, truth.lat, truth.lon)
    },

    sendLimiter(atMs: number, state: LimiterState, limitKmh: number, at: { lat: number; lon: number }): void {
      deliver({ kind: 'limiter', payload: { ts: timestamp(atMs), limitKmh, state } }, atMs, at.lat, at.lon)
    },

    /** When a report last left the terminal; null before the first. */
    lastSentMs: () => lastSentMs,

    /** The terminal sleeps for good: a coverage hole it is still in ends here. */
    close(atMs: number): void {
      endHole(atMs)
    },
  }
}

export function drawTerminalTraits(random: SeededRandom, faults: FaultRates): TerminalTraits {
  return {
    buffering: random.chance(faults.bufferingTerminalShare),
    accuracyM: random.between(...faults.gpsAccuracyM),
    epochMsTimestamps: random.chance(faults.epochMsTerminalShare),
    groundAltM: random.between(2, 8),
  }
}

function toReport(busId: string, deliverAtMs: number, message: Message, held: boolean): SimulatedReport {
  const report: SimulatedReport =
    message.kind === 'gps'
      ? { busId, deliverAtMs, kind: 'gps', payload: message.payload }
      : { busId, deliverAtMs, kind: 'limiter', payload: message.payload }
  if (held) report.held = true
  return report
}

/** Box–Muller: one standard normal draw. */
function drawGaussian(random: SeededRandom): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next())
}

function round(value: number, digits: 1 | 6): number {
  const scale = digits === 1 ? 10 : 1e6
  return Math.round(value * scale) / scale
}
