/**
 * The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) and the socket
 * it is served on. In the engine's thread, PostgreSQL's work and the engine's shared one core;
 * here the database runs beside the engine, on the machine's other cores, as a server would.
 *
 * Started by embedded-server.ts with the data directory and the snapshot to start from; answers
 * its requests (see {@link ThreadRequest}) by id.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { serializeProtocolSequences } from './pglite-queue.ts'
import { extractSnapshot } from './snapshot-files.ts'

/** What the engine's thread asks of the database's. */
export type ThreadRequest = { id: number } & ({ op: 'serve' } | { op: 'unserve' } | { op: 'exec'; sql: string } | { op: 'query'; sql: string } | { op: 'dump' } | { op: 'close' })
export type ThreadReply = { id: number; result?: unknown; error?: { message: string; code?: string } }
export type ThreadStarted = { started: { unprepared: boolean } } | { failed: { message: string } }
export interface ThreadOptions {
  dataDir: string
  snapshot?: Uint8Array<ArrayBuffer>
}

/**
 * The embedded server's memory, sized to an engine's needs rather than a shared server's: its
 * buffers and sort memory live in the process, where PostgreSQL's defaults would hold hundreds
 * of MB for a database of a few.
 */
const EMBEDDED_MEMORY = [
  ...(process.env.TMP_LOG_DURATIONS ? ['-c', 'log_min_duration_statement=0', '-c', 'log_min_messages=log'] : []),
  '-c',
  'shared_buffers=16MB',
  '-c',
  'work_mem=4MB',
  '-c',
  'maintenance_work_mem=16MB',
  '-c',
  'temp_buffers=2MB',
  '-c',
  'wal_buffers=1MB',
]

/**
 * Opens PGlite in `dataDir` (`:memory:` keeps it in memory). A new database starts from
 * `snapshot` when given; an existing one as it is.
 */
async function open({ dataDir, snapshot }: ThreadOptions): Promise<{ lite: PGlite; unprepared: boolean }> {
  let dataPath: string | undefined
  let fresh = true
  if (dataDir !== ':memory:') {
    dataPath = path.join(dataDir, 'pgdata')
    await mkdir(dataPath, { recursive: true })
    fresh = !existsSync(path.join(dataPath, 'PG_VERSION'))
  }
  let loadDataDir = fresh && snapshot ? new Blob([snapshot]) : undefined
  // On disk, the snapshot is written out first and PGlite opens it as an existing database.
  if (snapshot && loadDataDir && dataPath && (await extractSnapshot(snapshot, dataPath))) loadDataDir = undefined
  const lite = await PGlite.create(dataPath, { ...(loadDataDir ? { loadDataDir } : {}), startParams: [...PGlite.defaultStartParams, ...EMBEDDED_MEMORY] })
  return { lite, unprepared: fresh && !snapshot }
}

async function serve(lite: PGlite): Promise<PGLiteSocketServer> {
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 100 })
  serializeProtocolSequences(server)
  await server.start()
  return server
}

async function run(port: NonNullable<typeof parentPort>, options: ThreadOptions): Promise<void> {
  let lite: PGlite
  let socket: PGLiteSocketServer | undefined
  try {
    const opened = await open(options)
    lite = opened.lite
    port.postMessage({ started: { unprepared: opened.unprepared } } satisfies ThreadStarted)
  } catch (error) {
    port.postMessage({ failed: { message: (error as Error).message } } satisfies ThreadStarted)
    return
  }
  const answer = async (request: ThreadRequest): Promise<unknown> => {
    switch (request.op) {
      case 'serve':
        socket ??= await serve(lite)
        return `postgres://postgres@${socket.getServerConn()}/postgres`
      case 'unserve':
        await socket?.stop()
        socket = undefined
        return undefined
      case 'exec':
        await lite.exec(request.sql)
        return undefined
      case 'query':
        return (await lite.query(request.sql)).rows
      case 'dump':
        // Just after a checkpoint: a database opened from it replays no WAL.
        await lite.exec('checkpoint')
        return new Uint8Array(await (await lite.dumpDataDir('none')).arrayBuffer())
      case 'close':
        await socket?.stop()
        await lite.close()
        port.close()
        return undefined
    }
  }
  port.on('message', (request: ThreadRequest) => {
    answer(request).then(
      (result) => port.postMessage({ id: request.id, result } satisfies ThreadReply, result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : []),
      (error: { message: string; code?: string }) => port.postMessage({ id: request.id, error: { message: error.message, code: error.code } } satisfies ThreadReply),
    )
  })
}

if (parentPort) await run(parentPort, workerData as ThreadOptions)
