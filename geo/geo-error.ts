/**
 * The one error geo/ raises. geo/ never imports the server, so the server maps `code` to an HTTP
 * status in its single error handler.
 */
export type GeoErrorCode =
  | 'invalid_input' // NaN, swapped or out-of-range coordinates, empty lists, duplicates
  | 'outside_network' // a point farther from any road than the allowed radius
  | 'no_route' // no path between two points on the network
  | 'too_large' // a request larger than the configured limit
  | 'router_unavailable' // the routing engine did not answer (timeout, 5xx, network)
  | 'cancelled' // the caller asked a long computation (a plan) to stop

export class GeoError extends Error {
  readonly code: GeoErrorCode
  /** The request field the problem is in, e.g. `points[3]`. */
  readonly field: string | undefined

  constructor(code: GeoErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'GeoError'
    this.code = code
    this.field = options.field
  }
}
