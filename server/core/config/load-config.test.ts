import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load-config.js'

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('selects every embedded default when nothing is set', () => {
    const config = loadConfig({})
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.MQTT_URL).toBeUndefined()
    expect(config.OSRM_URL).toBeUndefined()
    expect(config.REDIS_URL).toBeUndefined()
    expect(config.PORT).toBe(3000)
    expect(config.MQTT_PORT).toBe(1884)
    expect(config.JT808_PORT).toBe(7808)
    expect(config.DATA_DIR).toBe(path.resolve('./data'))
    expect(config.TOKEN_SECRET).toBeUndefined()
  })

  it('takes external services and treats blank values as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      OSRM_URL: 'http://127.0.0.1:5000',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '8080',
      DATA_DIR: ' ',
    })
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/test')
    expect(config.MQTT_URL).toBe('mqtt://127.0.0.1:1883')
    expect(config.PORT).toBe(8080)
    expect(config.DATA_DIR).toBe(path.resolve('./data'))
  })

  it.each([
    ['PORT', 'abc', 'expected an integer from 0 to 65535'],
    ['PORT', '70000', 'expected an integer from 0 to 65535'],
    ['PORT', '80.5', 'expected an integer from 0 to 65535'],
    ['DATABASE_URL', 'mysql://localhost/db', 'expected a URL starting with postgres://'],
    ['MQTT_URL', 'not a url', 'expected a URL starting with mqtt://'],
    ['OSRM_URL', 'ftp://osrm', 'expected a URL starting with http://'],
    ['REDIS_URL', 'http://redis', 'expected a URL starting with redis://'],
    ['TOKEN_SECRET', 'short', 'expected at least 32 characters'],
    ['LOG_LEVEL', 'loud', 'expected one of'],
    ['TOKEN_TTL_S', '5', 'expected a whole number of seconds'],
  ])('names %s=%s and what it expects', (variable, value, expected) => {
    const problems = problemsOf({ [variable]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]?.variable).toBe(variable)
    expect(problems[0]?.message).toContain(expected)
    expect(problems[0]?.message).toContain(JSON.stringify(value))
  })

  it('reports every bad variable at once, each on its own line', () => {
    const problems = problemsOf({ PORT: '-1', REDIS_URL: 'nope' })
    expect(problems.map((p) => p.variable).sort()).toEqual(['PORT', 'REDIS_URL'])
    expect(() => loadConfig({ PORT: '-1', REDIS_URL: 'nope' })).toThrow(
      /^Invalid configuration:\n {2}\w+: .+\n {2}\w+: .+$/,
    )
  })

  describe('PARTS and DEMO', () => {
    const allParts = ['api', 'live', 'ingest', 'jt808', 'events', 'alarms', 'planner', 'simulator']

    it('runs every part, demo on, with the embedded store', () => {
      const config = loadConfig({})
      expect(config.DEMO).toBe('on')
      expect(config.PARTS).toEqual(allParts)
    })

    it('runs every part but the simulator, demo off, with DATABASE_URL', () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })
      expect(config.DEMO).toBe('off')
      expect(config.PARTS).toEqual(allParts.filter((part) => part !== 'simulator'))
    })

    it('takes DEMO as set, whatever the store', () => {
      expect(loadConfig({ DEMO: 'off' })).toMatchObject({ DEMO: 'off' })
      expect(loadConfig({ DEMO: 'off' }).PARTS).not.toContain('simulator')
      const demo = loadConfig({ DEMO: 'on', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })
      expect(demo.DEMO).toBe('on')
      expect(demo.PARTS).toEqual(allParts)
    })

    it('takes a list of parts with spaces, in any order and case, each once', () => {
      expect(loadConfig({ PARTS: ' Ingest, api ,ingest' }).PARTS).toEqual(['api', 'ingest'])
      expect(loadConfig({ PARTS: 'planner' }).PARTS).toEqual(['planner'])
      expect(loadConfig({ PARTS: '  ' }).PARTS).toEqual(allParts)
    })

    it('runs the simulator with DEMO=off when PARTS names it', () => {
      const config = loadConfig({ DEMO: 'off', PARTS: 'ingest,simulator' })
      expect(config.PARTS).toEqual(['ingest', 'simulator'])
    })

    it.each([
      ['api,website', 'not a part: "website"'],
      ['api,,live', 'a name is empty'],
      [',', 'a name is empty'],
      ['all', 'not a part: "all"'],
    ])('refuses PARTS=%s naming the allowed parts', (value, problem) => {
      const problems = problemsOf({ PARTS: value })
      expect(problems).toHaveLength(1)
      expect(problems[0]?.variable).toBe('PARTS')
      expect(problems[0]?.message).toContain(
        'expected a comma-separated list of api, live, ingest, jt808, events, alarms, planner, simulator',
      )
      expect(problems[0]?.message).toContain(problem)
      expect(problems[0]?.message).toContain(JSON.stringify(value))
    })

    it('refuses a DEMO other than on or off', () => {
      const problems = problemsOf({ DEMO: 'yes' })
      expect(problems).toEqual([{ variable: 'DEMO', message: 'expected on or off, got "yes"' }])
    })
  })

  describe('map tiles', () => {
    const amap = 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}'

    it('takes a template with its datum, credit and subdomains, in any order of {z}, {x} and {y}', () => {
      const config = loadConfig({
        TILE_URL: amap,
        TILE_DATUM: 'gcj02',
        TILE_ATTRIBUTION: '© 高德地图',
        TILE_SUBDOMAINS: '1234',
      })
      expect(config).toMatchObject({
        TILE_URL: amap,
        TILE_DATUM: 'gcj02',
        TILE_ATTRIBUTION: '© 高德地图',
        TILE_SUBDOMAINS: '1234',
      })
      expect(loadConfig({}).TILE_SUBDOMAINS).toBe('abc')
      expect(loadConfig({}).TILE_URL).toBeUndefined()
    })

    it('asks for the datum whenever TILE_URL is set, naming TILE_DATUM', () => {
      const problems = problemsOf({ TILE_URL: 'https://tile.example.org/{z}/{x}/{y}.png' })
      expect(problems).toHaveLength(1)
      expect(problems[0]?.variable).toBe('TILE_DATUM')
      expect(problems[0]?.message).toMatch(/^required when TILE_URL is set: wgs84 .* or gcj02 /)
      expect(problemsOf({ TILE_URL: amap, TILE_DATUM: 'bd09' })).toEqual([
        { variable: 'TILE_DATUM', message: 'expected wgs84 or gcj02, got "bd09"' },
      ])
    })

    it.each([
      ['tile.example.org/{z}/{x}/{y}.png', 'expected an http(s) URL template'],
      ['https://tile.example.org/{z}/{x}.png', 'with {z}, {x} and {y}'],
      ['https://tiles.{s}.example.org/{z}/{x}/{y}.png', 'first part of the host name'],
      ['https://{z}.example.org/{z}/{x}/{y}.png', 'in the path'],
    ])('refuses TILE_URL=%s', (value, problem) => {
      const problems = problemsOf({ TILE_URL: value, TILE_DATUM: 'wgs84' })
      expect(problems.map((p) => p.variable)).toEqual(['TILE_URL'])
      expect(problems[0]?.message).toContain(problem)
    })
  })
})
