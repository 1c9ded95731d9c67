import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import type { RoadNetwork, RoadWay } from '../../geo/roads/road-network.js'
import { createLocalProjection } from '../../geo/routing/earth-distance.js'

/**
 * A small synthetic town for the simulator's and route oversight's tests: streets on a square
 * grid near Cixi, `columns` × `rows` blocks of `blockM`, cut into one way per block side. The
 * southern street is the main road (secondary, 50 km/h), the others residential (30 km/h); every
 * block gives a bus another way round, so detours exist.
 */
export function createGridRoadNetwork(options: {
  columns: number
  rows: number
  blockM: number
}): RoadNetwork {
  const ways: RoadWay[] = []
  const corner = (column: number, row: number): LonLatPosition => {
    const { lat, lon } = gridPlace(column * options.blockM, row * options.blockM)
    return [lon, lat]
  }
  for (let row = 0; row <= options.rows; row++) {
    for (let column = 0; column < options.columns; column++) {
      ways.push({
        id: `street-${row}-${column}`,
        roadClass: row === 0 ? 'secondary' : 'residential',
        coords: [corner(column, row), corner(column + 1, row)],
        speedKmh: row === 0 ? 50 : 30,
        oneway: false,
      })
    }
  }
  for (let column = 0; column <= options.columns; column++) {
    for (let row = 0; row < options.rows; row++) {
      ways.push({
        id: `avenue-${column}-${row}`,
        roadClass: 'residential',
        coords: [corner(column, row), corner(column, row + 1)],
        speedKmh: 30,
        oneway: false,
      })
    }
  }
  return { source: 'SYNTHETIC test grid town', ways }
}

const projection = createLocalProjection(30.22, 121.25)

/** The place `eastM` east and `northM` north of the grid's south-west corner. */
export function gridPlace(eastM: number, northM: number): LatLon {
  return { lat: projection.lat(northM), lon: projection.lon(eastM) }
}
