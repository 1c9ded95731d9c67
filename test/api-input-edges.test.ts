import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpApp } from '../server/http/create-http-app.js'
import { smallBodyMaxBytes } from '../server/http/read-request.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * What the API does with input a careless or hostile client sends: times the store cannot hold,
 * control characters in ids, bodies too large or from a role that may not write, and the headers
 * that keep its answers out of caches and away from type sniffing.
 */
const yearZero = '0000-01-01T00:00:00Z'

describe.each(storeBackends())('the API’s edges on $name', (backend) => {
  let store: TestDatabase
  let app: HttpApp
  const clock = settableClock(scenario.monday0710)
  let tokens: Record<ScenarioCaller, string>
  const call = (method: string, path: string, caller: ScenarioCaller | undefined, body?: unknown) =>
    callApi(app, method, path, caller && tokens[caller], body)

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    ;({ app, tokens } = await createScenarioApi(store.db, clock))
  })
  afterAll(() => store.dispose())

  const scan = (fields: Record<string, unknown>) => ({
    id: randomUUID(),
    pupilId: 'P1',
    action: 'boarded',
    stopId: 'ST1',
    scannedAt: '2026-03-02T07:01:00+08:00',
    ...fields,
  })

  it.each([
    [
      'GET',
      `/api/buses/B1/positions?from=${yearZero}&to=2026-03-02T08:00:00Z`,
      'bureau',
      undefined,
      'query.from',
    ],
    ['GET', `/api/events?from=${yearZero}`, 'bureau', undefined, 'query.from'],
    ['GET', `/api/events?to=3000-01-01T00:00:00Z`, 'bureau', undefined, 'query.to'],
    ['GET', '/api/ridership?from=0000-01-01&to=2026-03-02', 'bureau', undefined, 'query.from'],
    ['GET', '/api/trips/T1/boardings?date=0000-01-01', 'attendantB1', undefined, 'query.date'],
    ['POST', '/api/trips/T1/boardings', 'attendantB1', scan({ scannedAt: yearZero }), 'body.scannedAt'],
    [
      'POST',
      '/api/trips/T1/boardings',
      'attendantB1',
      scan({ scannedAt: '2026-02-30T07:01:00Z' }),
      'body.scannedAt',
    ],
    [
      'POST',
      '/api/events/acknowledge',
      'bureau',
      { busId: 'B1', kind: 'over_speed', ts: yearZero },
      'body.ts',
    ],
    ['POST', '/api/trips/T1/end', 'attendantB1', { confirmedEmpty: true, endedAt: yearZero }, 'body.endedAt'],
  ] as const)('refuses an impossible time: %s %s', async (method, path, caller, body, field) => {
    const answer = await call(method, path, caller, body)
    expect(answer, JSON.stringify(answer.body)).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', field } },
    })
  })

  it.each([
    ['/api/buses/%00', 'params.busId'],
    ['/api/buses/B%001/positions?from=2026-03-02T07:00:00Z&to=2026-03-02T08:00:00Z', 'params.busId'],
    ['/api/trips/%01T1', 'params.tripId'],
    ['/api/trips/T1%00/roster', 'params.tripId'],
    ['/api/pupils/%00', 'params.pupilId'],
    ['/api/pupils/%00/ride', 'params.pupilId'],
    ['/api/schools/%7F', 'params.schoolId'],
    ['/api/events?kind=%00', 'query.kind'],
  ])('refuses a control character in an id: %s', async (path, field) => {
    const answer = await call('GET', path, 'bureau')
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'bad_request', field } } })
  })

  it('refuses a control character in an id in a body', async () => {
    const ack = await call('POST', '/api/events/acknowledge', 'bureau', {
      busId: 'B1\u0000',
      kind: 'over_speed',
      ts: '2026-03-02T07:00:00Z',
    })
    expect(ack).toMatchObject({ status: 400, body: { error: { field: 'body.busId' } } })
    const code = await call('POST', '/api/trips/T1/boardings', 'attendantB1', {
      ...scan({ pupilId: undefined }),
      pupilCode: 'P0000\u00001',
    })
    expect(code).toMatchObject({ status: 400, body: { error: { field: 'body.pupilCode' } } })
  })

  it('checks the role and scope before reading a body: a malformed one from a parent gets 403', async () => {
    for (const [path, caller] of [
      ['/api/trips/T1/boardings', 'parentP1'],
      ['/api/trips/T1/end', 'parentP1'],
      ['/api/trips/T1/boardings', 'attendantB2'],
      ['/api/trips/T1', 'attendantB1'],
      ['/api/events/acknowledge', 'parentP1'],
      ['/api/plans', 'schoolS1'],
    ] as const) {
      const response = await app.request(path, {
        method: path === '/api/trips/T1' ? 'PATCH' : 'POST',
        headers: { authorization: `Bearer ${tokens[caller]}`, 'content-type': 'application/json' },
        body: '{"not json',
      })
      expect(response.status, `${caller} ${path}`).toBe(403)
    }
  })

  it('refuses a body larger than the route takes as it arrives, without reading the rest', async () => {
    const chunkBytes = 4096
    let sentBytes = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sentBytes += chunkBytes
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x20))
        // 300 MB if it were all read.
        if (sentBytes >= 300 * 1024 * 1024) controller.close()
      },
    })
    const response = await app.request('/api/trips/T1/boardings', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.attendantB1}`, 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({
      error: { code: 'too_large', message: expect.stringContaining('body'), field: 'body' },
    })
    // The stream may run a few chunks ahead of the reader, never far.
    expect(sentBytes).toBeLessThan(smallBodyMaxBytes + 8 * chunkBytes)

    const declared = await app.request('/api/trips/T1/end', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.attendantB1}`,
        'content-type': 'application/json',
        'content-length': String(300 * 1024 * 1024),
      },
      body: '{}',
    })
    expect(declared.status).toBe(413)
  })

  it('keeps API answers out of caches and forbids type sniffing everywhere', async () => {
    const answers = [
      await app.request('/api/buses', { headers: { authorization: `Bearer ${tokens.bureau}` } }),
      await app.request('/api/buses'),
      await app.request('/api/nowhere', { headers: { authorization: `Bearer ${tokens.bureau}` } }),
      await app.request('/api/buses/%00', { headers: { authorization: `Bearer ${tokens.bureau}` } }),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 400])
    for (const response of answers) {
      expect(response.headers.get('cache-control'), response.url).toBe('no-store')
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff')
    }
    for (const path of ['/health', '/parent', '/nowhere']) {
      const response = await app.request(path)
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
    expect((await app.request('/parent')).headers.get('cache-control')).toBe('no-cache')
  })
})
