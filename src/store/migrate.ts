import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { Logger, runMigrations } from 'graphile-worker'
import type pg from 'pg'
import { withTransaction } from './database.ts'
import { MIGRATIONS_DIR } from './migrations-dir.ts'

// Any constant works; every process that migrates takes the same lock, so only one migrates at a time.
const MIGRATION_LOCK = 7_150_242_901

/**
 * Applies the numbered SQL migrations not yet applied, then graphile-worker's own, under an
 * advisory lock so that many processes starting together migrate once.
 */
export async function migrate(pool: pg.Pool, connectionString: string): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
  const applied: string[] = []
  const lockClient = await pool.connect()
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await lockClient.query('create table if not exists tributary_migrations (name text primary key, applied_at timestamptz not null default now())')
    const done = new Set((await lockClient.query<{ name: string }>('select name from tributary_migrations')).rows.map((r) => r.name))
    for (const file of files) {
      if (done.has(file)) continue
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8')
      await withTransaction(pool, async (client) => {
        await client.query(sql)
        await client.query('insert into tributary_migrations (name) values ($1)', [file])
      })
      applied.push(file)
    }
    await runMigrations({ connectionString, noPreparedStatements: true, logger: silentLogger() })
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    lockClient.release()
  }
  return applied
}

function silentLogger(): Logger {
  return new Logger(() => () => {})
}
