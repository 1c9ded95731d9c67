import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Test support: an HTTP server that answers OSRM requests with the real recorded responses in
 * test/data/osrm/ (requests.tsv: file name, HTTP status, request path), each for its request.
 *
 * Two requests ask OSRM the same question when service, profile and coordinates agree (compared as
 * numbers: the recordings were typed with mixed formats such as `0.0` and `7.42580`) and so do
 * their options, with two allowances that change nothing the client reads: `steps`, and
 * `annotations` outside /table, only add parts of an answer the client ignores; and an error answer
 * holds no geometry or matrix, so `overview`, `geometries` and table `annotations` do not matter
 * for it. Elsewhere an option left out counts as OSRM's default value.
 */
export interface OsrmRecording {
  name: string
  status: number
  path: string
  body: string
}

/** What the server does with one request instead of answering it: a fault to be retried. */
export type ReplayFault = 'http-503' | 'drop-connection' | 'no-answer'

export interface OsrmReplayServer {
  baseUrl: string
  /** Every request path received, in order. */
  requests: string[]
  /** Faults to apply, one per request, before answering normally again. */
  faults: ReplayFault[]
  /**
   * Names of recordings to answer the next requests with, whatever they ask: for an answer OSRM
   * gives to a question the client words differently (the far point snapped without a radius was
   * recorded without `overview` and `geometries`).
   */
  substitutes: string[]
  close(): Promise<void>
}

export function readOsrmRecordings(dir: string): OsrmRecording[] {
  const rows = readFileSync(`${dir}requests.tsv`, 'utf8').trim().split('\n').slice(1)
  return rows.map((row) => {
    const [name, status, path] = row.split('\t') as [string, string, string]
    return { name, status: Number(status), path, body: readFileSync(`${dir}${name}.json`, 'utf8') }
  })
}

export async function startOsrmReplayServer(recordings: OsrmRecording[]): Promise<OsrmReplayServer> {
  const requests: string[] = []
  const faults: ReplayFault[] = []
  const substitutes: string[] = []
  const server: Server = createServer((request, response) => {
    const path = request.url ?? ''
    requests.push(path)
    const fault = faults.shift()
    if (fault === 'drop-connection') {
      request.socket.destroy()
      return
    }
    if (fault === 'no-answer') return
    if (fault === 'http-503') {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('overloaded')
      return
    }
    const substitute = substitutes.shift()
    const recording = recordings.find((candidate) =>
      substitute === undefined ? isSameOsrmQuestion(candidate, path) : candidate.name === substitute,
    )
    if (!recording) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no recording for ${path}`)
      return
    }
    response.writeHead(recording.status, { 'content-type': 'application/json' }).end(recording.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    faults,
    substitutes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

const DEFAULTS: Record<string, string> = { overview: 'simplified', geometries: 'polyline' }

export function isSameOsrmQuestion(recording: OsrmRecording, requestPath: string): boolean {
  const recorded = parseOsrmPath(recording.path)
  const asked = parseOsrmPath(requestPath)
  if (recorded.route !== asked.route || !sameValues(recorded.coordinates, asked.coordinates)) return false
  const ignored = new Set(['steps'])
  if (recorded.service !== 'table') ignored.add('annotations')
  if (recording.status !== 200) ['overview', 'geometries', 'annotations'].forEach((key) => ignored.add(key))
  const keys = new Set(
    [...recorded.options.keys(), ...asked.options.keys()].filter((key) => !ignored.has(key)),
  )
  return [...keys].every((key) =>
    sameValues(
      recorded.options.get(key) ?? DEFAULTS[key] ?? '',
      asked.options.get(key) ?? DEFAULTS[key] ?? '',
    ),
  )
}

function parseOsrmPath(path: string): {
  route: string
  service: string
  coordinates: string
  options: Map<string, string>
} {
  const [pathname = '', search = ''] = path.split('?')
  const parts = pathname.split('/')
  return {
    route: parts.slice(0, 4).join('/'),
    service: parts[1] ?? '',
    coordinates: parts.slice(4).join('/'),
    options: new Map(new URLSearchParams(search)),
  }
}

/** Lists such as `7.4258,43.74;0.0,0.0` or `duration,distance`, numbers compared by value. */
function sameValues(a: string, b: string): boolean {
  const split = (value: string) => value.split(/[;,]/)
  const left = split(a)
  const right = split(b)
  return (
    left.length === right.length &&
    left.every((value, i) => {
      const other = right[i]!
      const bothNumbers =
        value !== '' && other !== '' && !Number.isNaN(Number(value)) && !Number.isNaN(Number(other))
      return bothNumbers ? Number(value) === Number(other) : value === other
    })
  )
}
