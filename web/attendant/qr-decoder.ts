import jsqr from 'jsqr'

/**
 * The QR code in one camera frame, for browsers without the BarcodeDetector API. A page of its
 * own, loaded only when the camera opens there, so the page stays small everywhere else.
 */
export function decodeQr(frame: ImageData): string | null {
  // The package is CommonJS whose export is the function, with itself as `default` too.
  return (
    jsqr.default(frame.data, frame.width, frame.height, { inversionAttempts: 'attemptBoth' })?.data ?? null
  )
}
