import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'
import { TASKS } from '../src/engine/queue.ts'
import type { App } from '../src/http/app.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Creates `count` items through the API, 100 at a time; each queues one execution. */
export async function createItems(app: App, apiKey: string, count: number, parameters: Record<string, string>): Promise<void> {
  for (let created = 0; created < count; created += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - created) }, async () => {
        const reply = await app.inject({ method: 'POST', url: '/items', headers: { 'x-api-key': apiKey }, payload: { connectorId: 0, parameters } })
        if (reply.statusCode !== 200) throw new Error(`creating an item answered ${reply.statusCode}: ${reply.body}`)
      }),
    )
  }
}

/**
 * Starts `count` `tributary worker` processes on the queue the API filled, waits until no
 * execution is open, and returns the worker processes' peak RSS (the largest high-water mark).
 * The queued executions are held until every worker has started: a worker's start (about a
 * second of CPU) would otherwise run beside another worker's first executions, inside the
 * measured time.
 */
export async function runWorkersUntilDone(pool: pg.Pool, env: Record<string, string>, count: number): Promise<{ peakRssBytes: number }> {
  const holdExecutions = (runAt: string) =>
    pool.query(`select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where task_identifier = $1), run_at := ${runAt})`, [TASKS.runExecution])
  await holdExecutions(`now() + interval '1 day'`)
  const workers = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'worker'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let errors = ''
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)))
    // The banner is printed once the engine has started.
    let output = ''
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_000)
        if (output.includes('Tributary is running')) resolve()
      })
    })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    return { child, errors: () => errors, started, exited }
  })
  let peakRssBytes = 0
  try {
    const exitedEarly = Promise.race(workers.map(async (w) => (await w.exited, w)))
    const early = await Promise.race([Promise.all(workers.map((w) => w.started)).then(() => null), exitedEarly])
    if (early) throw new Error(`a worker exited while starting (${early.child.exitCode}): ${early.errors()}`)
    await holdExecutions('now()')
    for (;;) {
      for (const { child } of workers) peakRssBytes = Math.max(peakRssBytes, await highWaterRss(child.pid!))
      const { rows } = await pool.query<{ open: number }>('select count(*)::int as open from executions where finished_at is null')
      if (rows[0].open === 0) return { peakRssBytes }
      const dead = workers.find(({ child }) => child.exitCode !== null)
      if (dead) throw new Error(`a worker exited (${dead.child.exitCode}): ${dead.errors()}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  } finally {
    for (const { child } of workers) child.kill('SIGKILL')
    await Promise.all(workers.map((w) => w.exited))
  }
}

/**
 * From the first login to the last finish, by the executions' own timelines; how they ended; and
 * the most steps spent at the institution (every status between CREATED and MERGING).
 */
export async function executionsWall(pool: pg.Pool): Promise<{ wallMs: number; count: number; succeeded: number; institutionSteps: number }> {
  const { rows } = await pool.query<{ wall_ms: number; count: number; succeeded: number; institution_steps: number }>(
    `select extract(epoch from max(finished_at) - min((steps->1->>'startedAt')::timestamptz)) * 1000 as wall_ms,
            count(*)::int as count, (count(*) filter (where status = 'SUCCESS'))::int as succeeded,
            max(jsonb_array_length(steps) - 3)::int as institution_steps
     from executions`,
  )
  return { wallMs: Number(rows[0].wall_ms), count: rows[0].count, succeeded: rows[0].succeeded, institutionSteps: rows[0].institution_steps }
}

/** A process's peak resident set size (VmHWM), in bytes; 0 once it is gone. */
async function highWaterRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kib ? Number(kib) * 1024 : 0
}
