import * as z from 'zod/mini'
import type { ApiClient } from './api-client.js'

export const pageConfigSchema = z.object({
  tileUrl: z.nullable(z.string()),
  /** The server's clock when it answered: trips run on it, which may differ from the phone's. */
  now: z.string(),
})
export type PageConfig = z.infer<typeof pageConfigSchema>

/** A page's settings (`/parent/config.json`), with when the request left and its answer came back. */
export async function fetchPageConfig(
  api: ApiClient,
  path: string,
): Promise<{ config: PageConfig; sentAtMs: number; receivedAtMs: number }> {
  const sentAtMs = Date.now()
  const config = await api.get(path, pageConfigSchema, { authorized: false })
  return { config, sentAtMs, receivedAtMs: Date.now() }
}
