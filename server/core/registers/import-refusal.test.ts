import { describe, expect, it } from 'vitest'
import { reasonOfRefusedImport } from './import-refusal.js'
import type { RegisterProblem } from './register-problem.js'

const problem = (code: RegisterProblem['code'], severity: RegisterProblem['severity'] = 'error') => ({
  severity,
  code,
  register: 'buses' as const,
  sheet: '车辆',
  row: null,
  column: null,
  value: null,
  message: code,
})

describe('reasonOfRefusedImport', () => {
  it('gives no reason to what was applied, nor to a dry run’s ordinary errors', () => {
    expect(
      reasonOfRefusedImport(
        { applied: true, problems: [problem('missing_value', 'warning')] },
        { apply: true },
      ),
    ).toBe(null)
    expect(
      reasonOfRefusedImport({ applied: false, problems: [problem('bad_number')] }, { apply: false }),
    ).toBe(null)
  })

  it('names a file that could not be read, even on a dry run', () => {
    expect(
      reasonOfRefusedImport({ applied: false, problems: [problem('unreadable_file')] }, { apply: false }),
    ).toBe('not_a_register_file')
  })

  it('tells a removal others refer to from records with errors', () => {
    const referenced = {
      applied: false,
      problems: [problem('still_referenced'), problem('still_referenced')],
    }
    expect(reasonOfRefusedImport(referenced, { apply: true })).toBe('record_still_referenced')
    const mixed = { applied: false, problems: [problem('still_referenced'), problem('bad_plate')] }
    expect(reasonOfRefusedImport(mixed, { apply: true })).toBe('register_errors')
  })
})
