import { describe, expect, it } from 'vitest'
import { planToGeoJson } from './plan-geojson.js'
import type { PlanResult } from './plan-model.js'

describe('planToGeoJson', () => {
  it('draws lines with their kind and trip count and stops with pupil counts, never pupil ids', () => {
    const result = {
      stops: [
        {
          id: 'stop-001',
          name: '新潮路站',
          location: { lat: 30.1, lon: 121.2 },
          pupilIds: ['pu-00001', 'pu-00002'],
          schoolIds: ['s'],
          maxWalkM: 120,
        },
      ],
      lines: [
        {
          id: 'mb-hub',
          name: '西站 微公交',
          kind: 'micro_bus',
          busTypeId: 'micro-bus',
          stopIds: ['hub', 'stop-001', 's'],
          schoolIds: ['s'],
          tripIds: ['t1', 't2', 't3'],
          geometry: {
            type: 'LineString',
            coordinates: [
              [121.1, 30.1],
              [121.2, 30.1],
            ],
          },
        },
      ],
    } as unknown as PlanResult
    const collection = planToGeoJson(result)
    expect(collection.type).toBe('FeatureCollection')
    const [line, stop] = collection.features
    expect(line).toMatchObject({
      geometry: { type: 'LineString' },
      properties: { kind: 'micro_bus', name: '西站 微公交', trips: 3 },
    })
    expect(stop).toMatchObject({
      geometry: { type: 'Point', coordinates: [121.2, 30.1] },
      properties: { kind: 'stop', pupils: 2 },
    })
    expect(JSON.stringify(collection)).not.toContain('pu-0000')
  })
})
