import type { OsmElementSink, OsmTags } from './osm-elements.js'
import { GeoError } from '../geo-error.js'

/*
 * OSM XML (as written by the OSM API, JOSM and osmium) is flat and regular: <node>, <way> with
 * <nd ref> and <tag k v> children, attributes in single or double quotes. A scanner over its
 * elements reads it without an XML library; comments, CDATA and DTDs do not occur in it.
 */
const ELEMENT = /<(\/?)(node|way|relation|nd|tag)\b([^>]*?)(\/?)>/g
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export function decodeOsmXml(text: string, sink: OsmElementSink): void {
  if (!/<osm\b/.test(text.slice(0, 4096))) {
    throw new GeoError('invalid_input', 'not an OSM XML file: no <osm> element at its start')
  }
  let way: { id: number; refs: number[]; tags: OsmTags } | undefined
  for (const match of text.matchAll(ELEMENT)) {
    const [, closing, name, attributeText, selfClosing] = match
    if (closing) {
      if (name === 'way' && way) sink.way(way.id, way.refs, way.tags)
      way = undefined
      continue
    }
    const attributes = readAttributes(attributeText ?? '')
    if (name === 'node') {
      sink.node(
        readNumber(attributes, 'id', match),
        readNumber(attributes, 'lon', match),
        readNumber(attributes, 'lat', match),
      )
    } else if (name === 'way') {
      way = { id: readNumber(attributes, 'id', match), refs: [], tags: {} }
      if (selfClosing) {
        sink.way(way.id, way.refs, way.tags)
        way = undefined
      }
    } else if (name === 'relation') {
      way = undefined
    } else if (way && name === 'nd') {
      way.refs.push(readNumber(attributes, 'ref', match))
    } else if (way && name === 'tag' && attributes.k !== undefined && attributes.v !== undefined) {
      way.tags[attributes.k] = attributes.v
    }
  }
}

function readAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [, key, doubleQuoted, singleQuoted] of text.matchAll(ATTRIBUTE)) {
    attributes[key!] = decodeEntities(doubleQuoted ?? singleQuoted ?? '')
  }
  return attributes
}

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(ENTITY, (_entity, hex?: string, decimal?: string, named?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16))
    if (decimal) return String.fromCodePoint(parseInt(decimal, 10))
    return NAMED_ENTITIES[named!]!
  })
}

function readNumber(attributes: Record<string, string>, key: string, match: RegExpExecArray): number {
  const value = Number(attributes[key])
  if (attributes[key] === undefined || !Number.isFinite(value)) {
    throw new GeoError(
      'invalid_input',
      `OSM XML: <${match[2]}> at character ${match.index} has no numeric ${key}`,
    )
  }
  return value
}
