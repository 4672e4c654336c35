import pg from 'pg'

export const BENCH_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret-0123456789' }
export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64')

/** A fresh database for one measurement: PostgreSQL (created and dropped) or embedded in memory. */
export async function freshDatabaseUrl(baseUrl: string | undefined): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (!baseUrl) return { url: undefined, drop: async () => {} }
  const name = `tributary_bench_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: baseUrl })
      await again.connect()
      await again.query(`drop database if exists ${name} with (force)`)
      await again.end()
    },
  }
}

/**
 * Writes out what earlier measurements left in the database server's memory, so that a
 * checkpoint the server would start for it does not fall inside the next measurement.
 */
export async function checkpoint(pool: pg.Pool): Promise<void> {
  // A role without the right to (pg_checkpoint) measures without it.
  await pool.query('checkpoint').catch((error: { code?: string }) => {
    if (error.code !== '42501') throw error
  })
}
