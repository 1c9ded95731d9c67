import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readCommandLine } from '../core/cli/command-line.js'
import { exportRegisterCsv, exportRegisterWorkbook } from '../core/registers/export-registers.js'
import { registerOfFileName } from '../core/registers/read-uploaded-registers.js'
import { registerNames, type RegisterName } from '../core/registers/register-records.js'
import { registerSheets } from '../core/registers/register-sheets.js'
import { withRegisterStore } from './registers-cli-context.js'

/**
 * `npm run registers:export -- --out FILE.xlsx [--registers pupils,guardians]`, or `--out DIR --csv`
 * for one CSV per register. The export is logged as taken from the command line.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run registers:export -- --out FILE.xlsx | --out DIR --csv [--registers a,b]

  --out FILE|DIR   the workbook to write, or with --csv the folder for one CSV per register
  --csv            CSV files instead of one workbook
  --registers a,b  only these registers (default: all): ${registerNames.join(', ')}`,
  options: {
    out: { type: 'string' },
    csv: { type: 'boolean', default: false },
    registers: { type: 'string' },
  },
})
const { values } = commandLine
const out = commandLine.required('out', 'the workbook (or with --csv the folder) to write')
const registers = parseRegisterList(values.registers)
const actor = `command line (${process.env.USER ?? 'unknown user'})`
const started = performance.now()
const written = await withRegisterStore(async (db) => {
  if (!values.csv) {
    await writeFile(out, await exportRegisterWorkbook(db, { actor, registers }))
    return [out]
  }
  await mkdir(out, { recursive: true })
  const files: string[] = []
  for (const register of registers ?? registerNames) {
    const file = path.join(out, `${registerSheets[register].en}.csv`)
    await writeFile(file, await exportRegisterCsv(db, register, actor))
    files.push(file)
  }
  return files
})
console.log(JSON.stringify({ files: written, seconds: Math.round(performance.now() - started) / 1000 }))

function parseRegisterList(list: string | undefined): RegisterName[] | undefined {
  if (list === undefined) return undefined
  return list.split(',').map((name) => {
    const register = registerOfFileName(name)
    return (
      register ??
      commandLine.refuse(`--registers ${name}: expected register names such as ${registerNames.join(', ')}`)
    )
  })
}
