/**
 * The embedded database's starting point: a snapshot of an empty database with every migration
 * applied (a tarball of its data directory, plain or gzipped). Initialising PostgreSQL from scratch and running every migration takes seconds; loading
 * the snapshot takes a fraction of that, so `npm start` and every test engine start from it. The
 * build writes one next to the compiled code; otherwise the first start makes one and keeps it
 * in the system's temporary directory. Either is used only while it matches the migrations (by a
 * hash of their files), and the migrations still run after it, so a stale or missing snapshot
 * only costs time.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MIGRATIONS_DIR } from './migrations-dir.ts'

/** Bump when the snapshot's contents change for a reason other than the migrations (a PGlite upgrade). */
const SNAPSHOT_FORMAT = 'pglite-0.5.14/checkpointed'
const HERE = path.dirname(fileURLToPath(import.meta.url))
/**
 * Where the build writes the snapshot (next to this module in dist/store/): a plain tarball, as
 * unpacking 40 MB of gzip cost a start about 0.1 s of CPU (the package's own tarball compresses it).
 */
export const BUILT_SNAPSHOT = path.join(HERE, 'embedded-database.tar')

/** Identifies the migrations a snapshot was made with. */
export async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256').update(SNAPSHOT_FORMAT)
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort()
  for (const file of files) hash.update(`\0${file}\0`).update(await readFile(path.join(MIGRATIONS_DIR, file)))
  return hash.digest('hex').slice(0, 20)
}

/** A snapshot file starts with its hash, so a file of other migrations is never loaded. */
function encode(hash: string, tarball: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${hash}\n`), tarball])
}

function decode(file: Buffer, hash: string): Blob | undefined {
  const header = Buffer.from(`${hash}\n`)
  return file.subarray(0, header.length).equals(header) ? new Blob([new Uint8Array(file.subarray(header.length))]) : undefined
}

/** Which file holds the snapshot for the current migrations, looked up once per process. */
let inProcess: { hash: string; file: Promise<string | undefined> } | undefined

async function readSnapshot(file: string, hash: string): Promise<Blob | undefined> {
  return readFile(file).then(
    (content) => decode(content, hash),
    () => undefined,
  )
}

/**
 * The snapshot for the current migrations, or undefined when there is none yet: the build's file,
 * else the temporary directory's. Read from the file at each call rather than kept: the process
 * would otherwise hold its 40 MB for good.
 */
export async function findSnapshot(): Promise<Blob | undefined> {
  const hash = await migrationsHash()
  if (inProcess?.hash !== hash) {
    const first = (async () => {
      for (const file of [BUILT_SNAPSHOT, cacheFile(hash)]) {
        const snapshot = await readSnapshot(file, hash)
        if (snapshot) return { file, snapshot }
      }
      return undefined
    })()
    inProcess = { hash, file: first.then((found) => found?.file) }
    return (await first)?.snapshot
  }
  const file = await inProcess.file
  return file ? readSnapshot(file, hash) : undefined
}

/** Keeps a snapshot (a tarball of the data directory) for the next starts. */
export async function saveSnapshot(tarball: Blob, file?: string): Promise<void> {
  const hash = await migrationsHash()
  const bytes = new Uint8Array(await tarball.arrayBuffer())
  const target = file ?? cacheFile(hash)
  // Written aside and renamed: processes starting together never read half a file.
  const partial = `${target}.${randomBytes(4).toString('hex')}.partial`
  await writeFile(partial, encode(hash, bytes))
  await rename(partial, target)
  inProcess = { hash, file: Promise.resolve(target) }
}

function cacheFile(hash: string): string {
  return path.join(os.tmpdir(), `tributary-embedded-${hash}.tar`)
}
