import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { extractSnapshot, packDirectory } from './snapshot-files.ts'

const scratch: string[] = []
afterEach(async () => {
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true })
})
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'snapshot-files-'))
  scratch.push(dir)
  return dir
}

describe('snapshot files', () => {
  it.each([true, false])('packs a data directory and unpacks it, files, modes and all (gzip: %s)', async (gzip) => {
    const source = await tempDir()
    await mkdir(path.join(source, 'base', '5'), { recursive: true, mode: 0o700 })
    await mkdir(path.join(source, 'pg_wal', 'archive_status'), { recursive: true })
    await writeFile(path.join(source, 'PG_VERSION'), '17\n', { mode: 0o600 })
    const relation = Buffer.alloc(8192 * 3 + 17, 7)
    await writeFile(path.join(source, 'base', '5', '1255'), relation, { mode: 0o600 })
    await writeFile(path.join(source, 'empty'), '')

    const tarball = await packDirectory(source, { gzip })
    expect(tarball[0] === 0x1f && tarball[1] === 0x8b).toBe(gzip)
    const target = path.join(await tempDir(), 'pgdata')
    expect(await extractSnapshot(tarball, target)).toBe(true)

    expect(await readFile(path.join(target, 'PG_VERSION'), 'utf8')).toBe('17\n')
    expect((await readFile(path.join(target, 'base', '5', '1255'))).equals(relation)).toBe(true)
    expect(await readFile(path.join(target, 'empty'), 'utf8')).toBe('')
    expect((await stat(path.join(target, 'pg_wal', 'archive_status'))).isDirectory()).toBe(true)
    expect((await stat(path.join(target, 'base', '5', '1255'))).mode & 0o777).toBe(0o600)
    expect((await stat(path.join(target, 'base', '5'))).mode & 0o777).toBe(0o700)
  })

  it('writes nothing from what is not a tarball, nor over a directory that holds something', async () => {
    const parent = await tempDir()
    expect(await extractSnapshot(new Uint8Array(1024).fill(65), path.join(parent, 'a'))).toBe(false)
    const source = await tempDir()
    await writeFile(path.join(source, 'PG_VERSION'), '17\n')
    const occupied = path.join(parent, 'b')
    await mkdir(occupied)
    await writeFile(path.join(occupied, 'keep'), 'mine')
    expect(await extractSnapshot(await packDirectory(source), occupied)).toBe(false)
    expect(await readFile(path.join(occupied, 'keep'), 'utf8')).toBe('mine')
  })
})
