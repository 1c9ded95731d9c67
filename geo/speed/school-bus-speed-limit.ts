import type { RoadWay } from '../roads/road-network.js'

/**
 * Weather and surface conditions under which the school-bus regulation (校车安全管理条例, art. 35)
 * caps speed at 20 km/h: ice, snow or mud on the road, and fog, rain, snow, dust or hail in the air.
 */
export type DrivingCondition = 'fog' | 'rain' | 'snow' | 'ice' | 'mud' | 'dust' | 'hail'

/** What of a road the rule reads; `null` is a road we do not know, ruled as an ordinary road. */
export type RoadSpeedAttributes = Pick<RoadWay, 'roadClass' | 'maxSpeedKmh' | 'hazard'>

export type SpeedLimitReason = 'expressway' | 'other_road' | 'posted' | 'hazard' | 'condition'

export interface SchoolBusSpeedLimit {
  limitKmh: number
  /** The rule that set the limit; where two agree, the most specific one. */
  reason: SpeedLimitReason
}

export const schoolBusSpeedCaps = {
  expresswayKmh: 80,
  otherRoadKmh: 60,
  hazardKmh: 20,
} as const

/**
 * The highest speed a bus carrying pupils may go: 80 km/h on expressways (motorways), 60 km/h on
 * other roads, lower where the road's posted limit is lower, and 20 km/h on a hazardous stretch
 * (sharp bend, steep slope, narrow road, bridge) or in any of the listed conditions.
 */
export function findSchoolBusSpeedLimit(
  road: RoadSpeedAttributes | null,
  conditions: readonly DrivingCondition[] = [],
): SchoolBusSpeedLimit {
  let limit: SchoolBusSpeedLimit =
    road?.roadClass === 'motorway'
      ? { limitKmh: schoolBusSpeedCaps.expresswayKmh, reason: 'expressway' }
      : { limitKmh: schoolBusSpeedCaps.otherRoadKmh, reason: 'other_road' }
  const tighten = (limitKmh: number, reason: SpeedLimitReason) => {
    if (limitKmh <= limit.limitKmh) limit = { limitKmh, reason }
  }
  if (road?.maxSpeedKmh !== undefined && road.maxSpeedKmh < limit.limitKmh)
    tighten(road.maxSpeedKmh, 'posted')
  if (road?.hazard) tighten(schoolBusSpeedCaps.hazardKmh, 'hazard')
  if (conditions.length > 0) tighten(schoolBusSpeedCaps.hazardKmh, 'condition')
  return limit
}
