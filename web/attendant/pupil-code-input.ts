import { isValidPupilCode } from '../../server/core/registers/pupil-code.js'

/**
 * The pupil code in what the camera read or the attendant typed: a card's QR code may hold the
 * bare code or a link ending in it, and a typed code may come in lower case or with spaces.
 * Answers null when there is no code, or its check digit shows a mistake.
 */
export function readPupilCode(raw: string): string | null {
  const found = raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .match(/P\d{9}(?!\d)/g)
  const code = found?.at(-1)
  return code && isValidPupilCode(code) ? code : null
}
