import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { readCommandLine } from '../core/cli/command-line.js'
import { importRegisters } from '../core/registers/import-registers.js'
import { readUploadedRegisters, registerOfFileName } from '../core/registers/read-uploaded-registers.js'
import { formatProblemLine } from './format-problem-line.js'
import { withRegisterStore } from './registers-cli-context.js'

/**
 * `npm run registers:import -- FILE.xlsx|FILE.csv [--dry-run] [--remove] [--register NAME]`: checks
 * the file against the stored registers and, unless it is a dry run or a problem is found, applies
 * it in one transaction. Prints each problem on a line, then a JSON summary; exits 1 on errors.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run registers:import -- FILE.xlsx|FILE.csv [--dry-run] [--remove] [--register NAME]

  FILE            a workbook with a sheet per register, or one register as CSV (named for it)
  --dry-run       check the file against the stored registers and apply nothing
  --remove        records the file leaves out are removed (default: kept)
  --register NAME the register a CSV holds when its file name does not say, e.g. pupils or 学生

Prints each problem on a line, then a JSON summary; exits 1 when the file has errors.`,
  options: {
    'dry-run': { type: 'boolean', default: false },
    remove: { type: 'boolean', default: false },
    register: { type: 'string' },
  },
  operands: { min: 1, max: 1 },
})
const { values } = commandLine
const file = commandLine.operands[0]!
const register = values.register === undefined ? undefined : registerOfFileName(values.register)
if (values.register !== undefined && !register)
  commandLine.refuse(`--register ${values.register}: expected the name of a register, e.g. pupils or 学生`)

const started = performance.now()
const parsed = await readUploadedRegisters({ name: file, bytes: await readFile(file) }, register)
const report = await withRegisterStore((db, county) =>
  importRegisters(db, parsed, {
    apply: !values['dry-run'],
    remove: values.remove,
    actor: `command line (${process.env.USER ?? 'unknown user'})`,
    source: path.basename(file),
    county,
  }),
)
for (const problem of report.problems) console.log(formatProblemLine(problem))
if (report.errorCount + report.warningCount > report.problems.length) {
  console.log(
    `… ${report.errorCount + report.warningCount - report.problems.length} more problems not listed`,
  )
}
console.log(
  JSON.stringify({
    dryRun: values['dry-run'],
    applied: report.applied,
    errors: report.errorCount,
    warnings: report.warningCount,
    counts: report.counts,
    seconds: Math.round(performance.now() - started) / 1000,
  }),
)
process.exit(report.errorCount > 0 ? 1 : 0)
