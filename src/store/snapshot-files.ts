/**
 * The embedded database's snapshot as files: a gzipped tarball (ustar) of a data directory.
 *
 * - Written from a database that was shut down cleanly, so that one opened from it replays no
 *   WAL (a tarball of a running database starts with crash recovery: about 0.3 s of CPU more).
 * - Unpacked straight to disk before PGlite opens the directory. PGlite can load a tarball
 *   itself, but it unpacks it in memory: the tarball, its 40 MB unpacked and every file's copy
 *   live at once in the process, and the memory they held stays with the process afterwards
 *   (about 100 MB of an idle engine's 300).
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'

const BLOCK = 512

interface TarEntry {
  name: string
  mode: number
  directory: boolean
  data: Uint8Array
}

/** The entries of a POSIX (ustar) tarball; undefined for anything else (the caller then lets PGlite load it). */
export function readTar(tar: Uint8Array): TarEntry[] | undefined {
  const entries: TarEntry[] = []
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length)
    const end = field.indexOf(0)
    return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8')
  }
  const octal = (from: number, length: number) => Number.parseInt(text(from, length).trim() || '0', 8)
  for (let at = 0; at + BLOCK <= tar.length; ) {
    // Two zero blocks end the archive.
    if (tar[at] === 0) break
    const size = octal(at + 124, 12)
    const type = String.fromCharCode(tar[at + 156] || 48)
    const prefix = text(at + 345, 155)
    const name = (prefix ? `${prefix}/` : '') + text(at, 100)
    // Only plain files and directories with names that stay inside the directory are expected.
    if ((type !== '0' && type !== '5') || Number.isNaN(size) || name.split('/').includes('..')) return undefined
    const start = at + BLOCK
    if (start + size > tar.length) return undefined
    entries.push({ name: name.replace(/^\/+/, '').replace(/\/+$/, ''), mode: octal(at + 100, 8) & 0o777, directory: type === '5', data: tar.subarray(start, start + size) })
    at = start + Math.ceil(size / BLOCK) * BLOCK
  }
  return entries
}

/**
 * Unpacks `tarball` (plain or gzipped) into `target` (absent or an empty directory): written beside it and
 * renamed, so a start cut short never leaves half a database. Returns false, having written
 * nothing, when the tarball is not one it can read or `target` holds something.
 */
export async function extractSnapshot(tarball: Uint8Array, target: string): Promise<boolean> {
  const gzipped = tarball[0] === 0x1f && tarball[1] === 0x8b
  const entries = readTar(gzipped ? await promisify(gunzip)(tarball) : tarball)
  if (!entries) return false
  const partial = `${target}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  await mkdir(partial, { recursive: true, mode: 0o700 })
  try {
    for (const entry of entries) if (entry.directory && entry.name) await mkdir(path.join(partial, entry.name), { recursive: true, mode: entry.mode || 0o700 })
    await Promise.all(entries.filter((e) => !e.directory).map((e) => writeFile(path.join(partial, e.name), e.data, { mode: e.mode || 0o600 })))
    await rmdir(target).catch(() => {})
    await rename(partial, target)
    return true
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** A ustar header block for `name` (relative, at most 100 bytes: a data directory's are short). */
function header(name: string, mode: number, size: number, directory: boolean, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK)
  if (Buffer.byteLength(name) > 100) throw new Error(`snapshot: name too long for the tarball: ${name}`)
  const put = (text: string, at: number) => block.write(text, at, 'utf8')
  const octal = (value: number, at: number, width: number) => put(`${value.toString(8).padStart(width - 1, '0')}\0`, at)
  put(name, 0)
  octal(mode, 100, 8)
  octal(0, 108, 8)
  octal(0, 116, 8)
  octal(size, 124, 12)
  octal(mtime, 136, 12)
  put('        ', 148)
  put(directory ? '5' : '0', 156)
  put('ustar\0', 257)
  put('00', 263)
  let sum = 0
  for (const byte of block) sum += byte
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

/** `directory` (a data directory) as a ustar tarball (gzipped unless told), its entries in a stable order. */
export async function packDirectory(directory: string, options: { gzip?: boolean } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Buffer[] = []
  const walk = async (relative: string) => {
    for (const name of (await readdir(path.join(directory, relative))).sort()) {
      const entry = relative ? `${relative}/${name}` : name
      const full = path.join(directory, entry)
      const info = await stat(full)
      const mtime = Math.floor(info.mtimeMs / 1000)
      if (info.isDirectory()) {
        parts.push(header(`${entry}/`, info.mode & 0o777, 0, true, mtime))
        await walk(entry)
      } else if (info.isFile()) {
        const data = await readFile(full)
        parts.push(header(entry, info.mode & 0o777, data.length, false, mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK))
      }
    }
  }
  await walk('')
  parts.push(Buffer.alloc(BLOCK * 2))
  const tar = Buffer.concat(parts)
  return new Uint8Array(options.gzip === false ? tar : await promisify(gzip)(tar))
}
