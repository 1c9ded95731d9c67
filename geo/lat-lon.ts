/** A WGS-84 point. Every coordinate inside the platform is WGS-84 (DESIGN §1). */
export interface LatLon {
  lat: number
  lon: number
}

/** GeoJSON order, used for geometry only. */
export type LonLatPosition = [lon: number, lat: number]
