export type OsmTags = Record<string, string>

/**
 * Receives what a decoder reads, in file order (nodes before ways in every sorted extract). Only
 * what the road import needs: node positions and ways with their tags; relations are skipped.
 */
export interface OsmElementSink {
  node(id: number, lon: number, lat: number): void
  way(id: number, refs: number[], tags: OsmTags): void
}
