import type { RoadClass } from './road-network.js'
import type { OsmTags } from './osm-elements.js'
import { parseMaxSpeedKmh } from './osm-maxspeed.js'

/** What the tags of one OSM way say about a bus driving on it. */
export interface RoadTags {
  roadClass: RoadClass
  name?: string
  /** `forward`: only in the digitised direction; `backward`: only against it (oneway=-1). */
  direction: 'both' | 'forward' | 'backward'
  speedKmh: number
  maxSpeedKmh?: number
  hazard: boolean
}

interface HighwayKind {
  roadClass: RoadClass
  /** Free-flow speed without a `maxspeed`: the defaults of OSRM's car profile (car.lua). */
  defaultSpeedKmh: number
  impliedOneway: boolean
}

const HIGHWAYS: Record<string, HighwayKind> = {
  motorway: { roadClass: 'motorway', defaultSpeedKmh: 90, impliedOneway: true },
  motorway_link: { roadClass: 'motorway', defaultSpeedKmh: 45, impliedOneway: true },
  trunk: { roadClass: 'trunk', defaultSpeedKmh: 85, impliedOneway: false },
  trunk_link: { roadClass: 'trunk', defaultSpeedKmh: 40, impliedOneway: false },
  primary: { roadClass: 'primary', defaultSpeedKmh: 65, impliedOneway: false },
  primary_link: { roadClass: 'primary', defaultSpeedKmh: 30, impliedOneway: false },
  secondary: { roadClass: 'secondary', defaultSpeedKmh: 55, impliedOneway: false },
  secondary_link: { roadClass: 'secondary', defaultSpeedKmh: 25, impliedOneway: false },
  tertiary: { roadClass: 'tertiary', defaultSpeedKmh: 40, impliedOneway: false },
  tertiary_link: { roadClass: 'tertiary', defaultSpeedKmh: 20, impliedOneway: false },
  unclassified: { roadClass: 'unclassified', defaultSpeedKmh: 25, impliedOneway: false },
  residential: { roadClass: 'residential', defaultSpeedKmh: 25, impliedOneway: false },
  service: { roadClass: 'service', defaultSpeedKmh: 15, impliedOneway: false },
}

/** Service roads a bus does not drive along: car parks, private drives, emergency-only links. */
const CLOSED_SERVICE_KINDS = new Set([
  'parking_aisle',
  'driveway',
  'drive-through',
  'emergency_access',
  'alley',
])
/** Access values that shut a bus out; `destination` stays open, a school bus has destinations. */
const CLOSED_ACCESS = new Set([
  'no',
  'private',
  'agricultural',
  'forestry',
  'delivery',
  'emergency',
  'military',
])
/** Most specific first: a `bus=yes` lane opens a road that `access=no` closes to everyone else. */
const ACCESS_KEYS = ['bus', 'psv', 'motor_vehicle', 'vehicle', 'access']
/**
 * OSRM's car profile drives at 80 % of a posted limit: junctions, traffic and bends keep real
 * speeds below it.
 */
const POSTED_LIMIT_SHARE = 0.8

/** Reads a way's tags; undefined when a bus may not use the way at all. */
export function readRoadTags(tags: OsmTags): RoadTags | undefined {
  const kind = tags.highway === undefined ? undefined : HIGHWAYS[tags.highway]
  if (!kind || !isOpenToBuses(tags, kind)) return undefined
  const direction = readDirection(tags, kind)
  if (direction === undefined) return undefined
  const maxSpeedKmh = parseMaxSpeedKmh(tags['maxspeed:bus'] ?? tags.maxspeed)
  return {
    roadClass: kind.roadClass,
    ...(tags.name ? { name: tags.name } : {}),
    direction,
    speedKmh: maxSpeedKmh === undefined ? kind.defaultSpeedKmh : maxSpeedKmh * POSTED_LIMIT_SHARE,
    ...(maxSpeedKmh === undefined ? {} : { maxSpeedKmh }),
    hazard: isHazard(tags),
  }
}

function isOpenToBuses(tags: OsmTags, kind: HighwayKind): boolean {
  if (tags.area === 'yes' || (kind.roadClass === 'service' && CLOSED_SERVICE_KINDS.has(tags.service ?? ''))) {
    return false
  }
  if (tags.construction !== undefined && tags.construction !== 'no') return false
  const access = ACCESS_KEYS.map((key) => tags[key]).find((value) => value !== undefined)
  return access === undefined || !CLOSED_ACCESS.has(access)
}

/** Undefined for `oneway=reversible` and `alternating`: the open direction changes by the hour. */
function readDirection(tags: OsmTags, kind: HighwayKind): RoadTags['direction'] | undefined {
  if (tags['oneway:bus'] === 'no' || tags['oneway:psv'] === 'no') return 'both'
  const oneway = tags.oneway
  if (oneway === 'reversible' || oneway === 'alternating') return undefined
  if (oneway === '-1' || oneway === 'reverse') return 'backward'
  if (oneway === 'yes' || oneway === '1' || oneway === 'true') return 'forward'
  if (oneway === 'no' || oneway === '0' || oneway === 'false') return 'both'
  const roundabout = tags.junction === 'roundabout' || tags.junction === 'circular'
  return kind.impliedOneway || roundabout ? 'forward' : 'both'
}

/** Bridges and roads tagged narrow: where the school-bus rule caps speed at 20 km/h. */
function isHazard(tags: OsmTags): boolean {
  return (tags.bridge !== undefined && tags.bridge !== 'no') || tags.narrow === 'yes'
}
