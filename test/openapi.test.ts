import { randomUUID } from 'node:crypto'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { roles, type Role } from '../server/core/auth/principal.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { apiOperations } from '../server/http/openapi/api-operations.js'
import { toOpenApiPath } from '../server/http/openapi/build-openapi-document.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { embeddedStore, type TestDatabase } from './support/store-backends.js'
import { scenarioPrincipals, settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The API's OpenAPI document against the app it describes: a valid OpenAPI 3.1 document, one
 * operation for every route under /api and of the public feeds and no operation without its route,
 * the request schemas refusing what the routes refuse, and the roles it names being the only ones
 * the routes let in.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const describedPrefixes = ['/api/', '/gtfs/', '/gtfs-rt/']
const isDescribed = (path: string) => path === '/health' || describedPrefixes.some((p) => path.startsWith(p))

/** Path parameters that name something of the scenario, so that a route gets past its parameters. */
const sampleParams: Record<string, string> = {
  busId: 'B1',
  tripId: 'T1',
  pupilId: 'P1',
  schoolId: 'S1',
  id: randomUUID(),
  register: 'pupils',
  key: 'no-such-record',
  file: 'api-docs.js',
}
const withSampleParams = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_match, name: string) => sampleParams[name] ?? 'X')

/** One scenario caller of each role. */
const callerOfRole = Object.fromEntries(
  (Object.entries(scenarioPrincipals) as [ScenarioCaller, { role: Role }][])
    .reverse()
    .map(([caller, principal]) => [principal.role, caller]),
) as Record<Role, ScenarioCaller>

describe('the API described as OpenAPI', () => {
  let store: TestDatabase
  let app: HttpApp
  let tokens: Record<ScenarioCaller, string>
  let document: Json
  const call = (method: string, path: string, caller: ScenarioCaller | undefined, body?: unknown) =>
    callApi(app, method, path, caller && tokens[caller], body)
  /** Any route, files and feeds too: the status, and the error body when there is one. */
  const ask = async (method: string, path: string, caller?: ScenarioCaller) => {
    const answer = await app.request(path, {
      method,
      headers: caller ? { authorization: `Bearer ${tokens[caller]}` } : {},
    })
    const isJson = answer.headers.get('content-type')?.startsWith('application/json')
    const body = (isJson ? await answer.json() : {}) as Json
    return { status: answer.status, error: body.error as Json | undefined }
  }
  const operationsOf = () =>
    Object.entries(document.paths as Json).flatMap(([path, methods]) =>
      Object.entries(methods as Json).map(([method, operation]) => ({
        path,
        method,
        operation: operation as Json,
      })),
    )

  beforeAll(async () => {
    store = await embeddedStore.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    ;({ app, tokens } = await createScenarioApi(store.db, settableClock(scenario.monday0710)))
    const answer = await app.request('/api/openapi.json')
    expect(answer.status).toBe(200)
    document = (await answer.json()) as Json
  })
  afterAll(() => store.dispose())

  it('is a valid OpenAPI 3.1 document, served without a token', async () => {
    const validator = new Validator()
    const result = await validator.validate(document)
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' })
  })

  it('describes every route of the API and the public feeds, and nothing else', () => {
    const routed = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL' && isDescribed(route.path))
        .map((route) => `${route.method} ${route.path}`),
    )
    const described = new Set(apiOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`))
    expect(
      [...routed].filter((route) => !described.has(route)),
      'routes without a description',
    ).toEqual([])
    expect(
      [...described].filter((op) => !routed.has(op)),
      'descriptions without a route',
    ).toEqual([])
    expect(routed.size).toBeGreaterThan(60)

    const inDocument = new Set(operationsOf().map(({ path, method }) => `${method.toUpperCase()} ${path}`))
    for (const op of apiOperations) {
      expect(inDocument).toContain(`${op.method.toUpperCase()} ${toOpenApiPath(op.path)}`)
    }
    expect(inDocument.size).toBe(described.size)
  })

  it('gives each operation a summary, its callers, its success and its refusals with the error body', () => {
    for (const { path, method, operation } of operationsOf()) {
      const what = `${method} ${path}`
      expect(operation.summary, what).toBeTruthy()
      expect(operation.description, what).toMatch(/Callers: |Open to anyone/)
      const statuses = Object.keys(operation.responses).map(Number)
      expect(
        statuses.some((status) => status < 300),
        what,
      ).toBe(true)
      const refusals = Object.values(operation.responses as Json)
        .map((response) => response.content?.['application/json']?.schema?.allOf)
        .filter(Boolean)
      for (const [errorBody, codes] of refusals) {
        expect(errorBody, what).toEqual({ $ref: '#/components/schemas/Error' })
        expect(codes.properties.error.properties.code.enum.length, what).toBeGreaterThan(0)
      }
      if (operation.security.length > 0) {
        expect(operation.responses[401].content['application/json'].schema.allOf, what).toBeDefined()
      } else expect(operation['x-roles'], what).toEqual([])
    }
    const errorBody = document.components.schemas.Error.properties.error
    expect(errorBody.required).toEqual(['code', 'message'])
    expect(errorBody.properties.code.enum).toEqual(expect.arrayContaining(['bad_request', 'rate_limited']))
  })

  it('asks a token exactly where the route does', async () => {
    for (const { path, method, operation } of operationsOf()) {
      const answer = await ask(method.toUpperCase(), withSampleParams(path))
      const what = `${method} ${path}: ${JSON.stringify(answer.error)}`
      if (operation.security.length > 0) expect(answer.status, what).toBe(401)
      else expect(answer.status, what).not.toBe(401)
    }
  })

  it('names every role a route lets in: the others are refused', async () => {
    for (const { path, method, operation } of operationsOf()) {
      if (operation.security.length === 0) continue
      const named: Role[] = operation['x-roles']
      const others = roles.filter((role) => !named.includes(role))
      // An administrator's route refuses the scenario's bureau, who is none.
      if (operation['x-admin-only']) others.push('bureau')
      for (const role of others) {
        const answer = await ask(method.toUpperCase(), withSampleParams(path), callerOfRole[role])
        expect(answer.status, `${role}: ${method} ${path}: ${JSON.stringify(answer.error)}`).toBe(403)
      }
      if (method !== 'get' || operation['x-admin-only']) continue
      // Reading has no side effects: a named role is never refused for its role.
      for (const role of named) {
        const answer = await ask('GET', withSampleParams(path), callerOfRole[role])
        expect(answer.error?.message ?? '', `${role}: GET ${path}`).not.toMatch(/ role may not /)
      }
    }
  })

  const bodySchema = (path: string, method: string): Json =>
    document.paths[path][method].requestBody.content['application/json'].schema

  it.each([
    ['PATCH', '/api/trips/{tripId}', 'bureau', { busId: 'B1' }],
    [
      'POST',
      '/api/events/acknowledge',
      'bureau',
      { busId: 'B1', kind: 'over_speed', ts: '2026-03-02T07:05:00+08:00' },
    ],
    [
      'POST',
      '/api/trips/{tripId}/boardings',
      'attendantB1',
      { id: randomUUID(), pupilId: 'P1', action: 'boarded', scannedAt: '2026-03-02T07:01:00+08:00' },
    ],
    ['POST', '/api/access/sign-in', undefined, { username: 'nobody', password: 'not a password' }],
  ] as const)(
    '%s %s refuses a body without each field the document requires',
    async (method, path, caller, sample) => {
      const schema = bodySchema(path, method.toLowerCase())
      expect(schema.required.length).toBeGreaterThan(0)
      for (const field of Object.keys(sample)) expect(Object.keys(schema.properties)).toContain(field)
      for (const field of schema.required as string[]) {
        const without: Json = { ...sample }
        delete without[field]
        const answer = await call(method, withSampleParams(path), caller, without)
        expect(answer, `without ${field}`).toMatchObject({
          status: 400,
          body: { error: { code: 'bad_request', field: `body.${field}` } },
        })
      }
      // What the document asks is enough: the whole sample passes the route's schema.
      const answer = await call(method, withSampleParams(path), caller, sample)
      expect(answer.body.error?.field, JSON.stringify(answer.body)).toBeUndefined()
    },
  )

  const queryParameter = (path: string, name: string): Json =>
    (document.paths[path].get.parameters as Json[]).find((p) => p.in === 'query' && p.name === name)!

  it('refuses a query the document rules out, and takes one it allows', async () => {
    const limit = queryParameter('/api/events', 'limit').schema
    expect(limit.maximum).toBe(1000)
    expect((await call('GET', `/api/events?limit=${limit.maximum}`, 'bureau')).status).toBe(200)
    expect(await call('GET', `/api/events?limit=${limit.maximum + 1}`, 'bureau')).toMatchObject({
      status: 400,
      body: { error: { field: 'query.limit' } },
    })

    for (const name of ['from', 'to']) expect(queryParameter('/api/ridership', name).required).toBe(true)
    expect(await call('GET', '/api/ridership?to=2026-03-02', 'bureau')).toMatchObject({
      status: 400,
      body: { error: { field: 'query.from' } },
    })
    expect((await call('GET', '/api/ridership?from=2026-03-02&to=2026-03-02', 'bureau')).status).toBe(200)

    const planId = (document.paths['/api/plans/{id}'].get.parameters as Json[])[0]!
    expect(planId).toMatchObject({ in: 'path', name: 'id', schema: { format: 'uuid' } })
    expect(await call('GET', '/api/plans/not-a-plan', 'bureau')).toMatchObject({
      status: 400,
      body: { error: { field: 'params.id' } },
    })
  })
})
