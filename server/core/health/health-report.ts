export interface PartHealth {
  ok: boolean
  detail?: string
}

export type HealthCheck = () => Promise<PartHealth>

export interface HealthReport {
  status: 'ok' | 'down'
  parts: Record<string, PartHealth & { ms: number }>
}

/** Asks every part at once; a part that does not answer within `timeoutMs` counts as down. */
export function createHealthReport(
  checks: Record<string, HealthCheck>,
  options: { timeoutMs?: number } = {},
) {
  const timeoutMs = options.timeoutMs ?? 2000
  return async (): Promise<HealthReport> => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        const started = performance.now()
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<PartHealth>((resolve) => {
          timer = setTimeout(
            () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
            timeoutMs,
          )
        })
        const result = await Promise.race([
          check().catch((error: unknown) => ({
            ok: false,
            detail: error instanceof Error ? error.message : String(error),
          })),
          timeout,
        ])
        clearTimeout(timer)
        return [name, { ...result, ms: Math.round(performance.now() - started) }] as const
      }),
    )
    const parts = Object.fromEntries(entries)
    return { status: entries.every(([, part]) => part.ok) ? 'ok' : 'down', parts }
  }
}
