import { registerNames } from '../../server/core/registers/register-records.js'
import { registerSheets, sheetTitle } from '../../server/core/registers/register-sheets.js'
import type { Sheet } from './registers-contract.js'

/** The sheets as `GET /api/registers` lays them out, for the page's unit tests. */
export const testSheets: Sheet[] = registerNames.map((name) => {
  const sheet = registerSheets[name]
  return { ...sheet, title: sheetTitle(sheet as never) } as unknown as Sheet
})

export const sheetOf = (register: string) => testSheets.find((sheet) => sheet.register === register)!
