// Both languages' words use these: a file of their own spares the word files a run-time import of
// planner-text.ts, which imports the word files.

export const numberIn = (locale: string) => (n: number) => Math.round(n).toLocaleString(locale)
export const signedIn = (format: (n: number) => string) => (n: number) =>
  (n > 0 ? '+' : '-') + format(Math.abs(n))
export const signed = (n: number) => (n > 0 ? `+${n}` : String(n))
