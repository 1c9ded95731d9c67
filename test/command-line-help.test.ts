import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Every command of package.json, run from its TypeScript with tsx: `--help` prints its usage and
 * exits 0; an unknown option, or a bad value, says what is wrong on one line, then the usage, and
 * exits 2, with no stack trace. The commands come from package.json itself, so a new one is held
 * to the same.
 */
const root = path.resolve(import.meta.dirname, '..')
/** The scripts that run the tools (vitest, tsc, eslint, prettier) rather than a program of ours. */
const toolScripts = ['test', 'test:unit', 'test:integration', 'test:services', 'check', 'format']

/** Each script's program: `node dist/X.js` runs X.ts compiled, `tsx X.ts` runs X.ts. */
async function commandEntries(): Promise<[string, string][]> {
  const { scripts } = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  return Object.entries(scripts)
    .filter(([name]) => !toolScripts.includes(name))
    .map(([name, line]) => {
      const programs = [...line.matchAll(/(?:node dist\/|tsx )(\S+)\.(?:js|ts)\b/g)]
      const entry = programs.at(-1)?.[1]
      if (!entry) throw new Error(`npm run ${name}: no program found in ${JSON.stringify(line)}`)
      return [name, `${entry}.ts`]
    })
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let dataDir: string

/** The program with `args`, in a data folder of its own, so a command that ran anyway touches nothing. */
function run(entry: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
    for (const name of ['DATABASE_URL', 'MQTT_URL', 'REDIS_URL', 'DEMO_TIME', 'PARTS']) delete env[name]
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** Runs `work` on every item, two at a time: the machine has two cores and others test beside. */
async function twoAtATime<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const at = next++
      results[at] = await work(items[at]!)
    }
  }
  await Promise.all([worker(), worker()])
  return results
}

const stackLine = /^\s+at .+[(:]/m

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-command-line-'))
})
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true })
})

describe('every command of package.json', () => {
  it('finds a program for each script', async () => {
    const entries = await commandEntries()
    expect(entries.length).toBeGreaterThan(20)
    for (const [name, entry] of entries) {
      expect(
        await fs.stat(path.join(root, entry)).then(
          () => true,
          () => false,
        ),
        `npm run ${name}: ${entry}`,
      ).toBe(true)
    }
    expect(Object.fromEntries(entries)).toMatchObject({
      tokens: 'server/auth/print-tokens.ts',
      simulate: 'workers/simulator/main.ts',
      'worker:ingest': 'workers/ingest/main.ts',
      'registers:import': 'server/registers/import-registers-cli.ts',
      'import:osm': 'geo/roads/import-osm-cli.ts',
    })
  })

  it('prints its usage on --help and exits 0', async () => {
    const entries = await commandEntries()
    const runs = await twoAtATime(entries, ([, entry]) => run(entry, ['--help']))
    entries.forEach(([name], i) => {
      const { code, stdout, stderr } = runs[i]!
      const told = `npm run ${name} -- --help\n${stdout}${stderr}`
      expect(code, told).toBe(0)
      expect(stdout, told).toMatch(new RegExp(`^usage: npm (run ${name}|start)\\b`, 'i'))
      expect(stderr, told).not.toMatch(stackLine)
    })
  }, 600_000)

  it('refuses an unknown option on one line with the usage, exit status 2, no stack trace', async () => {
    const entries = await commandEntries()
    const runs = await twoAtATime(entries, ([, entry]) => run(entry, ['--no-such-option']))
    entries.forEach(([name], i) => {
      const { code, stdout, stderr } = runs[i]!
      const told = `npm run ${name} -- --no-such-option\n${stdout}${stderr}`
      expect(code, told).toBe(2)
      const [problem, blank, usage] = stderr.split('\n')
      expect(problem, told).toContain('--no-such-option')
      expect(blank, told).toBe('')
      expect(usage, told).toMatch(/^usage: npm /i)
      expect(stderr, told).not.toMatch(stackLine)
    })
  }, 600_000)

  it('refuses a bad value, naming the option', async () => {
    const bad = [
      [
        'server/auth/print-tokens.ts',
        ['--limit', '0'],
        /^--limit: expected a whole number of at least 1, got "0"$/m,
      ],
      ['server/auth/print-tokens.ts', ['--role', 'pupil'], /^--role: expected one of bureau, /m],
      ['server/broker-config/broker-config-cli.ts', ['--out', dataDir, '--port', '70000'], /^--port: /m],
      ['bench/ingest-bench.ts', ['--seconds', 'soon'], /^--seconds: expected a number above 0, got "soon"$/m],
      ['workers/simulator/main.ts', ['--speed', 'fast'], /^--speed: expected a factor above 0 or max/m],
      ['server/registers/export-registers-cli.ts', [], /^--out: /m],
      ['bench/eval-cvrp.ts', ['--out', 'x.json'], /^expected 1 operand\(s\), got none$/m],
    ] as const
    const runs = await twoAtATime([...bad], ([entry, args]) => run(entry, [...args]))
    bad.forEach(([entry, args, problem], i) => {
      const { code, stderr } = runs[i]!
      const told = `${entry} ${args.join(' ')}\n${stderr}`
      expect(code, told).toBe(2)
      expect(stderr, told).toMatch(problem)
      expect(stderr, told).toMatch(/^usage: /im)
      expect(stderr, told).not.toMatch(stackLine)
    })
  }, 300_000)
})
