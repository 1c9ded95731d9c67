export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(component: string): Logger
}

type Level = 'info' | 'warn' | 'error'
export type LogLevel = Level | 'silent'

const rank: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 }

/** Human-readable lines on stderr; structured fields follow the message as JSON. */
export function createLogger(
  options: { level?: LogLevel; component?: string; write?: (line: string) => void } = {},
): Logger {
  const level = options.level ?? 'info'
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'))
  const make = (component: string | undefined): Logger => {
    const emit = (at: Level, message: string, fields?: Record<string, unknown>) => {
      if (rank[at] < rank[level]) return
      const prefix = component ? `[${component}] ` : ''
      const tail = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : ''
      write(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${prefix}${message}${tail}`)
    }
    return {
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (name) => make(component ? `${component}:${name}` : name),
    }
  }
  return make(options.component)
}
