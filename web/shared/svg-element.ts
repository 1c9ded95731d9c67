import { projectToMap, type MapLayout } from './map-projection.js'

const svgNs = 'http://www.w3.org/2000/svg'

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  return element
}

/** Tenths of a pixel are as fine as a screen shows; shorter numbers keep the SVG small. */
export const roundPx = (n: number) => Math.round(n * 10) / 10

/** A GeoJSON line's positions as an SVG `points` attribute on the map. */
export function svgPoints(layout: MapLayout, coordinates: [lon: number, lat: number][]): string {
  return coordinates
    .map(([lon, lat]) => projectToMap(layout, { lat, lon }))
    .map((p) => `${roundPx(p.x)},${roundPx(p.y)}`)
    .join(' ')
}
