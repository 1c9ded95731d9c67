import type { RoadNetwork, RoadWay } from '../../geo/roads/road-network.js'

/**
 * A small synthetic network for the simulator's tests: a square ring near Cixi, 3 km a side, cut
 * into 300 m ways. Its north side is an expressway (school buses: 80 km/h), the others are
 * primary roads (60 km/h): every stretch is an arterial, where speeding drivers speed.
 */
export function createRingRoadNetwork(): RoadNetwork {
  const south = 30.2
  const west = 121.2
  const sideDeg = { lat: 3000 / 111_195, lon: 3000 / (111_195 * Math.cos((south * Math.PI) / 180)) }
  const corners: [number, number][] = [
    [west, south],
    [west + sideDeg.lon, south],
    [west + sideDeg.lon, south + sideDeg.lat],
    [west, south + sideDeg.lat],
  ]
  const ways: RoadWay[] = []
  corners.forEach((from, side) => {
    const to = corners[(side + 1) % 4]!
    const expressway = side === 2
    for (let i = 0; i < 10; i++) {
      const at = (f: number): [number, number] => [
        from[0] + f * (to[0] - from[0]),
        from[1] + f * (to[1] - from[1]),
      ]
      ways.push({
        id: `ring-${side}-${i}`,
        roadClass: expressway ? 'motorway' : 'primary',
        coords: [at(i / 10), at((i + 1) / 10)],
        speedKmh: expressway ? 100 : 50,
        maxSpeedKmh: expressway ? 120 : 60,
        oneway: false,
      })
    }
  })
  return { source: 'SYNTHETIC test ring road', ways }
}
