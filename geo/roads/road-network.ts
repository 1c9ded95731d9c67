import type { LonLatPosition } from '../lat-lon.js'

/**
 * Road classes a bus may use, ordered from fastest to slowest. They decide default speeds where a
 * road has no `maxspeed`, and the school-bus speed rule (80 km/h on expressways, 60 km/h elsewhere).
 */
export const roadClasses = [
  'motorway',
  'trunk',
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'service',
] as const

export type RoadClass = (typeof roadClasses)[number]

/** One drivable way: the unit both the OpenStreetMap import and the synthetic Cixi network produce. */
export interface RoadWay {
  id: string
  name?: string
  roadClass: RoadClass
  /** At least two positions, in the way's digitised direction. */
  coords: LonLatPosition[]
  /** Free-flow travel speed used for routing. */
  speedKmh: number
  /** The posted limit, when known (OSM `maxspeed`). */
  maxSpeedKmh?: number
  /** Traffic may only travel in the digitised direction. */
  oneway: boolean
  /** Sharp bend, steep slope, narrow road or bridge: the 20 km/h school-bus rule applies. */
  hazard?: boolean
}

export interface RoadNetwork {
  /** Where the data came from and whether it is synthetic. */
  source: string
  ways: RoadWay[]
}
