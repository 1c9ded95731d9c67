import type { SeededRandom } from '../../geo/random/seeded-random.js'
import type { Activity, BusPlan, PlannedCall } from './bus-plan.js'
import { startMotion, stepMotion, type MotionState } from './bus-motion.js'
import { createBusTerminal, drawTerminalTraits, type EmitReport } from './bus-terminal.js'
import type { CoverageHoles } from './coverage-holes.js'
import { locateAlong } from './drive-path.js'
import type { RecordFault } from './injected-fault.js'
import type { LimiterState, StopCallEvent } from './simulated-report.js'
import type { SimulationSettings } from './simulation-settings.js'
import type { TrafficModel } from './traffic-model.js'

export interface BusAgentContext {
  settings: SimulationSettings
  traffic: TrafficModel
  coverage: CoverageHoles
  /** This bus's own stream: its driver, limiter, dwell and terminal draw from forks of it. */
  random: SeededRandom
  emit: EmitReport
  onStopCall?: (event: StopCallEvent) => void
  /** Told of every fault as it ends, with what the bus really did meanwhile (injected-fault.ts). */
  onFault?: RecordFault
}

export interface BusAgent {
  readonly busId: string
  /** The next instant the bus needs simulating; Infinity once its terminal sleeps for good. */
  readonly nextTickMs: number
  tick(): void
  /** Reports the limiter's state at the next step, as a terminal does when it (re)connects. */
  announceLimiter(): void
}

/** A driver switches the engine off for waits longer than this. */
const ENGINE_OFF_AFTER_S = 180
/** Before pupils are due at a stop, the engine is started again this early. */
const CALL_WARM_UP_S = 60
/** Faster than this the bus is plainly moving: what a limiter fault's record counts. */
const MOVING_KMH = 10

/**
 * One bus living through its plan a step at a time: drives, dwells and waits, with its driver's
 * pace and speeding, its speed limiter switched off or failing now and then, and its terminal
 * reporting what happens. Everything depends only on the plan, the context and the step times.
 */
export function createBusAgent(plan: BusPlan, context: BusAgentContext): BusAgent {
  const { settings, traffic, onStopCall, onFault } = context
  const { driving, faults } = settings
  const stepMs = Math.min(1000, driving.reportIntervalS * 1000)
  const driverRandom = context.random.fork('driver')
  const limiterRandom = context.random.fork('limiter')
  const dwellRandom = context.random.fork('dwell')
  const speedingRandom = context.random.fork('speeding')
  const powerRandom = context.random.fork('power')
  const terminal = createBusTerminal({
    busId: plan.busId,
    traits: drawTerminalTraits(context.random.fork('terminal-traits'), faults),
    random: context.random.fork('terminal'),
    faults,
    coverage: context.coverage,
    emit: context.emit,
    onFault,
  })
  const pace = driverRandom.between(...driving.driverPace)
  const speeder = driverRandom.chance(faults.speedingDriverShare)

  let nextTickMs = plan.wakeMs + plan.phaseMs
  let awake = false
  let index = 0
  const position = { lat: plan.start.lat, lon: plan.start.lon }
  let headingDeg = plan.start.headingDeg
  let motion: MotionState | undefined
  let motionStarted = false
  let arrived = false
  let departMs = 0
  /** When the wait under way ends: its time, or later for a bus that got there late. */
  let waitUntilMs = 0
  let engineOffUntilMs = 0
  let limiter: { state: LimiterState; untilMs: number } = { state: 'active', untilMs: Infinity }
  let speeding: { targetKmh: number; untilMs: number } | undefined
  let nextFixMs = -Infinity
  let lastIgnition: boolean | undefined
  let announce = false
  /** The terminal has no power until `untilMs`. */
  let powerCut: { startMs: number; untilMs: number; lastSentMs: number | null } | undefined
  /** What is recorded of the fault under way, for onFault (injected-fault.ts). */
  let speedingTruth:
    { startMs: number; excessKmh: number[]; peakKmh: number; peakLimitKmh: number } | undefined
  let limiterTruth:
    | {
        state: 'disabled' | 'fault'
        startMs: number
        maxSpeedKmh: number
        movingMs: number
        firstMovingMs: number | null
      }
    | undefined
  let tagged: { tag: string; startMs: number } | undefined

  /** Ends at its last sample: the bus may have stopped being simulated between two. */
  const endSpeedingTruth = () => {
    if (!speedingTruth) return
    const endMs = speedingTruth.startMs + Math.max(0, speedingTruth.excessKmh.length - 1) * stepMs
    onFault?.({ kind: 'speeding', busId: plan.busId, endMs, stepMs, ...speedingTruth })
    speedingTruth = undefined
  }
  const endLimiterTruth = (atMs: number) => {
    if (!limiterTruth) return
    onFault?.({ kind: 'limiter', busId: plan.busId, endMs: atMs, ...limiterTruth })
    limiterTruth = undefined
  }
  const endPowerCut = (atMs: number) => {
    if (!powerCut) return
    const { startMs, lastSentMs } = powerCut
    onFault?.({ kind: 'terminal_off', busId: plan.busId, startMs, endMs: atMs, lastSentMs })
    powerCut = undefined
  }
  const endTagged = (atMs: number) => {
    if (!tagged) return
    onFault?.({ kind: 'activity', busId: plan.busId, tag: tagged.tag, startMs: tagged.startMs, endMs: atMs })
    tagged = undefined
  }

  const tellCall = (call: PlannedCall, event: 'arrive' | 'depart', atMs: number) =>
    onStopCall?.({
      busId: plan.busId,
      tripId: call.tripId,
      stopId: call.stopId,
      stopIndex: call.stopIndex,
      event,
      atMs,
      scheduledMs: event === 'arrive' ? call.scheduledArriveMs : call.scheduledDepartMs,
    })

  const enter = (activity: Activity, atMs: number) => {
    engineOffUntilMs = 0
    if ((activity.kind === 'drive' || activity.kind === 'stand') && activity.tag !== undefined)
      tagged = { tag: activity.tag, startMs: atMs }
    if (activity.kind === 'wait') {
      waitUntilMs = Math.max(activity.untilMs, atMs + (activity.atLeastS ?? 0) * 1000)
      if (waitUntilMs - atMs > ENGINE_OFF_AFTER_S * 1000)
        engineOffUntilMs = waitUntilMs - activity.warmUpS * 1000
    } else if (activity.kind === 'drive') {
      motion = startMotion(activity.path)
      motionStarted = false
      arrived = activity.path.alongM.length < 2
      Object.assign(position, locateAlong(activity.path, 0, 0))
    } else if (activity.kind === 'stand') {
      departMs = atMs + activity.standS * 1000
    } else {
      const { call } = activity
      tellCall(call, 'arrive', atMs)
      const boardingMs = Math.max(atMs, call.boardingFromMs ?? atMs)
      if (boardingMs - atMs > ENGINE_OFF_AFTER_S * 1000) engineOffUntilMs = boardingMs - CALL_WARM_UP_S * 1000
      const dwellS =
        dwellRandom.between(...driving.dwellBaseS) +
        call.pupilCount * dwellRandom.between(...driving.dwellPerPupilS)
      departMs = Math.max(boardingMs + Math.round(dwellS) * 1000, call.departNotBeforeMs ?? 0)
    }
  }

  const isFinished = (activity: Activity, atMs: number) =>
    activity.kind === 'wait' ? atMs >= waitUntilMs : activity.kind === 'drive' ? arrived : atMs >= departMs

  /** Moves on past every activity that is over by `atMs`; false once the plan is done. */
  const settle = (atMs: number): boolean => {
    for (;;) {
      const activity = plan.activities[index]!
      if (!isFinished(activity, atMs)) return true
      if (activity.kind === 'call') tellCall(activity.call, 'depart', atMs)
      endTagged(atMs)
      motion = undefined
      index++
      if (index === plan.activities.length) {
        if (!plan.repeat) return false
        index = 0
      }
      enter(plan.activities[index]!, atMs)
    }
  }

  const drive = (atMs: number, dtS: number) => {
    if (!motion) {
      endSpeedingTruth()
      return
    }
    if (!motionStarted) {
      motionStarted = true
      return
    }
    const { path } = motion
    const arterial = path.arterial[motion.segment] ?? 0
    if (speeding && (atMs >= speeding.untilMs || arterial === 0)) speeding = undefined
    const startsSpeeding = (faults.speedingEpisodesPerArterialHour * dtS) / 3600
    if (!speeding && speeder && arterial > 0 && speedingRandom.chance(startsSpeeding)) {
      speeding = {
        targetKmh: path.legalKmh[motion.segment]! + speedingRandom.between(...faults.speedingOverKmh),
        untilMs: atMs + speedingRandom.between(...faults.speedingEpisodeS) * 1000,
      }
    }
    arrived = stepMotion(
      motion,
      dtS,
      {
        pace,
        trafficFactor: traffic.speedFactorAt(position.lat, position.lon, atMs),
        speedingKmh: speeding?.targetKmh,
        limiterKmh: limiter.state === 'active' ? driving.limiterKmh : Infinity,
      },
      driving,
    )
    Object.assign(position, locateAlong(path, motion.segment, motion.alongM))
    if (path.headingDeg.length > 0) headingDeg = path.headingDeg[motion.segment]!
    recordSpeeding(atMs, motion.speedMs * 3.6, path.legalKmh[motion.segment] ?? Infinity)
  }

  /** From the start of an episode until the bus is back within the limit of the road it is on. */
  const recordSpeeding = (atMs: number, speedKmh: number, legalKmh: number) => {
    if (speeding && !speedingTruth)
      speedingTruth = { startMs: atMs, excessKmh: [], peakKmh: 0, peakLimitKmh: legalKmh }
    if (!speedingTruth) return
    const excessKmh = speedKmh - legalKmh
    speedingTruth.excessKmh.push(Math.round(excessKmh * 10) / 10)
    if (excessKmh > speedingTruth.peakKmh - speedingTruth.peakLimitKmh) {
      speedingTruth.peakKmh = Math.round(speedKmh * 10) / 10
      speedingTruth.peakLimitKmh = legalKmh
    }
    if (!speeding && excessKmh <= 0) endSpeedingTruth()
  }

  const recordLimiter = (atMs: number) => {
    if (!limiterTruth) return
    const speedKmh = motion && motionStarted ? motion.speedMs * 3.6 : 0
    limiterTruth.maxSpeedKmh = Math.max(limiterTruth.maxSpeedKmh, Math.round(speedKmh * 10) / 10)
    if (speedKmh > MOVING_KMH) {
      limiterTruth.movingMs += stepMs
      limiterTruth.firstMovingMs ??= atMs
    }
  }

  /** Power comes back when due; with the ignition on it may be cut now and then. */
  const switchPower = (atMs: number, ignition: boolean, dtS: number) => {
    if (powerCut) {
      if (atMs < powerCut.untilMs) return
      endPowerCut(atMs)
      // A terminal powering up reports its limiter and a fix at once.
      announce = true
      nextFixMs = -Infinity
    } else if (ignition && faults.terminalOffPerDrivingHour > 0) {
      if (powerRandom.chance((faults.terminalOffPerDrivingHour * dtS) / 3600))
        powerCut = {
          startMs: atMs,
          untilMs: atMs + powerRandom.between(...faults.terminalOffS) * 1000,
          lastSentMs: terminal.lastSentMs(),
        }
    }
  }

  const switchLimiter = (atMs: number, ignition: boolean, dtS: number) => {
    let next: typeof limiter | undefined
    if (limiter.state !== 'active') {
      if (atMs >= limiter.untilMs) next = { state: 'active', untilMs: Infinity }
    } else if (ignition) {
      const hours = dtS / 3600
      if (limiterRandom.chance(faults.limiterDisabledPerDrivingHour * hours)) {
        next = { state: 'disabled', untilMs: atMs + limiterRandom.between(...faults.limiterDisabledS) * 1000 }
      } else if (limiterRandom.chance(faults.limiterFaultPerDrivingHour * hours)) {
        next = { state: 'fault', untilMs: atMs + limiterRandom.between(...faults.limiterFaultS) * 1000 }
      }
    }
    if (next) {
      limiter = next
      if (limiter.state === 'active') endLimiterTruth(atMs)
      else {
        const state = limiter.state
        limiterTruth = { state, startMs: atMs, maxSpeedKmh: 0, movingMs: 0, firstMovingMs: null }
      }
      if (!powerCut) terminal.sendLimiter(atMs, limiter.state, driving.limiterKmh, position)
    }
  }

  return {
    busId: plan.busId,
    get nextTickMs() {
      return nextTickMs
    },
    announceLimiter() {
      // A terminal not yet awake announces its state when it wakes anyway.
      if (awake) announce = true
    },
    tick() {
      const atMs = nextTickMs
      const dtS = stepMs / 1000
      nextTickMs += stepMs
      if (!awake) {
        awake = true
        enter(plan.activities[0]!, atMs)
        terminal.sendLimiter(atMs, limiter.state, driving.limiterKmh, position)
      } else {
        drive(atMs, dtS)
      }
      if (!settle(atMs)) {
        nextTickMs = Infinity
        // The terminal sleeps: whatever is under way is recorded as ending here.
        endSpeedingTruth()
        endLimiterTruth(atMs)
        endPowerCut(atMs)
        endTagged(atMs)
        terminal.close(atMs)
        return
      }
      const ignition = atMs >= engineOffUntilMs
      switchPower(atMs, ignition, dtS)
      if (announce && !powerCut) {
        announce = false
        terminal.sendLimiter(atMs, limiter.state, driving.limiterKmh, position)
      }
      switchLimiter(atMs, ignition, dtS)
      recordLimiter(atMs)
      if (ignition !== lastIgnition || atMs >= nextFixMs) {
        lastIgnition = ignition
        nextFixMs = atMs + (ignition ? driving.reportIntervalS : driving.parkedReportIntervalS) * 1000
        const speedMs = motion && motionStarted ? motion.speedMs : 0
        if (!powerCut)
          terminal.sendFix({ atMs, lat: position.lat, lon: position.lon, speedMs, headingDeg, ignition })
      }
    },
  }
}
