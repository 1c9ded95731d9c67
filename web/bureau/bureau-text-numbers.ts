// Both languages' words use these: a file of their own spares the word files a run-time import of
// bureau-text.ts, which imports the word files.

export const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null

export const minutes = (seconds: number) => Math.round(Math.abs(seconds) / 60)
