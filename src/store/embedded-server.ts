import { Worker } from 'node:worker_threads'
import type { ThreadOptions, ThreadReply, ThreadRequest, ThreadStarted } from './embedded-thread.ts'

/** The embedded database's thread module, beside this one (compiled, or the sources under tsx/vitest). */
const THREAD_MODULE = new URL(import.meta.url.endsWith('.ts') ? './embedded-thread.ts' : './embedded-thread.js', import.meta.url)

type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/**
 * The embedded database (PGlite) running in a thread of its own (embedded-thread.ts), so that
 * PostgreSQL's work runs beside the engine's rather than taking turns with it on one core.
 */
export class EmbeddedDatabaseThread {
  private readonly waiting = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>()
  private nextId = 1
  private stopped: Error | undefined

  private constructor(
    private readonly worker: Worker,
    /** A new database that did not start from a snapshot (see embedded-snapshot.ts). */
    readonly unprepared: boolean,
  ) {
    worker.on('message', (reply: ThreadReply) => {
      const waiter = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if (reply.error) waiter?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
      else waiter?.resolve(reply.result)
    })
    const stop = (error: Error) => {
      this.stopped ??= error
      for (const waiter of this.waiting.values()) waiter.reject(this.stopped)
      this.waiting.clear()
    }
    worker.on('error', (error) => stop(new Error(`The embedded database stopped: ${error.message}`)))
    worker.on('exit', () => stop(new Error('The embedded database was closed.')))
  }

  /** Opens the database in `dataDir` (`:memory:` keeps it in memory); a new one starts from `snapshot` when given. */
  static async start(dataDir: string, snapshot?: Blob): Promise<EmbeddedDatabaseThread> {
    const bytes = snapshot ? new Uint8Array(await snapshot.arrayBuffer()) : undefined
    const options: ThreadOptions = { dataDir, snapshot: bytes }
    const transferList = bytes ? [bytes.buffer as ArrayBuffer] : []
    // The sources (tests, `npm run dev`) are TypeScript: the thread loads them through tsx, as the process does.
    const worker = THREAD_MODULE.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_MODULE.href)}) })`, { eval: true, workerData: options, transferList })
      : new Worker(THREAD_MODULE, { workerData: options, transferList })
    const started = await new Promise<ThreadStarted>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    if ('failed' in started) {
      await worker.terminate()
      throw new Error(started.failed.message)
    }
    return new EmbeddedDatabaseThread(worker, started.started.unprepared)
  }

  private request<T>(request: Request): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (result: unknown) => void, reject })
      this.worker.postMessage({ ...request, id })
    })
  }

  /** Serves the database on a new loopback socket; its connection string. */
  serve(): Promise<string> {
    return this.request({ op: 'serve' })
  }

  /** Closes the socket; the database stays open (to be served again later). */
  unserve(): Promise<void> {
    return this.request({ op: 'unserve' })
  }

  exec(sql: string): Promise<void> {
    return this.request({ op: 'exec', sql })
  }

  query<T>(sql: string): Promise<T[]> {
    return this.request({ op: 'query', sql })
  }

  /**
   * The data directory as a tarball, just after a checkpoint: a database opened from it then replays
   * no WAL. Not gzipped: unpacking 40 MB of gzip at every start cost more than reading 40 MB.
   */
  async dump(): Promise<Blob> {
    return new Blob([await this.request<Uint8Array<ArrayBuffer>>({ op: 'dump' })])
  }

  async close(): Promise<void> {
    if (!this.stopped) await this.request({ op: 'close' }).catch(() => {})
    await this.worker.terminate()
  }
}

/** The embedded database served on a loopback socket, so that the store and graphile-worker speak the same wire protocol to it as to PostgreSQL. */
export interface EmbeddedServer {
  thread: EmbeddedDatabaseThread
  connectionString: string
  /** A new database that did not start from a snapshot (see embedded-snapshot.ts). */
  unprepared: boolean
  /** Closes the socket and the database. */
  stop(): Promise<void>
  /** Closes the socket only, and gives the database back (to serve it again later). */
  detach(): Promise<EmbeddedDatabaseThread>
}

/**
 * Starts the embedded database in `dataDir` (`:memory:` keeps it in memory) and its socket. A new
 * database starts from `snapshot` when given; an existing one as it is.
 */
export async function startEmbeddedServer(dataDir: string, snapshot?: Blob): Promise<EmbeddedServer> {
  const thread = await EmbeddedDatabaseThread.start(dataDir, snapshot)
  return serveEmbedded(thread).catch(async (error) => {
    await thread.close()
    throw error
  })
}

/** Serves an open embedded database on a new loopback socket. */
export async function serveEmbedded(thread: EmbeddedDatabaseThread): Promise<EmbeddedServer> {
  return {
    thread,
    connectionString: await thread.serve(),
    unprepared: thread.unprepared,
    stop: () => thread.close(),
    async detach() {
      await thread.unserve()
      return thread
    },
  }
}
