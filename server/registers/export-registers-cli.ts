import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { exportRegisterCsv, exportRegisterWorkbook } from '../core/registers/export-registers.js'
import { registerOfFileName } from '../core/registers/read-uploaded-registers.js'
import { registerNames, type RegisterName } from '../core/registers/register-records.js'
import { registerSheets } from '../core/registers/register-sheets.js'
import { withRegisterStore } from './registers-cli-context.js'

/**
 * `npm run registers:export -- --out FILE.xlsx [--registers pupils,guardians]`, or `--out DIR --csv`
 * for one CSV per register. The export is logged as taken from the command line.
 */
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    csv: { type: 'boolean', default: false },
    registers: { type: 'string' },
  },
})
if (!values.out) {
  console.error('usage: npm run registers:export -- --out FILE.xlsx | --out DIR --csv [--registers a,b]')
  process.exit(2)
}
const registers = parseRegisterList(values.registers)
const actor = `command line (${process.env.USER ?? 'unknown user'})`
const started = performance.now()
const written = await withRegisterStore(async (db) => {
  if (!values.csv) {
    await writeFile(values.out!, await exportRegisterWorkbook(db, { actor, registers }))
    return [values.out!]
  }
  await mkdir(values.out!, { recursive: true })
  const files: string[] = []
  for (const register of registers ?? registerNames) {
    const file = path.join(values.out!, `${registerSheets[register].en}.csv`)
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
    if (!register) {
      console.error(`--registers ${name}: expected register names such as ${registerNames.join(', ')}`)
      process.exit(2)
    }
    return register
  })
}
