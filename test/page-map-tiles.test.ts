import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import gcoordModule from 'gcoord'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld, type Trip } from '../fixtures/cixi-world.js'
import { haversineM } from '../geo/routing/earth-distance.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { openAsStaff } from './support/staff-session.js'
import { waitFor } from './support/wait-for.js'

/** gcoord declares an ES default export, but it is CommonJS and its module.exports is that object. */
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default']

/**
 * The pages' map on GCJ-02 tiles, as China's web maps draw them: a tile server of the test's own
 * (one grey PNG for every tile) named by TILE_URL with TILE_DATUM=gcj02. The tiles are asked for and
 * shown under the platform's roads, the content security policy lets them in, the credit is shown
 * as written, and the schools sit where gcoord puts them in GCJ-02, some hundreds of metres from
 * their WGS-84 place.
 */
const chromiumPath = testChromiumPath()
const credit = '© 测试底图 <b>not markup</b>'

/** A 256-pixel square PNG of one grey, made here: signature, header, pixels, end. */
function greyTile(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const check = Buffer.alloc(4)
    check.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, check])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(256, 0)
  header.writeUInt32BE(256, 4)
  header.set([8, 0, 0, 0, 0], 8) // 8-bit greyscale, no interlace
  // Each row: filter byte 0, then 256 grey pixels.
  const rows = Buffer.alloc(257 * 256, 0xd8)
  for (let row = 0; row < 256; row++) rows[row * 257] = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A morning trip with a pupil at its third stop, and the time its bus leaves the second. */
function pickTrip(world: CixiWorld) {
  const trip = world.trips.find(
    (t): t is Trip => t.direction === 'to_school' && t.stops.length >= 4 && t.stops[2]!.board.length > 0,
  )!
  const pupilId = trip.stops[2]!.board[0]!
  const guardian = world.guardians.find((g) => g.pupilIds.includes(pupilId))!
  const gate = world.stops.find((stop) => stop.id === trip.stops.at(-1)!.stopId)!
  return { pupilId, guardian, gate, localTime: trip.stops[1]!.depart.slice(0, 5) }
}

const toGcj02 = (lat: number, lon: number) => {
  const [gcjLon, gcjLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02)
  return { lat: gcjLat, lon: gcjLon }
}

describe.skipIf(!chromiumPath)('the pages’ map on GCJ-02 tiles in Chromium', () => {
  let tileServer: Server
  const tilesAsked: { z: number; x: number; y: number }[] = []
  let suite: PageSuite | undefined
  let world: CixiWorld
  let picked: ReturnType<typeof pickTrip>

  beforeAll(async () => {
    const tile = greyTile()
    tileServer = createServer((request, response) => {
      const match = request.url?.match(/^\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/)
      if (!match) return response.writeHead(404).end()
      tilesAsked.push({ z: Number(match[1]), x: Number(match[2]), y: Number(match[3]) })
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': tile.length }).end(tile)
    })
    await new Promise<void>((resolve) => tileServer.listen(0, '127.0.0.1', resolve))
    const { port } = tileServer.address() as AddressInfo
    world = await loadCixiWorld()
    picked = pickTrip(world)
    suite = await startPageSuite('page-map-tiles', chromiumPath!, {
      clock: schoolDayClock(picked.localTime),
      env: {
        TILE_URL: `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png`,
        TILE_DATUM: 'gcj02',
        TILE_ATTRIBUTION: credit,
      },
    })
  }, 120_000)

  afterAll(async () => {
    await suite?.stop()
    await new Promise((resolve) => tileServer?.close(resolve))
  })

  it('draws the planner’s schools on the tiles’ datum, over the tiles and the platform’s roads', async () => {
    const { platform, browser } = suite!
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    ).newPage()
    await openAsStaff(
      page,
      platform.httpUrl!,
      '/planner',
      await platform.tokens.issue({ role: 'bureau', sub: 'b' }),
    )
    const mapElement = page.locator('#map')
    const roadZoom = Number(
      await waitFor(
        () => mapElement.getAttribute('data-road-zoom'),
        (zoom) => zoom !== null,
        'the roads under the map',
      ),
    )
    expect(Number(await mapElement.getAttribute('data-road-count'))).toBeGreaterThan(0)
    await waitFor(
      () => page.locator('.leaflet-tile-loaded').count(),
      (n) => n > 0,
      'the tiles shown',
    )
    // The tiles of the view, at the zoom the map shows, came from the tile server.
    expect(tilesAsked.length).toBeGreaterThan(0)
    expect(tilesAsked.map((tile) => tile.z)).toContain(roadZoom)
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain(credit)

    const marked = await page.locator('.school-marker').evaluateAll((marks) =>
      marks.map((m) => ({
        lat: Number(m.getAttribute('data-lat')),
        lng: Number(m.getAttribute('data-lng')),
      })),
    )
    expect(marked).toHaveLength(world.schools.length)
    for (const { name, location } of world.schools) {
      const expected = toGcj02(location.lat, location.lon)
      const mark = marked.find(
        (m) => Math.abs(m.lat - expected.lat) < 1e-6 && Math.abs(m.lng - expected.lon) < 1e-6,
      )
      expect(mark, name).toBeDefined()
      // Not where the registers put it in WGS-84: on GCJ-02 tiles that place is off the school's street.
      expect(haversineM(mark!.lat, mark!.lng, location.lat, location.lon), name).toBeGreaterThan(200)
    }
    await page.locator('#map').screenshot({ path: path.join(artifactsDir, 'planner-map-gcj02-tiles.png') })
    await page.context().close()
  })

  it('draws the parent’s school and stop shifted alike, the bus’s road with them', async () => {
    const { platform, browser } = suite!
    const token = await platform.tokens.issue({
      role: 'parent',
      sub: picked.guardian.id,
      pupilIds: picked.guardian.pupilIds,
    })
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${platform.httpUrl}/parent#token=${token}&pupil=${picked.pupilId}`)
    const school = page.locator('.school-marker')
    await school.waitFor()
    const expected = toGcj02(picked.gate.location.lat, picked.gate.location.lon)
    expect(Number(await school.getAttribute('data-lat'))).toBeCloseTo(expected.lat, 6)
    expect(Number(await school.getAttribute('data-lng'))).toBeCloseTo(expected.lon, 6)
    await waitFor(
      () => page.locator('.leaflet-tile-loaded').count(),
      (n) => n > 0,
      'the tiles on a phone',
    )
    await waitFor(
      () => page.locator('#map').getAttribute('data-road-count'),
      (n) => Number(n) > 0,
      'the roads on a phone',
    )
    await page.screenshot({ path: path.join(artifactsDir, 'parent-map-gcj02-tiles.png') })
    await context.close()
  })

  it('blocked nothing under the pages’ content security policy, the tile server’s images included', () => {
    expect(contentSecurityViolations(suite!.browser)).toEqual([])
  })
})
