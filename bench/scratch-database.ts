import pg from 'pg'

export interface ScratchDatabase {
  url: string
  drop(): Promise<void>
}

/**
 * A database of a benchmark's own on the PostgreSQL server `serverUrl` names, so that a run never
 * touches the platform's data; `drop` removes it, closing whatever is still connected.
 */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}
