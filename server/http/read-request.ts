import type { Context } from 'hono'
import { z } from 'zod'
import { AppError } from '../core/errors/app-error.js'
import { idSchema } from './input-schemas.js'
import { parseInput } from './parse-input.js'

/** Scans, a trip's end, an acknowledgement, a change of bus: a few fields each. */
export const smallBodyMaxBytes = 16 * 1024

/**
 * Reads a JSON body of at most `maxBytes` and validates it. Routes call it only after the caller's
 * role and scope are checked, so a token that may not write never makes the server read its body;
 * the size is counted as the bytes arrive, so a body too large is refused before it is all in memory.
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes: number,
): Promise<z.infer<S>> {
  const text = (await readBodyBytes(c, maxBytes)).toString('utf8')
  return parseInput(schema, parseJson(text), 'body')
}

/** A path parameter that names a record, e.g. `params.busId`. */
export function readPathId(c: Context, name: string): string {
  return parseInput(z.object({ [name]: idSchema }), { [name]: c.req.param(name) }, 'params')[name] as string
}

/**
 * The raw body of at most `maxBytes`, counted as it arrives, for an uploaded file. Like JSON bodies,
 * read only after the caller's role and scope are checked.
 */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Buffer> {
  const request = c.req.raw
  const tooLarge = () => new AppError('too_large', `body: larger than ${maxBytes} bytes`, { field: 'body' })
  if (Number(request.headers.get('content-length')) > maxBytes) throw tooLarge()
  if (!request.body) return Buffer.alloc(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      // The rest of the body is never read: the client's upload stops here.
      reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/** A body that is not JSON at all is reported by the schema, as a missing body would be. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
