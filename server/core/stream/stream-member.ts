import { randomUUID } from 'node:crypto'
import os from 'node:os'

/** A member id unique to this process, readable in the lease table: `label@host:pid:random`. */
export function newStreamMember(label: string): string {
  return `${label}@${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}
