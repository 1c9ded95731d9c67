import type { Logger } from '../log/logger.js'

/**
 * Ctrl-C or a service manager's SIGTERM stops the process cleanly, once: `stop` finishes what was
 * accepted before the process exits (0, or 1 when stopping failed).
 */
export function stopOnSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      log.info(`${signal}: stopping`)
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('stop failed', { error: String(error) })
          process.exit(1)
        },
      )
    })
  }
}
