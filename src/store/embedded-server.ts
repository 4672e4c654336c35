import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { serializeProtocolSequences } from './pglite-queue.ts'
import { extractSnapshot } from './snapshot-files.ts'

/**
 * The embedded server's memory, sized to an engine's needs rather than a shared server's: its
 * buffers and sort memory live in the process, where PostgreSQL's defaults would hold hundreds
 * of MB for a database of a few.
 */
const EMBEDDED_MEMORY = ['-c', 'shared_buffers=16MB', '-c', 'work_mem=4MB', '-c', 'maintenance_work_mem=16MB', '-c', 'temp_buffers=2MB', '-c', 'wal_buffers=1MB']

/** PGlite (PostgreSQL in WebAssembly, in this process) exposed on a loopback socket. */
export interface EmbeddedServer {
  lite: PGlite
  connectionString: string
  /** A new database that did not start from a snapshot (see embedded-snapshot.ts). */
  unprepared: boolean
  /** Closes the socket and PGlite. */
  stop(): Promise<void>
  /** Closes the socket only, and gives PGlite back (to serve it again later). */
  detach(): Promise<PGlite>
}

/**
 * Starts PGlite in `dataDir` (`:memory:` keeps it in memory) and its socket, so that the store
 * and graphile-worker speak the same wire protocol to it as to PostgreSQL. A new database starts
 * from `snapshot` when given; an existing one as it is.
 */
export async function startEmbeddedServer(dataDir: string, snapshot?: Blob): Promise<EmbeddedServer> {
  const pgliteWasmModule = compiledPglite()
  let dataPath: string | undefined
  let fresh = true
  if (dataDir !== ':memory:') {
    dataPath = path.join(dataDir, 'pgdata')
    await mkdir(dataPath, { recursive: true })
    fresh = !existsSync(path.join(dataPath, 'PG_VERSION'))
  }
  let loadDataDir = fresh ? snapshot : undefined
  // On disk, the snapshot is written out first and PGlite opens it as an existing database.
  if (loadDataDir && dataPath && (await extractSnapshot(new Uint8Array(await loadDataDir.arrayBuffer()), dataPath))) loadDataDir = undefined
  const lite = await PGlite.create(dataPath, {
    ...(loadDataDir ? { loadDataDir } : {}),
    pgliteWasmModule: await pgliteWasmModule,
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_MEMORY],
  })
  return serveEmbedded(lite, fresh && !snapshot)
}

let pgliteModule: Promise<WebAssembly.Module> | undefined

/**
 * PGlite's WebAssembly module, compiled once per process for all its databases, beginning while a
 * start reads and writes the snapshot. Left to PGlite, the module was compiled as the database
 * started and its first queries stalled the process 100–200 ms waiting for background threads to
 * finish it (npm start to /health: about 300 ms later).
 */
function compiledPglite(): Promise<WebAssembly.Module> {
  pgliteModule ??= readFile(new URL('./pglite.wasm', import.meta.resolve('@electric-sql/pglite'))).then((bytes) => WebAssembly.compile(bytes))
  return pgliteModule
}

/** Exposes a running PGlite on a new loopback socket. */
export async function serveEmbedded(lite: PGlite, unprepared = false): Promise<EmbeddedServer> {
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 100 })
  serializeProtocolSequences(server)
  await server.start()
  return {
    lite,
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres`,
    unprepared,
    async stop() {
      await server.stop()
      await lite.close()
    },
    async detach() {
      await server.stop()
      return lite
    },
  }
}
