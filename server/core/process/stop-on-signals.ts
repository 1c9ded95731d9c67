import type { Logger } from '../log/logger.js'

/** The part of `process` this needs, so that a test can send signals without stopping itself. */
export type SignalledProcess = Pick<NodeJS.Process, 'on' | 'exit'>

/**
 * Ctrl-C or a service manager's SIGTERM stops the process cleanly, once: `stop` finishes what was
 * accepted before the process exits (0, or 1 when stopping failed). A second signal while stopping
 * exits at once (130): whoever sends it has decided not to wait, and a hung store must not trap them.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log: Logger,
  target: SignalledProcess = process,
): void {
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    target.on(signal, () => {
      if (stopping) {
        log.warn(`${signal} again: exiting without finishing`)
        target.exit(130)
        return
      }
      stopping = true
      log.info(`${signal}: stopping`)
      stop().then(
        () => target.exit(0),
        (error: unknown) => {
          log.error('stop failed', { error: String(error) })
          target.exit(1)
        },
      )
    })
  }
}
