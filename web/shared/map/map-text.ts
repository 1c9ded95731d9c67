import type { Lang } from '../language.js'

/** The words of the map itself, the same on every page. */
export interface MapText {
  zoomIn: string
  zoomOut: string
  /** The map as a whole, for a screen reader. */
  label: string
}

export const mapText: Record<Lang, MapText> = {
  zh: { zoomIn: '放大', zoomOut: '缩小', label: '地图' },
  en: { zoomIn: 'Zoom in', zoomOut: 'Zoom out', label: 'Map' },
}
