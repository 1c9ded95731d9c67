import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runImportOsm } from './import-osm-cli.js'
import { parseRoadNetwork } from './road-network-schema.js'
import { MONACO_PBF } from '../../test/support/test-data.js'

describe('import:osm', () => {
  const dirPromise = mkdtemp(join(tmpdir(), 'import-osm-'))
  afterAll(async () => rm(await dirPromise, { recursive: true, force: true }))

  it('writes the Monaco roads as RoadNetwork JSON and reports the pruned nodes', async () => {
    const out = join(await dirPromise, 'nested', 'roads.json')
    const lines: string[] = []
    await runImportOsm([MONACO_PBF, '--out', out], (line) => lines.push(line))
    const network = parseRoadNetwork(JSON.parse(await readFile(out, 'utf8')))
    expect(network.source).toContain('monaco.osm.pbf')
    expect(network.ways.length).toBeGreaterThan(1000)
    const summary = lines.join('\n')
    expect(summary).toContain(`wrote ${network.ways.length}`)
    expect(summary).toMatch(/dropped [1-9]\d* of \d+ nodes outside the largest strongly connected component/)
  })

  it('refuses a call without --out, or a file of unknown format', async () => {
    await expect(runImportOsm([MONACO_PBF], () => {})).rejects.toThrow(/usage/)
    await expect(runImportOsm(['roads.geojson', '--out', 'x.json'], () => {})).rejects.toThrow(/format/)
  })
})
