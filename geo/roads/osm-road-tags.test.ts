import { describe, expect, it } from 'vitest'
import { readRoadTags } from './osm-road-tags.js'
import type { OsmTags } from './osm-elements.js'

describe('readRoadTags', () => {
  it('maps every drivable highway and its _link to a road class', () => {
    for (const roadClass of ['motorway', 'trunk', 'primary', 'secondary', 'tertiary'] as const) {
      expect(readRoadTags({ highway: roadClass })?.roadClass).toBe(roadClass)
      expect(readRoadTags({ highway: `${roadClass}_link` })?.roadClass).toBe(roadClass)
    }
    for (const roadClass of ['unclassified', 'residential', 'service'] as const) {
      expect(readRoadTags({ highway: roadClass })?.roadClass).toBe(roadClass)
    }
  })

  it('drops ways a bus may not use', () => {
    const closed: OsmTags[] = [
      { highway: 'footway' },
      { highway: 'cycleway' },
      { highway: 'path' },
      { highway: 'steps' },
      { highway: 'track' },
      { highway: 'pedestrian' },
      { highway: 'construction' },
      { highway: 'residential', construction: 'yes' },
      { highway: 'service', access: 'private' },
      { highway: 'residential', access: 'no' },
      { highway: 'primary', motor_vehicle: 'no' },
      { highway: 'residential', vehicle: 'no' },
      { highway: 'service', area: 'yes' },
      { highway: 'service', service: 'parking_aisle' },
      { highway: 'service', service: 'driveway' },
      { highway: 'tertiary', oneway: 'reversible' },
      { building: 'yes' },
    ]
    for (const tags of closed) expect(readRoadTags(tags), JSON.stringify(tags)).toBeUndefined()
  })

  it('lets the most specific access tag decide', () => {
    expect(readRoadTags({ highway: 'residential', access: 'no', bus: 'yes' })).toBeDefined()
    expect(readRoadTags({ highway: 'residential', access: 'no', psv: 'yes' })).toBeDefined()
    expect(readRoadTags({ highway: 'residential', motor_vehicle: 'yes', bus: 'no' })).toBeUndefined()
    expect(readRoadTags({ highway: 'residential', access: 'destination' })).toBeDefined()
  })

  it('reads one-way tags, implied one-ways and bus exceptions', () => {
    for (const oneway of ['yes', '1', 'true']) {
      expect(readRoadTags({ highway: 'residential', oneway })?.direction).toBe('forward')
    }
    expect(readRoadTags({ highway: 'residential', oneway: '-1' })?.direction).toBe('backward')
    expect(readRoadTags({ highway: 'residential' })?.direction).toBe('both')
    expect(readRoadTags({ highway: 'motorway' })?.direction).toBe('forward')
    expect(readRoadTags({ highway: 'motorway_link' })?.direction).toBe('forward')
    expect(readRoadTags({ highway: 'motorway', oneway: 'no' })?.direction).toBe('both')
    expect(readRoadTags({ highway: 'primary', junction: 'roundabout' })?.direction).toBe('forward')
    expect(readRoadTags({ highway: 'primary', junction: 'circular' })?.direction).toBe('forward')
    expect(readRoadTags({ highway: 'residential', oneway: 'yes', 'oneway:bus': 'no' })?.direction).toBe(
      'both',
    )
  })

  it('drives below a posted limit and at the class default without one', () => {
    const posted = readRoadTags({ highway: 'primary', maxspeed: '50' })!
    expect(posted.maxSpeedKmh).toBe(50)
    expect(posted.speedKmh).toBeLessThan(50)
    const unposted = readRoadTags({ highway: 'primary' })!
    expect(unposted.maxSpeedKmh).toBeUndefined()
    expect(unposted.speedKmh).toBeGreaterThan(readRoadTags({ highway: 'residential' })!.speedKmh)
    expect(readRoadTags({ highway: 'primary', maxspeed: '30 mph' })!.maxSpeedKmh).toBe(48)
    expect(readRoadTags({ highway: 'primary', maxspeed: '80', 'maxspeed:bus': '60' })!.maxSpeedKmh).toBe(60)
  })

  it('marks bridges and narrow roads as hazards, and keeps the name', () => {
    expect(readRoadTags({ highway: 'secondary', bridge: 'yes' })?.hazard).toBe(true)
    expect(readRoadTags({ highway: 'secondary', narrow: 'yes' })?.hazard).toBe(true)
    expect(readRoadTags({ highway: 'secondary', bridge: 'no' })?.hazard).toBe(false)
    expect(readRoadTags({ highway: 'secondary', name: 'Boulevard Albert 1er' })?.name).toBe(
      'Boulevard Albert 1er',
    )
  })
})
