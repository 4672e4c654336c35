import { openDatabase, withTransaction } from '../src/store/database.ts'
import { lockDueItems } from '../src/store/items.ts'
import { migrate } from '../src/store/migrate.ts'
import { freshDatabaseUrl } from './bench-database.ts'
import { row, type BenchRow } from './report.ts'

/**
 * The auto-sync scheduler's query on a large installation: 1,000,000 items inserted in bulk, of
 * which 10,000 are due; the time of one pass that finds (and locks) them. PostgreSQL only.
 */
export async function benchScheduler(options: { quick: boolean; databaseUrl: string }): Promise<BenchRow[]> {
  const total = options.quick ? 200_000 : 1_000_000
  const due = 10_000
  const database = await freshDatabaseUrl(options.databaseUrl)
  const db = await openDatabase({ databaseUrl: database.url!, dataDir: ':memory:' })
  try {
    await migrate(db.pool, db.connectionString)
    await db.pool.query(`insert into clients (id, secret_enc) values ('bench-client', 'x')`)
    // Most items are due tomorrow; `due` of them were due a minute ago. Spread over the day like real jitter.
    await db.pool.query(
      `insert into items (id, client_id, connector_id, status, execution_status, credentials_enc, credentials_hash, created_at, updated_at, next_auto_sync_at)
       select gen_random_uuid(), 'bench-client', 0, 'UPDATED', 'SUCCESS', 'x', 'x', now(), now(),
              case when n <= $2 then now() - interval '1 minute' * random() else now() + interval '1 day' * random() end
       from generate_series(1, $1) n`,
      [total, due],
    )
    await db.pool.query('analyze items')
    const started = performance.now()
    const found = await withTransaction(db.pool, async (tx) => (await lockDueItems(tx, new Date(), due)).length)
    const ms = performance.now() - started
    return [row(`scheduler: one pass finding ${found} due items among ${total} (postgres)`, ms, 'ms', { goal: '< 1000', pass: ms < 1000 && found === due })]
  } finally {
    await db.close()
    await database.drop()
  }
}
