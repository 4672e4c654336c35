/**
 * Embedded databases for test engines, kept in the process between engines: starting PGlite
 * costs most of an engine's start, so an engine that stops hands its database back, wiped to the
 * freshly migrated state, and the next engine of the process starts on it. A database whose
 * schema a test changed (a trigger, a function) is not handed on: it is stopped.
 */
import { dumpCheckpointed, embeddedDatabase, type Database } from '../store/database.ts'
import type { PGlite } from '@electric-sql/pglite'
import { serveEmbedded, startEmbeddedServer, type EmbeddedServer } from '../store/embedded-server.ts'
import { findSnapshot, saveSnapshot } from '../store/embedded-snapshot.ts'
import { migrate } from '../store/migrate.ts'

/** At most this many stopped engines' databases wait for the next engine (each holds ~100 MB). */
const MAX_IDLE = 2
/**
 * How long a stopped engine's database waits for the next engine before it is closed: long enough
 * for the next test's start, short enough that a process done with its tests exits (an open
 * PGlite keeps the process running).
 */
const IDLE_MS = 1_000
const idle: { lite: PGlite; expiry: NodeJS.Timeout }[] = []
/** The schema of a freshly migrated database, to tell a database a test changed. */
let migratedSchema: string | undefined

// Tables, functions and triggers of the engine's schemas: what a wipe does not restore.
const SCHEMA_FINGERPRINT = `
  select md5(coalesce(string_agg(what, ',' order by what), '')) as fingerprint from (
    select 'r:' || n.nspname || '.' || c.relname || ':' || c.relkind::text as what from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'graphile_worker')
    union all select 'f:' || n.nspname || '.' || p.proname || ':' || md5(p.prosrc) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'graphile_worker')
    union all select 't:' || t.tgname from pg_trigger t where not t.tgisinternal
  ) parts`

/**
 * Empties every table the migrations left empty: their bookkeeping and the reference data they
 * seed (payment institutions) stay as a new database has them. Made from the first new database.
 */
let wipe: string | undefined

const TABLES = `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'graphile_worker') order by 1`

async function wipeStatement(lite: PGlite): Promise<string> {
  const empty: string[] = []
  for (const { name } of (await lite.query<{ name: string }>(TABLES)).rows) {
    if (!(await lite.query<{ filled: boolean }>(`select exists (select from ${name}) as filled`)).rows[0].filled) empty.push(name)
  }
  return `truncate ${empty.join(', ')} restart identity cascade`
}
// Resets what a session may have set; alone, as it cannot run in the transaction of a multi-statement query.
const RESET_SESSION = 'discard all'

async function fingerprint(lite: PGlite): Promise<string> {
  return (await lite.query<{ fingerprint: string }>(SCHEMA_FINGERPRINT)).rows[0].fingerprint
}

async function newServer(): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer(':memory:', await findSnapshot())
  if (server.unprepared) {
    // No snapshot yet for these migrations: migrate this one and keep it as the snapshot.
    const db = embeddedDatabase(server, { poolSize: 2, release: async () => {} })
    await migrate(db.pool, db.connectionString)
    await db.close()
    await saveSnapshot(await dumpCheckpointed(server)).catch(() => {})
  }
  migratedSchema ??= await fingerprint(server.lite)
  wipe ??= await wipeStatement(server.lite)
  return server
}

async function handBack(server: EmbeddedServer): Promise<void> {
  const lite = await server.detach()
  try {
    if (wipe && idle.length < MAX_IDLE && (await fingerprint(lite)) === migratedSchema) {
      await lite.exec(wipe)
      await lite.exec(RESET_SESSION)
      const entry = {
        lite,
        expiry: setTimeout(() => {
          idle.splice(idle.indexOf(entry), 1)
          void lite.close().catch(() => {})
        }, IDLE_MS),
      }
      idle.push(entry)
      return
    }
  } catch {
    // A database that cannot be wiped is not handed on.
  }
  await lite.close()
}

/** A migrated, empty embedded database in memory; closing it hands it back for the next engine. */
export async function takeEmbeddedDatabase(): Promise<Database> {
  const reused = idle.pop()
  if (reused) clearTimeout(reused.expiry)
  const server = reused ? await serveEmbedded(reused.lite) : await newServer()
  return embeddedDatabase(server, { release: () => handBack(server) })
}
