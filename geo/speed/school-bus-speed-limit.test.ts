import { describe, expect, it } from 'vitest'
import { findSchoolBusSpeedLimit } from './school-bus-speed-limit.js'

describe('findSchoolBusSpeedLimit', () => {
  it('allows 80 km/h on an expressway and 60 km/h on any other road', () => {
    expect(findSchoolBusSpeedLimit({ roadClass: 'motorway' })).toEqual({
      limitKmh: 80,
      reason: 'expressway',
    })
    for (const roadClass of ['trunk', 'primary', 'residential', 'service'] as const) {
      expect(findSchoolBusSpeedLimit({ roadClass })).toEqual({ limitKmh: 60, reason: 'other_road' })
    }
  })

  it('keeps the school-bus cap where the posted limit is higher', () => {
    expect(findSchoolBusSpeedLimit({ roadClass: 'motorway', maxSpeedKmh: 120 }).limitKmh).toBe(80)
    expect(findSchoolBusSpeedLimit({ roadClass: 'trunk', maxSpeedKmh: 80 })).toEqual({
      limitKmh: 60,
      reason: 'other_road',
    })
  })

  it('follows a lower posted limit', () => {
    expect(findSchoolBusSpeedLimit({ roadClass: 'motorway', maxSpeedKmh: 60 })).toEqual({
      limitKmh: 60,
      reason: 'posted',
    })
    expect(findSchoolBusSpeedLimit({ roadClass: 'residential', maxSpeedKmh: 30 })).toEqual({
      limitKmh: 30,
      reason: 'posted',
    })
  })

  it('caps a hazardous stretch at 20 km/h, even on an expressway', () => {
    expect(findSchoolBusSpeedLimit({ roadClass: 'motorway', hazard: true })).toEqual({
      limitKmh: 20,
      reason: 'hazard',
    })
    expect(findSchoolBusSpeedLimit({ roadClass: 'secondary', maxSpeedKmh: 50, hazard: true })).toEqual({
      limitKmh: 20,
      reason: 'hazard',
    })
  })

  it('keeps a posted limit below 20 km/h on a hazardous stretch', () => {
    expect(findSchoolBusSpeedLimit({ roadClass: 'service', maxSpeedKmh: 10, hazard: true })).toEqual({
      limitKmh: 10,
      reason: 'posted',
    })
  })

  it('caps every road at 20 km/h in fog, rain, snow, ice, mud, dust or hail', () => {
    for (const condition of ['fog', 'rain', 'snow', 'ice', 'mud', 'dust', 'hail'] as const) {
      expect(findSchoolBusSpeedLimit({ roadClass: 'motorway' }, [condition])).toEqual({
        limitKmh: 20,
        reason: 'condition',
      })
    }
    expect(findSchoolBusSpeedLimit({ roadClass: 'primary' }, [])).toEqual({
      limitKmh: 60,
      reason: 'other_road',
    })
  })

  it('treats an unknown road as an ordinary road, not an expressway', () => {
    expect(findSchoolBusSpeedLimit(null)).toEqual({ limitKmh: 60, reason: 'other_road' })
    expect(findSchoolBusSpeedLimit(null, ['fog'])).toEqual({ limitKmh: 20, reason: 'condition' })
  })
})
