import { parseArgs, type ParseArgsConfig } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>

/** The exit status of a command whose command line is wrong, as the shell's own tools use it. */
const usageExitCode = 2

export interface Command<O extends Options> {
  /** What `--help` prints: a first line `usage: npm run NAME -- …`, then what each option does. */
  usage: string
  options: O
  /** How many operands (files, folders) follow the options; none unless said. */
  operands?: { min: number; max: number }
}

/** A number an option must hold: whole or not, and its bounds (`above` excludes the bound). */
export interface NumberRule {
  whole?: boolean
  min?: number
  above?: number
  max?: number
}

/** Stops the command: what is wrong, on one line, then the usage, on stderr; exit status 2. */
export function refuseCommandLine(usage: string, problem: string): never {
  console.error(`${problem}\n\n${usage}`)
  process.exit(usageExitCode)
}

/** `--help` (or `-h`) before any `--` prints the usage on stdout and ends the command successfully. */
export function showUsageOnHelp(usage: string, args: readonly string[]): void {
  const end = args.indexOf('--')
  const options = end === -1 ? args : args.slice(0, end)
  if (!options.some((arg) => arg === '--help' || arg === '-h')) return
  console.log(usage)
  process.exit(0)
}

const describeRule = (rule: NumberRule) => {
  const bounds =
    rule.min !== undefined && rule.max !== undefined
      ? [`from ${rule.min} to ${rule.max}`]
      : [
          rule.min !== undefined ? `of at least ${rule.min}` : '',
          rule.above !== undefined ? `above ${rule.above}` : '',
          rule.max !== undefined ? `of at most ${rule.max}` : '',
        ].filter(Boolean)
  return `${rule.whole ? 'a whole number' : 'a number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`
}

/**
 * A command's options and operands, read strictly: `--help` prints the usage and exits 0; an
 * unknown option, a missing value or the wrong number of operands prints what is wrong and the
 * usage, and exits 2, never with a stack trace. `number` reads an option's value the same way.
 */
export function readCommandLine<O extends Options>(
  command: Command<O>,
  args: readonly string[] = process.argv.slice(2),
) {
  const refuse = (problem: string): never => refuseCommandLine(command.usage, problem)
  showUsageOnHelp(command.usage, args)
  let parsed: Parsed<O>
  try {
    parsed = parseArgs({
      args: [...args],
      options: command.options,
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error))
  }
  const { min, max } = command.operands ?? { min: 0, max: 0 }
  const operands = parsed.positionals
  if (operands.length < min || operands.length > max) {
    const expected =
      max === 0 ? 'no operands' : min === max ? `${min} operand(s)` : `${min} to ${max} operands`
    refuse(
      `expected ${expected}, got ${operands.length === 0 ? 'none' : operands.map((o) => JSON.stringify(o)).join(' ')}`,
    )
  }
  const values = parsed.values as Parsed<O>['values']

  return {
    values,
    operands,
    refuse,
    /** The value of an option the command cannot do without; its absence is refused, saying `what`. */
    required(name: keyof O & string, what = 'required'): string {
      const raw = (values as Record<string, unknown>)[name]
      return typeof raw === 'string' && raw !== '' ? raw : refuse(`--${name}: ${what}`)
    },
    /** The option's value as a number that keeps `rule`; an option without value or default is refused. */
    number(name: keyof O & string, rule: NumberRule = {}): number {
      const raw = (values as Record<string, unknown>)[name]
      if (typeof raw !== 'string') return refuse(`--${name}: required`)
      const value = raw.trim() === '' ? NaN : Number(raw)
      const kept =
        Number.isFinite(value) &&
        (!rule.whole || Number.isInteger(value)) &&
        (rule.min === undefined || value >= rule.min) &&
        (rule.above === undefined || value > rule.above) &&
        (rule.max === undefined || value <= rule.max)
      if (!kept) refuse(`--${name}: expected ${describeRule(rule)}, got ${JSON.stringify(raw)}`)
      return value
    },
  }
}
