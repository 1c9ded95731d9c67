import { AppError } from '../errors/app-error.js'
import type { BoardingRecord } from '../store/boarding-queries.js'

/** A phone's clock may run a little ahead; beyond this a scan is refused as dated in the future. */
export const futureToleranceMs = 2 * 60_000
/** An offline phone syncs its queue later, but not days later. */
export const oldestScanMs = 24 * 3600_000

/**
 * Whether a time the attendant's phone stamped (a scan, the end of a trip) may be taken: a little
 * ahead of the server's clock at most, and no older than an offline phone's queue can be.
 */
export function checkPhoneTime(atMs: number, options: { nowMs: number; field: string }): void {
  const { field } = options
  if (atMs > options.nowMs + futureToleranceMs) {
    throw new AppError('bad_request', `${field}: is in the future`, { field, reason: 'time_in_future' })
  }
  if (atMs < options.nowMs - oldestScanMs) {
    throw new AppError('bad_request', `${field}: is more than a day old`, {
      field,
      reason: 'time_too_old',
    })
  }
}

/**
 * Whether a scan may be added to what this pupil already has on this trip and day: boarded and got
 * off alternate, starting with boarded, so the count on board can never go wrong.
 */
export function checkScan(
  scan: Pick<BoardingRecord, 'action' | 'scannedAt'>,
  earlier: readonly Pick<BoardingRecord, 'action' | 'scannedAt'>[],
  options: { nowMs: number },
): void {
  const atMs = Date.parse(scan.scannedAt)
  checkPhoneTime(atMs, { nowMs: options.nowMs, field: 'body.scannedAt' })
  const last = earlier.at(-1)
  if (scan.action === 'boarded' && last?.action === 'boarded') {
    throw new AppError('conflict', `the pupil is already on board since ${last.scannedAt}`, {
      reason: 'already_on_board',
    })
  }
  if (scan.action === 'alighted' && last?.action !== 'boarded') {
    throw new AppError('conflict', 'the pupil was not marked as boarded', { reason: 'not_on_board' })
  }
  if (last && Date.parse(last.scannedAt) > atMs) {
    throw new AppError('conflict', `the scan is older than the pupil's last one (${last.scannedAt})`, {
      reason: 'scan_out_of_order',
    })
  }
}
