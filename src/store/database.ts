import { createHash } from 'node:crypto'
import type { Socket } from 'node:net'
import pg from 'pg'
import type { Config } from '../config.ts'
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts'

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient

export interface Database {
  pool: pg.Pool
  /** The URL graphile-worker and other processes connect with. */
  connectionString: string
  embedded: boolean
  /** Embedded only: a new database that did not start from a snapshot (see embedded-snapshot.ts). */
  unprepared?: boolean
  /** Embedded only: the data directory as a gzipped tarball (to keep as a snapshot). */
  dump?(): Promise<Blob>
  /** Statements are prepared once per connection (see {@link PreparingClient}). */
  preparesStatements: boolean
  close(): Promise<void>
}

// bigint (int8) as number: event sequence numbers stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value))

/**
 * Opens PostgreSQL from `DATABASE_URL`, or else the embedded PGlite in the data dir, exposed on a
 * loopback socket so that the store and graphile-worker speak the same wire protocol to both.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'preparedStatements'>>,
  options: { poolSize?: number; snapshot?: Blob } = {},
): Promise<Database> {
  if (config.databaseUrl) {
    const preparesStatements = config.preparedStatements ?? true
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 20, Client: preparesStatements ? PreparingClient : CorkingClient })
    quietIdleErrors(pool)
    return { pool, connectionString: config.databaseUrl, embedded: false, preparesStatements, close: () => pool.end() }
  }
  return embeddedDatabase(await startEmbeddedServer(config.dataDir, options.snapshot), { poolSize: options.poolSize })
}

/**
 * A Database over an embedded server; `close` ends the pool and then `release`s the server
 * (stops it, unless given another way to let it go).
 */
export function embeddedDatabase(server: EmbeddedServer, options: { poolSize?: number; release?: () => Promise<void> } = {}): Database {
  // The socket server multiplexes every connection onto PGlite's single session, where named
  // prepared statements would collide between connections: the pool's connections prepare under
  // names of their own, and graphile-worker, whose names are fixed, is started with
  // noPreparedStatements. Idle connections are kept (they are in the process): a new one would
  // prepare its statements again under new names, while the session keeps the old ones.
  const pool = new pg.Pool({ connectionString: server.connectionString, max: options.poolSize ?? 10, idleTimeoutMillis: 0, Client: EmbeddedPreparingClient })
  quietIdleErrors(pool)
  return {
    pool,
    connectionString: server.connectionString,
    embedded: true,
    unprepared: server.unprepared,
    dump: () => dumpCheckpointed(server),
    // For the database's other clients (graphile-worker).
    preparesStatements: false,
    async close() {
      await pool.end()
      await (options.release ?? (() => server.stop()))()
    },
  }
}

/**
 * The data directory as a tarball, just after a checkpoint: a database opened from it then replays
 * no WAL (without one, every start from the snapshot replayed the migrations' WAL). Not gzipped:
 * unpacking 40 MB of gzip at every start cost more than reading 40 MB.
 */
export async function dumpCheckpointed(server: EmbeddedServer): Promise<Blob> {
  await server.lite.exec('checkpoint')
  return server.lite.dumpDataDir('none')
}

/**
 * Sends each query's protocol messages (bind, describe, execute, sync…) in one write: pg writes
 * them one by one, which costs a system call and a wake-up of the server each. Corked until the
 * end of the current tick, when the query has written them all.
 */
class CorkingClient extends pg.Client {
  override query(...args: any[]): any {
    const stream = (this as unknown as { connection: { stream: Socket } }).connection.stream
    stream.cork()
    process.nextTick(() => stream.uncork())
    return (super.query as (...passed: unknown[]) => unknown)(...args)
  }
}

/**
 * On PostgreSQL every statement with parameters is prepared once per connection, named after its
 * text: the server then neither parses it again nor, once it settles on a generic plan, plans it
 * again — about half of the server's time for the engine's statements, which are few and run
 * over and over. On the embedded database too, where it cut a burst of 500 sandbox items from
 * 10.1 s to 8.5 s (docs/performance.md).
 */
class PreparingClient extends CorkingClient {
  /** Said after each statement's name (the embedded database's connections share one session). */
  protected readonly suffix: string = ''

  // One override stands for all of pg's overloads; every form but (text, values) passes through.
  override query(...args: any[]): any {
    const [text, values, callback] = args
    if (typeof text === 'string' && Array.isArray(values)) {
      const name = statementName(text)
      if (name) return super.query({ name: name + this.suffix, text, values }, callback)
    }
    return (super.query as (...passed: unknown[]) => unknown)(...args)
  }
}

let embeddedConnections = 0

/**
 * The embedded database's socket multiplexes every connection onto PGlite's one session, where
 * prepared statements are shared: each connection prepares its own, under names of its own.
 */
class EmbeddedPreparingClient extends PreparingClient {
  protected override readonly suffix = `_${++embeddedConnections}`
}

/** Beyond this many distinct texts (say, SQL built with values in it), the rest go unprepared. */
const MAX_PREPARED_STATEMENTS = 500
const statementNames = new Map<string, string>()
function statementName(text: string): string | undefined {
  let name = statementNames.get(text)
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `t_${createHash('sha1').update(text).digest('base64url')}`
    statementNames.set(text, name)
  }
  return name
}

/**
 * A connection that fails while idle in the pool (the server restarted) must not crash the
 * process: the pool drops it, and the next query opens a new one and reports any real failure.
 */
function quietIdleErrors(pool: pg.Pool): void {
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
}

/** Runs `work` in one transaction on one client; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('begin')
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
