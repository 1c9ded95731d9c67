import { describe, expect, it } from 'vitest'
import type { LonLatPosition } from '../../geo/lat-lon.js'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import { startMotion, stepMotion, type MotionInputs } from './bus-motion.js'
import { buildDrivePath } from './drive-path.js'
import { createRingRoadNetwork } from './ring-road-network.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import { defaultDrivingSettings } from './simulation-settings.js'

const network = createRingRoadNetwork()
const roadSpeedAt = createRoadSpeedLookup(buildRoadGraph(network))
const [sw, se] = [network.ways[0]!.coords[0]!, network.ways[9]!.coords[1]!]
/** Along the primary south side, 3 km east. */
const straight: LonLatPosition[] = [sw, se]
/** 1.5 km east to the south-east corner, a right-angle turn, 1.5 km north. */
const north = network.ways[14]!.coords[1]!
const corner: LonLatPosition[] = [network.ways[5]!.coords[0]!, se, north]
const free: MotionInputs = { pace: 1, trafficFactor: 1, speedingKmh: undefined, limiterKmh: 80 }

function drive(coordinates: LonLatPosition[], inputs: MotionInputs) {
  const path = buildDrivePath(coordinates, roadSpeedAt, {
    brakingMs2: defaultDrivingSettings.brakingMs2,
    nominalDurationS: 0,
  })
  const state = startMotion(path)
  const trace: { alongM: number; speedMs: number }[] = [{ alongM: 0, speedMs: 0 }]
  for (let s = 0; s < 3600; s++) {
    const arrived = stepMotion(state, 1, inputs, defaultDrivingSettings)
    trace.push({ alongM: state.alongM, speedMs: state.speedMs })
    if (arrived) return { path, trace, durationS: s + 1 }
  }
  throw new Error('the bus never arrived')
}

const maxKmh = (trace: { speedMs: number }[]) => Math.max(...trace.map((p) => p.speedMs * 3.6))

describe('a bus driving one leg', () => {
  it('pulls away, cruises at the road’s speed and brakes to a stop at the end', () => {
    const { path, trace, durationS } = drive(straight, free)
    expect(path.lengthM).toBeGreaterThan(2990)
    expect(path.lengthM).toBeLessThan(3010)
    expect(maxKmh(trace)).toBeGreaterThan(49)
    expect(maxKmh(trace)).toBeLessThanOrEqual(50 + 1e-9)
    for (let i = 1; i < trace.length; i++) {
      const change = trace[i]!.speedMs - trace[i - 1]!.speedMs
      expect(change).toBeLessThanOrEqual(defaultDrivingSettings.accelerationMs2 + 1e-9)
      expect(change).toBeGreaterThanOrEqual(-defaultDrivingSettings.hardBrakingMs2 - 1e-9)
    }
    expect(trace.at(-1)).toEqual({ alongM: path.lengthM, speedMs: 0 })
    // 3 km at 50 km/h is 216 s; pulling away and stopping cost tens of seconds, not minutes.
    expect(durationS).toBeGreaterThan(216)
    expect(durationS).toBeLessThan(216 + 40)
  })

  it('slows for a right-angle turn', () => {
    const { path, trace } = drive(corner, free)
    const turnAlongM = path.alongM[1]!
    const passing = trace.findIndex((p) => p.alongM >= turnAlongM)
    const atTurnKmh = Math.min(trace[passing - 1]!.speedMs, trace[passing]!.speedMs) * 3.6
    expect(atTurnKmh).toBeLessThanOrEqual(15 + 3.6)
    expect(maxKmh(trace.slice(0, passing))).toBeGreaterThan(40)
  })

  it('goes slower in congestion, holds to the limiter, and beyond the limit only when speeding', () => {
    const freeS = drive(straight, free).durationS
    const jammed = drive(straight, { ...free, trafficFactor: 0.3 })
    expect(jammed.durationS).toBeGreaterThan(freeS * 2.5)
    expect(maxKmh(drive(straight, { ...free, limiterKmh: 30 }).trace)).toBeLessThanOrEqual(30 + 1e-9)
    expect(maxKmh(drive(straight, { ...free, pace: 1.3 }).trace)).toBeLessThanOrEqual(60 + 1e-9)
    const speeding = maxKmh(drive(straight, { ...free, speedingKmh: 70 }).trace)
    expect(speeding).toBeGreaterThan(68)
    expect(speeding).toBeLessThanOrEqual(70 + 1e-9)
  })
})
