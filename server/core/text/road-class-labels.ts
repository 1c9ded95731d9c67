import { roadClasses, type RoadClass } from '../../../geo/roads/road-network.js'
import type { Label } from './label.js'

/** Where a fix matched no road (the report's over-speed breakdown counts it too). */
export type RoadClassOrUnknown = RoadClass | 'unknown'

/** Road classes in words, for the pages and the report files alike. */
export const roadClassLabels: Readonly<Record<RoadClassOrUnknown, Label>> = {
  motorway: { zh: '高速公路', en: 'Motorway' },
  trunk: { zh: '快速路', en: 'Trunk road' },
  primary: { zh: '主干道', en: 'Primary road' },
  secondary: { zh: '次干道', en: 'Secondary road' },
  tertiary: { zh: '支路', en: 'Tertiary road' },
  unclassified: { zh: '乡村道路', en: 'Rural road' },
  residential: { zh: '居住区道路', en: 'Residential road' },
  service: { zh: '服务道路', en: 'Service road' },
  unknown: { zh: '未知道路', en: 'Unknown road' },
}

/** In the order columns take: the road classes fastest first, unknown last. */
export const roadClassOrder: readonly RoadClassOrUnknown[] = [...roadClasses, 'unknown']

/** A road class in words; one the platform does not know is named by itself. */
export function roadClassLabel(roadClass: string): Label {
  return Object.hasOwn(roadClassLabels, roadClass)
    ? roadClassLabels[roadClass as RoadClassOrUnknown]
    : { zh: roadClass, en: roadClass }
}
