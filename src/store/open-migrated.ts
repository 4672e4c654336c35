import type { Config } from '../config.ts'
import { openDatabase, type Database } from './database.ts'
import { findSnapshot, saveSnapshot } from './embedded-snapshot.ts'
import { migrate } from './migrate.ts'

/**
 * Opens the database and brings it to the current migrations. A new embedded database starts
 * from the migrated snapshot (embedded-snapshot.ts), so its migrations find nothing to do; one
 * that had no snapshot to start from is kept as the snapshot for the next starts.
 */
export async function openMigratedDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'preparedStatements'>>,
  options: { poolSize?: number; snapshot?: boolean } = {},
): Promise<Database> {
  const useSnapshot = !config.databaseUrl && options.snapshot !== false
  const db = await openDatabase(config, { poolSize: options.poolSize, snapshot: useSnapshot ? await findSnapshot() : undefined })
  await migrateOpened(db, { snapshot: useSnapshot })
  return db
}

/**
 * Brings an open database to the current migrations (and keeps a new embedded one as the snapshot,
 * when `snapshot`); closes it if that fails.
 */
export async function migrateOpened(db: Database, options: { snapshot: boolean }): Promise<void> {
  try {
    await migrate(db.pool, db.connectionString)
    // Only the empty, just-migrated database is a snapshot: nothing of anyone's is in it yet.
    if (options.snapshot && db.unprepared && db.dump) await saveSnapshot(await db.dump()).catch(() => {})
  } catch (error) {
    await db.close()
    throw error
  }
}
