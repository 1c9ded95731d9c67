import { describe, expect, it } from 'vitest'
import { decodeOsmXml } from './osm-xml-decoder.js'
import { importOsmRoads } from './osm-road-import.js'
import type { OsmTags } from './osm-elements.js'
import { GeoError } from '../geo-error.js'

const EXTRACT = `<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="hand">
  <bounds minlat="43.73" minlon="7.41" maxlat="43.74" maxlon="7.43"/>
  <node id="1" lat="43.7300000" lon="7.4100000" version="1"/>
  <node id="2" lat='43.7310000' lon='7.4110000'>
    <tag k="highway" v="traffic_signals"/>
  </node>
  <node id="3" lat="43.7320000" lon="7.4120000"/>
  <node id="4" lat="43.7330000" lon="7.4130000"/>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/>
    <tag k="name" v="Rue &quot;Grimaldi&quot; &amp; Fils &#233;"/>
    <tag k="oneway" v="-1"/>
  </way>
  <way id="11">
    <nd ref="3"/><nd ref="4"/><nd ref="99"/>
    <tag k="highway" v="footway"/>
  </way>
  <way id="12">
    <nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="primary"/>
    <tag k="maxspeed" v="FR:urban"/>
  </way>
  <relation id="20">
    <member type="way" ref="10" role=""/>
    <tag k="type" v="route"/>
  </relation>
</osm>`

describe('decodeOsmXml', () => {
  it('reads nodes, ways with their node references and tags, and skips relations', () => {
    const nodes: [number, number, number][] = []
    const ways: [number, number[], OsmTags][] = []
    decodeOsmXml(EXTRACT, { node: (...node) => nodes.push(node), way: (...way) => ways.push(way) })
    expect(nodes).toEqual([
      [1, 7.41, 43.73],
      [2, 7.411, 43.731],
      [3, 7.412, 43.732],
      [4, 7.413, 43.733],
    ])
    expect(ways.map(([id, refs]) => [id, refs])).toEqual([
      [10, [1, 2, 3]],
      [11, [3, 4, 99]],
      [12, [3, 4]],
    ])
    expect(ways[0]![2]).toEqual({ highway: 'residential', name: 'Rue "Grimaldi" & Fils é', oneway: '-1' })
  })

  it('refuses what is not OSM XML', () => {
    expect(() => decodeOsmXml('{"type":"FeatureCollection"}', { node() {}, way() {} })).toThrow(GeoError)
  })

  it('feeds the road import like a PBF does', () => {
    const { network, stats } = importOsmRoads(new TextEncoder().encode(EXTRACT), {
      format: 'xml',
      source: 'hand',
    })
    expect(stats).toMatchObject({
      nodesRead: 4,
      waysRead: 3,
      roadWaysKept: 2,
      roadWaysWritten: 2,
      onewayRoadWays: 1,
    })
    const [residential, primary] = network.ways
    expect(residential).toMatchObject({ id: 'way/10', oneway: true, roadClass: 'residential' })
    expect(residential!.coords).toEqual([
      [7.412, 43.732],
      [7.411, 43.731],
      [7.41, 43.73],
    ])
    expect(primary).toMatchObject({ id: 'way/12', maxSpeedKmh: 50, oneway: false })
  })

  it('splits a way where the extract lacks its nodes', () => {
    const cut = EXTRACT.replace(
      '<nd ref="1"/><nd ref="2"/><nd ref="3"/>',
      '<nd ref="1"/><nd ref="2"/><nd ref="98"/><nd ref="3"/><nd ref="4"/>',
    )
    const { network, stats } = importOsmRoads(new TextEncoder().encode(cut), {
      format: 'xml',
      source: 'hand',
    })
    expect(stats.missingNodeRefs).toBe(1)
    expect(
      network.ways.filter((way) => way.id.startsWith('way/10')).map((way) => [way.id, way.coords.length]),
    ).toEqual([
      ['way/10#1', 2],
      ['way/10#2', 2],
    ])
  })
})
