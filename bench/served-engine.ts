import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_CLIENT } from './bench-database.ts'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** A Tributary server started as its own process tree, the way an operator starts it. */
export interface ServedEngine {
  url: string
  /** From spawning the command to the first answered GET /health. */
  startMs: number
  /** Resident memory of the whole process tree (npm, node and anything they started), in bytes. */
  treeRss(): Promise<number>
  /** Resident memory of the engine's own process (the largest of the tree: node, not npm), in bytes. */
  engineRss(): Promise<number>
  apiKey(): Promise<string>
  /** Stops the process tree and deletes its data directory, unless `keepDataDir` (then `removeDataDir()` does later). */
  stop(options?: { keepDataDir?: boolean }): Promise<void>
  removeDataDir(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address ? address.port : 0
}

/** Starts `command` (e.g. `npm start`) in the repository with a fresh data dir and waits for /health. */
export async function serveEngine(command: string[], env: Record<string, string> = {}): Promise<ServedEngine> {
  const port = await freePort()
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-bench-'))
  const started = performance.now()
  const child = spawn(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CLIENT_ID: BENCH_CLIENT.clientId,
      TRIBUTARY_CLIENT_SECRET: BENCH_CLIENT.clientSecret,
      LOG_LEVEL: 'warn',
      ...env,
    },
  })
  const url = `http://127.0.0.1:${port}`
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true })
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited (${code}) before answering /health`))))
  exited.catch(() => {})
  for (;;) {
    const ok = await Promise.race([
      fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ])
    if (ok) break
    await new Promise((r) => setTimeout(r, 10))
  }
  const startMs = performance.now() - started
  return {
    url,
    startMs,
    treeRss: async () => (await treeRsses(child)).reduce((sum, bytes) => sum + bytes, 0),
    engineRss: async () => Math.max(...(await treeRsses(child))),
    async apiKey() {
      const reply = await fetch(`${url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_CLIENT) })
      return ((await reply.json()) as { apiKey: string }).apiKey
    },
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve))
        process.kill(-child.pid!, 'SIGTERM')
        await gone
      }
      if (!options.keepDataDir) await removeDataDir()
    },
    removeDataDir,
  }
}

/** The resident memory of a process and of each of its descendants (read from /proc). */
async function treeRsses(root: ChildProcess): Promise<number[]> {
  const { readdir } = await import('node:fs/promises')
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (stat) parents.set(Number(entry), ppid)
  }
  const tree = new Set([root.pid!])
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, ppid] of parents) if (tree.has(ppid) && !tree.has(pid)) tree.add(pid), (grew = true)
  }
  const bytes: number[] = []
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
    bytes.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024)
  }
  return bytes
}
