import type { RegisterName } from './register-records.js'

/**
 * What an import found wrong, where, and what was expected. Codes are stable so that pages translate
 * them; `message` is the English text for logs and the command line.
 */
export type RegisterProblemCode =
  | 'missing_sheet_column'
  | 'unknown_column'
  | 'missing_value'
  | 'bad_number'
  | 'out_of_range'
  | 'bad_time'
  | 'bad_date'
  | 'bad_choice'
  | 'bad_code'
  | 'bad_phone'
  | 'bad_plate'
  | 'bad_pupil_code'
  | 'bad_datum'
  | 'half_coordinates'
  | 'no_coordinates'
  | 'outside_county'
  | 'duplicate_key'
  | 'unknown_reference'
  | 'inconsistent'
  | 'still_referenced'
  | 'not_compliant'
  | 'unreadable_file'

export interface RegisterProblem {
  /** A warning is listed but does not stop the import (a row with no coordinates, say). */
  severity: 'error' | 'warning'
  code: RegisterProblemCode
  /** Null for a problem of the whole file. */
  register: RegisterName | null
  /** The sheet as named in the file, or the register's Chinese sheet name when no file row is at fault. */
  sheet: string
  /** The spreadsheet row (the header is row 1); null for a problem of the whole sheet or of stored data. */
  row: number | null
  /** The column header as the file has it (or as export writes it); null for a whole row. */
  column: string | null
  /** The offending value as read, shortened. */
  value: string | null
  /** What was expected, in English. */
  message: string
}

/** Where a record came from in the file, so a problem found across records can point at it. */
export interface RecordOrigin {
  sheet: string
  row: number
}
