import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import type { Config } from '../config.ts'
import { serializeProtocolSequences } from './pglite-queue.ts'

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient

export interface Database {
  pool: pg.Pool
  /** The URL graphile-worker and other processes connect with. */
  connectionString: string
  embedded: boolean
  close(): Promise<void>
}

// bigint (int8) as number: event sequence numbers stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value))

/**
 * Opens PostgreSQL from `DATABASE_URL`, or else the embedded PGlite in the data dir, exposed on a
 * loopback socket so that the store and graphile-worker speak the same wire protocol to both.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: { poolSize?: number } = {}): Promise<Database> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 20 })
    quietIdleErrors(pool)
    return { pool, connectionString: config.databaseUrl, embedded: false, close: () => pool.end() }
  }
  let dataPath: string | undefined
  if (config.dataDir !== ':memory:') {
    dataPath = path.join(config.dataDir, 'pgdata')
    await mkdir(dataPath, { recursive: true })
  }
  const lite = await PGlite.create(dataPath)
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 100 })
  serializeProtocolSequences(server)
  await server.start()
  const address = server.getServerConn()
  const connectionString = `postgres://postgres@${address}/postgres`
  // The socket server multiplexes every connection onto PGlite's single session, so named
  // prepared statements would collide between connections: pg only prepares when given a name,
  // and graphile-worker is started with noPreparedStatements.
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 })
  quietIdleErrors(pool)
  return {
    pool,
    connectionString,
    embedded: true,
    async close() {
      await pool.end()
      await server.stop()
      await lite.close()
    },
  }
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
