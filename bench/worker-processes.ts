import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'
import { TASKS } from '../src/engine/queue.ts'
import type { App } from '../src/http/app.ts'
import { CostMeter, type RunCost } from './execution-cost.ts'

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
 * execution is open, and returns the worker processes' peak RSS (the largest high-water mark),
 * and with `measureCost` what the run cost. The queued executions are held until every worker
 * has started: a worker's start (about a second of CPU) would otherwise run beside another
 * worker's first executions, inside the measured time.
 */
export async function runWorkersUntilDone(pool: pg.Pool, env: Record<string, string>, count: number, options: { measureCost?: boolean } = {}): Promise<ProcessesRun> {
  const holdExecutions = (runAt: string) =>
    pool.query(`select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where task_identifier = $1), run_at := ${runAt})`, [TASKS.runExecution])
  await holdExecutions(`now() + interval '1 day'`)
  return runProcessesUntilDone(pool, {
    count,
    script: path.join(ROOT, 'src/cli/main.ts'),
    args: ['worker'],
    env,
    startedWhen: 'Tributary is running',
    release: () => holdExecutions('now()'),
    measureCost: options.measureCost ?? false,
  })
}

export interface ProcessesRun {
  peakRssBytes: number
  /** With `measureCost`: from the release to the last finish. */
  cost?: RunCost
}

/**
 * Starts `count` processes running a TypeScript `script`, waits until each has printed
 * `startedWhen`, calls `release` (the queued executions may run), and waits until no execution
 * of the database `pool` is open. The processes are killed on return.
 */
export async function runProcessesUntilDone(
  pool: pg.Pool,
  run: { count: number; script: string; args: string[]; env: Record<string, string>; startedWhen: string; release(): Promise<unknown>; measureCost: boolean },
): Promise<ProcessesRun> {
  const workers = Array.from({ length: run.count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', run.script, ...run.args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let errors = ''
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)))
    let output = ''
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_000)
        if (output.includes(run.startedWhen)) resolve()
      })
    })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    return { child, errors: () => errors + output, started, exited }
  })
  let peakRssBytes = 0
  let meter: CostMeter | undefined
  try {
    const exitedEarly = Promise.race(workers.map(async (w) => (await w.exited, w)))
    const early = await Promise.race([Promise.all(workers.map((w) => w.started)).then(() => null), exitedEarly])
    if (early) throw new Error(`a worker exited while starting (${early.child.exitCode}): ${early.errors()}`)
    if (run.measureCost)
      meter = await CostMeter.start(
        pool,
        workers.map((w) => w.child.pid!),
      )
    await run.release()
    for (;;) {
      for (const { child } of workers) peakRssBytes = Math.max(peakRssBytes, await highWaterRss(child.pid!))
      await meter?.sample()
      const { rows } = await pool.query<{ open: number }>('select count(*)::int as open from executions where finished_at is null')
      if (rows[0].open === 0) break
      const dead = workers.find(({ child }) => child.exitCode !== null)
      if (dead) throw new Error(`a worker exited (${dead.child.exitCode}): ${dead.errors()}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    await meter?.sample()
  } finally {
    for (const { child } of workers) child.kill('SIGKILL')
    await Promise.all(workers.map((w) => w.exited))
  }
  return { peakRssBytes, ...(meter ? { cost: await meter.finish() } : {}) }
}

/**
 * From the first login to the last finish, by the executions' own timelines; how they ended; and
 * the most waits at the institution (every status between CREATED and SUCCESS).
 */
export async function executionsWall(pool: pg.Pool): Promise<{ wallMs: number; count: number; succeeded: number; institutionSteps: number }> {
  const { rows } = await pool.query<{ wall_ms: number; count: number; succeeded: number; institution_steps: number }>(
    `select extract(epoch from max(finished_at) - min((steps->1->>'startedAt')::timestamptz)) * 1000 as wall_ms,
            count(*)::int as count, (count(*) filter (where status = 'SUCCESS'))::int as succeeded,
            -- The login, each product, and the logout while MERGING each wait at the institution.
            max(jsonb_array_length(steps) - 2)::int as institution_steps
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

/** Executions per second from the first login to the last finish, by their own timelines; all must have succeeded. */
export async function executionsRate(pool: pg.Pool, executions: number): Promise<number> {
  const { wallMs, succeeded } = await executionsWall(pool)
  if (succeeded !== executions) {
    const { rows } = await pool.query(`select status, error->>'message' as message, count(*)::int as count from executions where status <> 'SUCCESS' group by 1, 2`)
    throw new Error(`${executions - succeeded} of ${executions} executions did not succeed: ${JSON.stringify(rows)}`)
  }
  return (executions / wallMs) * 1000
}
