import { configSchema, resolveConfig, type Config } from './config-schema.js'

export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[]

  constructor(problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Reads the environment once, at start. Blank values count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.keys(configSchema.shape)
  const present = Object.fromEntries(
    known.flatMap((key) => {
      const value = env[key]
      return value === undefined || value.trim() === '' ? [] : [[key, value]]
    }),
  )
  const result = configSchema.safeParse(present)
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '(environment)')
        const got = present[variable]
        return { variable, message: `${issue.message}, got ${JSON.stringify(got)}` }
      }),
    )
  }
  return resolveConfig(result.data)
}

/** For a process's entry point: the configuration, or the problems on stderr and exit code 2. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(2)
  }
}
