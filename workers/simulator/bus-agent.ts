import type { SeededRandom } from '../../geo/random/seeded-random.js'
import type { Activity, BusPlan, PlannedCall } from './bus-plan.js'
import { startMotion, stepMotion, type MotionState } from './bus-motion.js'
import { createBusTerminal, drawTerminalTraits, type EmitReport } from './bus-terminal.js'
import type { CoverageHoles } from './coverage-holes.js'
import { locateAlong } from './drive-path.js'
import {
  endFaultTruths,
  faultTruthKinds,
  sampleLimiter,
  sampleSpeeding,
  type FaultTruthKind,
  type FaultTruths,
} from './fault-truths.js'
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
  const state: BusAgentState = {
    nextTickMs: plan.wakeMs + plan.phaseMs,
    awake: false,
    index: 0,
    position: { lat: plan.start.lat, lon: plan.start.lon },
    headingDeg: plan.start.headingDeg,
    motion: undefined,
    motionStarted: false,
    arrived: false,
    departMs: 0,
    waitUntilMs: 0,
    engineOffUntilMs: 0,
    limiter: { state: 'active', untilMs: Infinity },
    speeding: undefined,
    nextFixMs: -Infinity,
    lastIgnition: undefined,
    announce: false,
    truths: {},
  }
  const { position, truths } = state
  const endFaults = (kinds: readonly FaultTruthKind[], atMs: number) => {
    for (const fault of endFaultTruths(truths, kinds, { busId: plan.busId, atMs, stepMs })) onFault?.(fault)
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
    state.engineOffUntilMs = 0
    if ((activity.kind === 'drive' || activity.kind === 'stand') && activity.tag !== undefined)
      truths.tagged = { tag: activity.tag, startMs: atMs }
    if (activity.kind === 'wait') {
      state.waitUntilMs = Math.max(activity.untilMs, atMs + (activity.atLeastS ?? 0) * 1000)
      if (state.waitUntilMs - atMs > ENGINE_OFF_AFTER_S * 1000)
        state.engineOffUntilMs = state.waitUntilMs - activity.warmUpS * 1000
    } else if (activity.kind === 'drive') {
      state.motion = startMotion(activity.path)
      state.motionStarted = false
      state.arrived = activity.path.alongM.length < 2
      Object.assign(position, locateAlong(activity.path, 0, 0))
    } else if (activity.kind === 'stand') {
      state.departMs = atMs + activity.standS * 1000
    } else {
      const { call } = activity
      tellCall(call, 'arrive', atMs)
      const boardingMs = Math.max(atMs, call.boardingFromMs ?? atMs)
      if (boardingMs - atMs > ENGINE_OFF_AFTER_S * 1000)
        state.engineOffUntilMs = boardingMs - CALL_WARM_UP_S * 1000
      const dwellS =
        dwellRandom.between(...driving.dwellBaseS) +
        call.pupilCount * dwellRandom.between(...driving.dwellPerPupilS)
      state.departMs = Math.max(boardingMs + Math.round(dwellS) * 1000, call.departNotBeforeMs ?? 0)
    }
  }

  /** Moves on past every activity that is over by `atMs`; false once the plan is done. */
  const settle = (atMs: number): boolean => {
    for (;;) {
      const activity = plan.activities[state.index]!
      if (!isFinished(state, activity, atMs)) return true
      if (activity.kind === 'call') tellCall(activity.call, 'depart', atMs)
      endFaults(['tagged'], atMs)
      state.motion = undefined
      state.index++
      if (state.index === plan.activities.length) {
        if (!plan.repeat) return false
        state.index = 0
      }
      enter(plan.activities[state.index]!, atMs)
    }
  }

  const drive = (atMs: number, dtS: number) => {
    const { motion } = state
    if (!motion) {
      endFaults(['speeding'], atMs)
      return
    }
    if (!state.motionStarted) {
      state.motionStarted = true
      return
    }
    const { path } = motion
    const arterial = path.arterial[motion.segment] ?? 0
    if (state.speeding && (atMs >= state.speeding.untilMs || arterial === 0)) state.speeding = undefined
    const startsSpeeding = (faults.speedingEpisodesPerArterialHour * dtS) / 3600
    if (!state.speeding && speeder && arterial > 0 && speedingRandom.chance(startsSpeeding)) {
      state.speeding = {
        targetKmh: path.legalKmh[motion.segment]! + speedingRandom.between(...faults.speedingOverKmh),
        untilMs: atMs + speedingRandom.between(...faults.speedingEpisodeS) * 1000,
      }
    }
    state.arrived = stepMotion(
      motion,
      dtS,
      {
        pace,
        trafficFactor: traffic.speedFactorAt(position.lat, position.lon, atMs),
        speedingKmh: state.speeding?.targetKmh,
        limiterKmh: state.limiter.state === 'active' ? driving.limiterKmh : Infinity,
      },
      driving,
    )
    Object.assign(position, locateAlong(path, motion.segment, motion.alongM))
    if (path.headingDeg.length > 0) state.headingDeg = path.headingDeg[motion.segment]!
    const speedKmh = motion.speedMs * 3.6
    const legalKmh = path.legalKmh[motion.segment] ?? Infinity
    if (sampleSpeeding(truths, { atMs, speedKmh, legalKmh, episodeUnderWay: state.speeding !== undefined }))
      endFaults(['speeding'], atMs)
  }

  /** Power comes back when due; with the ignition on it may be cut now and then. */
  const switchPower = (atMs: number, ignition: boolean, dtS: number) => {
    if (truths.powerCut) {
      if (atMs < truths.powerCut.untilMs) return
      endFaults(['powerCut'], atMs)
      // A terminal powering up reports its limiter and a fix at once.
      state.announce = true
      state.nextFixMs = -Infinity
    } else if (ignition && faults.terminalOffPerDrivingHour > 0) {
      if (powerRandom.chance((faults.terminalOffPerDrivingHour * dtS) / 3600))
        truths.powerCut = {
          startMs: atMs,
          untilMs: atMs + powerRandom.between(...faults.terminalOffS) * 1000,
          lastSentMs: terminal.lastSentMs(),
        }
    }
  }

  const switchLimiter = (atMs: number, ignition: boolean, dtS: number) => {
    const next = nextLimiter(state.limiter, atMs, ignition, dtS, limiterRandom, faults)
    if (!next) return
    state.limiter = next
    if (next.state === 'active') endFaults(['limiter'], atMs)
    else
      truths.limiter = { state: next.state, startMs: atMs, maxSpeedKmh: 0, movingMs: 0, firstMovingMs: null }
    if (!truths.powerCut) terminal.sendLimiter(atMs, next.state, driving.limiterKmh, position)
  }

  return {
    busId: plan.busId,
    get nextTickMs() {
      return state.nextTickMs
    },
    announceLimiter() {
      // A terminal not yet awake announces its state when it wakes anyway.
      if (state.awake) state.announce = true
    },
    tick() {
      const atMs = state.nextTickMs
      const dtS = stepMs / 1000
      state.nextTickMs += stepMs
      if (!state.awake) {
        state.awake = true
        enter(plan.activities[0]!, atMs)
        terminal.sendLimiter(atMs, state.limiter.state, driving.limiterKmh, position)
      } else {
        drive(atMs, dtS)
      }
      if (!settle(atMs)) {
        state.nextTickMs = Infinity
        // The terminal sleeps: whatever is under way is recorded as ending here.
        endFaults(faultTruthKinds, atMs)
        terminal.close(atMs)
        return
      }
      const ignition = atMs >= state.engineOffUntilMs
      switchPower(atMs, ignition, dtS)
      if (state.announce && !truths.powerCut) {
        state.announce = false
        terminal.sendLimiter(atMs, state.limiter.state, driving.limiterKmh, position)
      }
      switchLimiter(atMs, ignition, dtS)
      const speedMs = state.motion && state.motionStarted ? state.motion.speedMs : 0
      sampleLimiter(truths, atMs, speedMs * 3.6, stepMs)
      if (ignition !== state.lastIgnition || atMs >= state.nextFixMs) {
        state.lastIgnition = ignition
        state.nextFixMs = atMs + (ignition ? driving.reportIntervalS : driving.parkedReportIntervalS) * 1000
        if (!truths.powerCut) {
          const { lat, lon } = position
          terminal.sendFix({ atMs, lat, lon, speedMs, headingDeg: state.headingDeg, ignition })
        }
      }
    },
  }
}

/** Everything about one bus that changes from step to step, beside its fault records. */
interface BusAgentState {
  nextTickMs: number
  awake: boolean
  /** The activity under way in the plan. */
  index: number
  position: { lat: number; lon: number }
  headingDeg: number
  motion: MotionState | undefined
  motionStarted: boolean
  arrived: boolean
  departMs: number
  /** When the wait under way ends: its time, or later for a bus that got there late. */
  waitUntilMs: number
  engineOffUntilMs: number
  limiter: { state: LimiterState; untilMs: number }
  speeding: { targetKmh: number; untilMs: number } | undefined
  nextFixMs: number
  lastIgnition: boolean | undefined
  /** The terminal reports its limiter at the next step it has power. */
  announce: boolean
  truths: FaultTruths
}

function isFinished(state: BusAgentState, activity: Activity, atMs: number): boolean {
  if (activity.kind === 'wait') return atMs >= state.waitUntilMs
  if (activity.kind === 'drive') return state.arrived
  return atMs >= state.departMs
}

/** The limiter switched off or failing now and then while the ignition is on, until it is due back. */
function nextLimiter(
  limiter: BusAgentState['limiter'],
  atMs: number,
  ignition: boolean,
  dtS: number,
  random: SeededRandom,
  faults: SimulationSettings['faults'],
): BusAgentState['limiter'] | undefined {
  if (limiter.state !== 'active')
    return atMs >= limiter.untilMs ? { state: 'active', untilMs: Infinity } : undefined
  if (!ignition) return undefined
  const hours = dtS / 3600
  if (random.chance(faults.limiterDisabledPerDrivingHour * hours))
    return { state: 'disabled', untilMs: atMs + random.between(...faults.limiterDisabledS) * 1000 }
  if (random.chance(faults.limiterFaultPerDrivingHour * hours))
    return { state: 'fault', untilMs: atMs + random.between(...faults.limiterFaultS) * 1000 }
  return undefined
}
