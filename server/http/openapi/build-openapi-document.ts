import { z } from 'zod'
import { roles } from '../../core/auth/principal.js'
import { idSchema } from '../input-schemas.js'
import type { ApiOperation, ErrorCode, SuccessResponse, UploadBody } from './api-operation.js'
import { errorMeanings, reasonMeanings, statusOfErrorCode } from './error-codes.js'

type JsonSchema = Record<string, unknown>

/**
 * A request schema as JSON Schema 2020-12, OpenAPI 3.1's own dialect, on the side a caller sends:
 * a field with a default may be left out, a flag is the text it is parsed from.
 */
function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema
  return rest
}

/**
 * `/api/buses/:busId` as OpenAPI writes it, `/api/buses/{busId}`. A parameter matched by a pattern
 * that ends in an extension keeps the extension (`:register{[^/]+\.csv}` is `{register}.csv`); any
 * other pattern has no OpenAPI form and is refused, so that no path is described loosely.
 */
export function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_match, name: string, pattern: string | undefined) => {
    if (!pattern) return `{${name}}`
    const extension = /^\{\[\^\/\]\+\\(\.\w+)\}$/.exec(pattern)?.[1]
    if (!extension) throw new Error(`${path}: the pattern ${pattern} has no OpenAPI form`)
    return `{${name}}${extension}`
  })
}

const pathParameterNames = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!)

/** The properties of an object schema as OpenAPI parameters of one location. */
function parametersOf(schema: z.ZodType, location: 'path' | 'query', what: string) {
  const json = toJsonSchema(schema)
  const properties = json.properties as Record<string, JsonSchema> | undefined
  if (json.type !== 'object' || !properties) throw new Error(`${what}: the ${location} schema is no object`)
  const required = new Set((json.required as string[] | undefined) ?? [])
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(description === undefined ? {} : { description }),
    schema: property,
  }))
}

function pathParametersOf(operation: ApiOperation, what: string) {
  const names = pathParameterNames(operation.path)
  const declared = operation.params ? parametersOf(operation.params, 'path', what) : []
  const unknown = declared.find((parameter) => !names.includes(parameter.name))
  if (unknown) throw new Error(`${what}: the path has no parameter ${unknown.name}`)
  return names.map(
    (name) =>
      declared.find((parameter) => parameter.name === name) ?? {
        name,
        in: 'path',
        required: true,
        schema: toJsonSchema(idSchema),
      },
  )
}

const isUpload = (body: NonNullable<ApiOperation['body']>): body is UploadBody => 'types' in body

function requestBodyOf(body: NonNullable<ApiOperation['body']>) {
  if (isUpload(body)) {
    return {
      required: true,
      description: body.description,
      content: Object.fromEntries(body.types.map((type) => [type, {}])),
    }
  }
  return { required: true, content: { 'application/json': { schema: toJsonSchema(body) } } }
}

/** The refusals an operation may answer: those its kind always may, and its own. */
function errorCodesOf(operation: ApiOperation): ErrorCode[] {
  const codes = new Set<ErrorCode>()
  if (operation.callers !== 'anyone') {
    codes.add('unauthenticated')
    if (operation.adminOnly || operation.callers.length < roles.length) codes.add('forbidden')
  }
  if (pathParameterNames(operation.path).length > 0 || operation.query || operation.body) {
    codes.add('bad_request')
  }
  if (operation.body) codes.add('too_large')
  for (const code of operation.errors ?? []) codes.add(code)
  return [...codes]
}

const errorSchemaRef = { $ref: '#/components/schemas/Error' }

function errorResponsesOf(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) {
    const status = statusOfErrorCode(code)
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries(
    [...byStatus].map(([status, sameStatus]) => [
      String(status),
      {
        description: sameStatus.map((code) => `\`${code}\`: ${errorMeanings[code]}`).join('; '),
        ...(status === 429
          ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
          : {}),
        content: {
          'application/json': {
            schema: {
              allOf: [
                errorSchemaRef,
                { properties: { error: { properties: { code: { enum: sameStatus } } } } },
              ],
            },
            example: { error: { code: sameStatus[0], message: errorMeanings[sameStatus[0]!] } },
          },
        },
      },
    ]),
  )
}

function successResponseOf(response: SuccessResponse) {
  if (typeof response === 'string') {
    return { description: response, content: { 'application/json': { schema: { type: 'object' } } } }
  }
  return { description: response.description, content: { [response.type]: {} } }
}

/** `get /api/buses/:busId` is `getApiBusesBusId`: a name for generated clients. */
const operationIdOf = (operation: ApiOperation) =>
  operation.method +
  operation.path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')

/** Groups in the reference: the first word after /api, the public feeds together. */
function tagOf(path: string): string {
  const [first, second] = path.split('/').filter(Boolean)
  if (first === 'api') return second!
  return first === 'gtfs' || first === 'gtfs-rt' ? 'public feeds' : first!
}

function callersText(operation: ApiOperation): string {
  if (operation.callers === 'anyone') return 'Open to anyone: no token.'
  const admin = operation.adminOnly ? ' (an administrator of the bureau)' : ''
  return `Callers: ${operation.callers.join(', ')}${admin}.`
}

function operationObject(operation: ApiOperation) {
  const what = `${operation.method.toUpperCase()} ${operation.path}`
  const parameters = [
    ...pathParametersOf(operation, what),
    ...(operation.query ? parametersOf(operation.query, 'query', what) : []),
  ]
  return {
    operationId: operationIdOf(operation),
    tags: [tagOf(operation.path)],
    summary: operation.summary,
    description: [operation.description, callersText(operation)].filter(Boolean).join('\n\n'),
    'x-roles': operation.callers === 'anyone' ? [] : operation.callers,
    ...(operation.adminOnly ? { 'x-admin-only': true } : {}),
    security: operation.callers === 'anyone' ? [] : [{ bearerToken: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: requestBodyOf(operation.body) } : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => [
          status,
          successResponseOf(response!),
        ]),
      ),
      ...errorResponsesOf(errorCodesOf(operation)),
    },
  }
}

const roleMeanings: Record<(typeof roles)[number], string> = {
  bureau: "the transport bureau's staff: everything (an administrator also manages accounts and sessions)",
  school: "a school's staff: its pupils and the buses serving it",
  attendant: "a bus attendant's paired phone: the bus and trips the registers give them today",
  parent: "a guardian's enrolled phone: their children's buses while their trips run",
  device: "a bus terminal: its own bus's telemetry",
  service: "the platform's own processes",
}

const overview = `The HTTP API of the school-transport platform (校车平台), generated from the schemas
the server validates requests with.

**Authentication.** Every operation under \`/api\` except \`/api/access/sign-in\`, \`/api/access/enrol\`,
\`/api/access/pair\`, \`/api/openapi.json\` and \`/api/docs\` takes a session token in the
\`Authorization: Bearer TOKEN\` header; tokens never travel in URLs. Staff get one by signing in,
a guardian's phone by enrolling with the code of its letter, an attendant's phone by pairing. Each
operation names the roles whose tokens it takes (\`x-roles\`); the token's scope then limits what
it returns:

${roles.map((role) => `- \`${role}\`: ${roleMeanings[role]}`).join('\n')}

**Errors.** A refusal answers \`{"error": {"code", "message", "field"?, "reason"?, "details"?}}\`:
\`code\` is stable and is what a client acts on, \`reason\` (where given) is as stable and tells apart
the cases of one code that a person must be told apart (\`unknown_pupil_code\`, \`code_expired\`),
\`details\` (where given) holds what the person needs to act on the refusal (\`busPlate\`),
\`message\` is in English for support and may change, \`field\` names the part of the request at
fault (\`query.from\`, \`body.stops.2.lat\`, \`params.busId\`).

**Public feeds.** \`/gtfs/today.zip\` and \`/gtfs-rt/*\` describe the public micro-bus and custom-bus
lines as GTFS and GTFS-Realtime, with no token, and never name a pupil or a school-bus trip.`

/** The OpenAPI 3.1 document of `operations`, each in the form its route validates. */
export function buildOpenApiDocument(operations: readonly ApiOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  const operationIds = new Set<string>()
  for (const operation of operations) {
    const path = toOpenApiPath(operation.path)
    const described = operationObject(operation)
    if (paths[path]?.[operation.method] || operationIds.has(described.operationId)) {
      throw new Error(`${operation.method.toUpperCase()} ${operation.path} is described twice`)
    }
    operationIds.add(described.operationId)
    paths[path] = { ...paths[path], [operation.method]: described }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'School-transport platform API · 校车平台接口',
      version: '1.0.0',
      description: overview,
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }],
    tags: [...new Set(operations.map((operation) => tagOf(operation.path)))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A session token: from `POST /api/access/sign-in` (staff), `POST /api/access/enrol` ' +
            "(a guardian's phone) or `POST /api/access/pair` (an attendant's phone); " +
            '`npm run tokens` prints one for every role of the demo.',
        },
      },
      headers: {
        RetryAfter: {
          description: 'Whole seconds after which asking again may succeed.',
          schema: { type: 'integer', minimum: 1 },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: {
                  type: 'string',
                  enum: Object.keys(errorMeanings),
                  description: Object.entries(errorMeanings)
                    .map(([code, meaning]) => `\`${code}\`: ${meaning}`)
                    .join('\n'),
                },
                message: { type: 'string', description: 'For people; may change.' },
                field: { type: 'string', description: 'The part of the request at fault.' },
                reason: {
                  type: 'string',
                  enum: Object.keys(reasonMeanings),
                  description:
                    'Which case of the code this is, where a page words the cases apart:\n' +
                    Object.entries(reasonMeanings)
                      .map(([reason, meaning]) => `\`${reason}\`: ${meaning}`)
                      .join('\n'),
                },
                details: {
                  type: 'object',
                  description:
                    'What the person needs to act on the refusal, named by its reason (see `reason`).',
                  additionalProperties: true,
                },
              },
            },
          },
        },
      },
    },
  }
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>
