import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RoadNetwork } from '../geo/roads/road-network.js'
import { loadRoadNetwork } from '../server/core/routing/start-router.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { embeddedStore, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The map's base layer over HTTP: the platform's own roads (the Cixi network, ROADS_FILE's default)
 * for anyone signed in and no one else, only those in the box and of the classes the zoom draws, a
 * bad box refused naming `bbox`, and an answer a browser may keep and revalidate.
 */
const roadsFile = fileURLToPath(new URL('../fixtures/cixi/roads.json', import.meta.url))
/** Hushan, the city: some kilometres each way. */
const hushan = '121.22,30.14,121.28,30.19'

describe('the map’s roads API', () => {
  let store: TestDatabase
  let app: HttpApp
  let tokens: Record<ScenarioCaller, string>
  let network: RoadNetwork
  let networkLoads = 0
  const call = (path: string, caller?: ScenarioCaller) => callApi(app, 'GET', path, caller && tokens[caller])
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const classesOf = (body: Record<string, any>) =>
    new Set((body.features as { properties: { roadClass: string } }[]).map((f) => f.properties.roadClass))

  beforeAll(async () => {
    store = await embeddedStore.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    network = await loadRoadNetwork(roadsFile)
    ;({ app, tokens } = await createScenarioApi(store.db, settableClock(scenario.monday0710), {
      roadNetwork: async () => {
        networkLoads++
        return network
      },
    }))
  })
  afterAll(() => store.dispose())

  it('answers every person signed in, and no terminal, service or stranger', async () => {
    for (const caller of ['bureau', 'schoolS1', 'attendantB1', 'parentP1'] as const) {
      const answer = await call(`/api/map/roads?bbox=${hushan}&zoom=14`, caller)
      expect(answer.status, caller).toBe(200)
      expect(answer.body.type).toBe('FeatureCollection')
      expect(answer.body.features.length, caller).toBeGreaterThan(50)
    }
    expect((await call(`/api/map/roads?bbox=${hushan}&zoom=14`)).status).toBe(401)
    for (const caller of ['deviceB1', 'service'] as const)
      expect((await call(`/api/map/roads?bbox=${hushan}&zoom=14`, caller)).status, caller).toBe(403)
    // The network is indexed once, at the first request.
    expect(networkLoads).toBe(1)
  })

  it('gives the roads reaching into the box, with their class and name, thinned by zoom', async () => {
    const close = (await call(`/api/map/roads?bbox=${hushan}&zoom=15`, 'parentP1')).body
    const [west, south, east, north] = hushan.split(',').map(Number) as [number, number, number, number]
    for (const feature of close.features) {
      expect(feature.geometry.type).toBe('LineString')
      const coords = feature.geometry.coordinates as [number, number][]
      const lons = coords.map(([lon]) => lon)
      const lats = coords.map(([, lat]) => lat)
      expect(Math.max(...lons)).toBeGreaterThanOrEqual(west)
      expect(Math.min(...lons)).toBeLessThanOrEqual(east)
      expect(Math.max(...lats)).toBeGreaterThanOrEqual(south)
      expect(Math.min(...lats)).toBeLessThanOrEqual(north)
    }
    // Every way of the network inside the box, and no other.
    const inside = network.ways.filter((way) =>
      way.coords.every(([lon, lat]) => lon >= west && lon <= east && lat >= south && lat <= north),
    )
    expect(close.features.length).toBeGreaterThanOrEqual(inside.length)
    expect(close.features.length).toBeLessThan(network.ways.length)
    const named = close.features.filter((f: { properties: { name?: string } }) => f.properties.name)
    expect(named.length).toBeGreaterThan(0)
    expect(classesOf(close)).toContain('residential')

    // The county at a glance: its arterials only, and far fewer of them.
    const county = (await call('/api/map/roads?bbox=121.0,29.95,121.65,30.4&zoom=10', 'parentP1')).body
    expect([...classesOf(county)].sort()).toEqual(['motorway', 'primary', 'secondary', 'trunk'])
    expect(county.features.length).toBeLessThan(network.ways.length / 5)
  })

  it.each([
    ['', 'query.bbox'],
    ['?zoom=14', 'query.bbox'],
    ['?bbox=121.2,30.1,121.3&zoom=14', 'query.bbox'],
    ['?bbox=west,south,east,north&zoom=14', 'query.bbox'],
    ['?bbox=121.3,30.1,121.2,30.2&zoom=14', 'query.bbox'],
    ['?bbox=181,30.1,182,30.2&zoom=14', 'query.bbox'],
    [`?bbox=${hushan}`, 'query.zoom'],
    [`?bbox=${hushan}&zoom=14.5`, 'query.zoom'],
    [`?bbox=${hushan}&zoom=23`, 'query.zoom'],
  ])('refuses %s naming %s', async (query, field) => {
    const answer = await call(`/api/map/roads${query}`, 'bureau')
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'bad_request', field } } })
  })

  it('refuses a box too large for its zoom, saying how large it may be', async () => {
    const county = '121.0,29.95,121.65,30.4'
    const answer = await call(`/api/map/roads?bbox=${county}&zoom=16`, 'bureau')
    expect(answer).toMatchObject({ status: 400, body: { error: { field: 'query.bbox' } } })
    expect(answer.body.error.message).toMatch(/too large for zoom 16: at most 0\.176° each way/)
    expect((await call(`/api/map/roads?bbox=${county}&zoom=12`, 'bureau')).status).toBe(200)
  })

  it('lets the browser keep an answer an hour and ask again with its ETag, and gzips it', async () => {
    const path = `/api/map/roads?bbox=${hushan}&zoom=14`
    const headers = { authorization: `Bearer ${tokens.parentP1}` }
    const first = await app.request(path, { headers: { ...headers, 'accept-encoding': 'gzip' } })
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('private, max-age=3600')
    expect(first.headers.get('content-encoding')).toBe('gzip')
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await app.request(path, { headers: { ...headers, 'if-none-match': etag! } })
    expect(again.status).toBe(304)
    // Another box is another answer.
    const other = await app.request(`/api/map/roads?bbox=121.22,30.14,121.25,30.19&zoom=14`, { headers })
    expect(other.headers.get('etag')).not.toBe(etag)
    // Every other API answer is still kept out of caches.
    const me = await app.request('/api/me', { headers })
    expect(me.headers.get('cache-control')).toBe('no-store')
  })

  it('says the roads are unavailable where the process has no road network', async () => {
    const bare = await createScenarioApi(store.db, settableClock(scenario.monday0710))
    const answer = await callApi(bare.app, 'GET', `/api/map/roads?bbox=${hushan}&zoom=14`, bare.tokens.bureau)
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } })
  })
})
