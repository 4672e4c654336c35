import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batch, checkGuarantees, probePostgresRestart, waitUntilSettled, type Run } from './run-guarantees.ts'
import { ApiClient, ProcessGroup, WebhookReceiver, answerMfaInBackground, createTestDatabase, mapLimit, waitFor, type TestDatabase, type TributaryProcess } from './processes.ts'

// SPEC §6 scale-out, §2.2 (no item stays UPDATING / WAITING_USER_INPUT forever; a dead worker's
// executions are taken over or finished as ERROR within a bounded time), §2.3 (the MFA value
// reaches the execution wherever it runs), §2.8 (merge), §3.5 (outbox, at-least-once delivery):
// one API process and two worker processes share one PostgreSQL database; one worker is killed
// with SIGKILL mid-run, and (second test) the PostgreSQL server itself is restarted mid-run.

const LEASE_SECONDS = 4
const ENV = {
  // Executions take about a second, so there is always work in flight when something breaks.
  TRIBUTARY_SANDBOX_DELAY_MS: '100',
  TRIBUTARY_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
  TRIBUTARY_POLL_INTERVAL_MS: '100',
  // Fewer slots than items: a backlog forms, as in any busy deployment (auto-sync of many items).
  TRIBUTARY_WORKER_CONCURRENCY: '10',
}
/** Generous bounds (never assertions on speed): recovery needs about one lease, a 2-core CI machine may be slow. */
const SETTLE_TIMEOUT_MS = 75_000

const PG_RESTART = probePostgresRestart()
if (!PG_RESTART.ok) console.warn(`crash.test.ts: the PostgreSQL restart test is skipped: ${PG_RESTART.reason}`)

describe('scale-out on PostgreSQL: crashes', { timeout: 240_000 }, () => {
  let db: TestDatabase
  let group: ProcessGroup
  let receiver: WebhookReceiver
  let api: ApiClient
  let apiProcess: TributaryProcess
  const workers: TributaryProcess[] = []
  const run = (): Run => ({ db, group, receiver, settleTimeoutMs: SETTLE_TIMEOUT_MS, leaseSeconds: LEASE_SECONDS })

  beforeAll(async () => {
    db = await createTestDatabase()
    receiver = new WebhookReceiver()
    await receiver.start()
    group = new ProcessGroup(db.url)
    // Started together: each runs the migrations at start, under the advisory lock (SPEC §4a.14).
    const [first, ...rest] = await Promise.all([
      group.start({ name: 'api', role: 'api', env: ENV }),
      group.start({ name: 'worker-1', role: 'worker', env: ENV }),
      group.start({ name: 'worker-2', role: 'worker', env: ENV }),
    ])
    apiProcess = first
    workers.push(...rest)
    api = new ApiClient(apiProcess.url)
    await api.login()
    const webhook = await api.request('POST', '/webhooks', { event: 'all', url: receiver.url })
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(200)
  }, 240_000)

  afterAll(async () => {
    await group?.stopAll('SIGKILL')
    await receiver?.stop()
    await db?.drop()
  }, 120_000)

  it('a worker killed with SIGKILL mid-run: every item still ends, nothing runs twice, nothing is lost', async () => {
    const started = Date.now()
    const log = (what: string) => console.info(`crash +${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`)
    const mfa = answerMfaInBackground(api)
    const specs = batch('crash', 200)
    let victim: { process: TributaryProcess; workerId: string; held: string[] }
    try {
      // More work than the two workers' slots (TRIBUTARY_WORKER_CONCURRENCY), so that besides
      // running executions there is a backlog, part of which the workers' queues have fetched.
      await mapLimit(specs.slice(0, 150), 16, (body) => api.createItem(body))
      log('150 items created')

      // Kill the worker holding the most executions, once it holds several (mid-run by construction).
      const target = await waitFor(
        async () => {
          const rows = await db.query(`select worker_id, count(*)::int as n from executions where finished_at is null and worker_id is not null group by 1 order by 2 desc`)
          const busiest = rows.find((r) => workers.some((w) => w.ownsWorkerId(r.worker_id)))
          if (!busiest || busiest.n < 5) return undefined
          return { process: workers.find((w) => w.ownsWorkerId(busiest.worker_id))!, workerId: busiest.worker_id as string }
        },
        { timeoutMs: 60_000, intervalMs: 100, describe: async () => `no worker ever held 5 executions at once\n${group.output()}` },
      )
      target.process.killNow('SIGKILL')
      await target.process.exited
      const held = await db.query(`select id from executions where worker_id = $1 and finished_at is null`, [target.workerId])
      victim = { ...target, held: held.map((r) => r.id) }
      const [backlog] = await db.query(
        `select count(*) filter (where e.worker_id is null)::int as unclaimed, count(*) filter (where j.locked_at is not null and e.worker_id is null)::int as "lockedUnclaimed"
         from executions e left join graphile_worker.jobs j on j.key = 'execution:' || e.id::text where e.finished_at is null`,
      )
      log(`killed ${target.process.name} holding ${victim.held.length} running executions; unfinished and unclaimed: ${backlog.unclaimed} (job locked by a queue: ${backlog.lockedUnclaimed})`)

      // The surviving worker takes all new work, and recovers the dead one's.
      await mapLimit(specs.slice(150), 16, (body) => api.createItem(body))
      log('200 items created')
      await waitUntilSettled(run(), 'crash')
      log('every item settled')
    } finally {
      await mfa.stop()
    }

    expect(victim.held.length, 'the killed worker held executions when it died').toBeGreaterThan(0)
    const afterwards = await db.query(`select id, status, finished_at from executions where id = any($1::uuid[])`, [victim.held])
    expect(afterwards.filter((e) => e.finished_at === null)).toEqual([])
    const outcomes = new Map<string, number>()
    for (const e of afterwards) outcomes.set(e.status, (outcomes.get(e.status) ?? 0) + 1)
    log(`the killed worker's running executions ended as ${JSON.stringify(Object.fromEntries(outcomes))}`)
    // Taken over by the surviving worker: their later steps say so.
    const [{ resumed }] = await db.query(`select count(*)::int as resumed from executions where id = any($1::uuid[]) and steps @> '[{"attempt": 2}]'`, [victim.held])
    expect(resumed, 'the killed worker’s executions were resumed by another').toBeGreaterThan(0)
    await checkGuarantees(run(), 'crash', specs)
    log('guarantees checked')
    // The 2-step MFA items were answered through the API process and resumed on the workers (SPEC §2.3).
    const [{ answered }] = await db.query(
      `select count(*)::int as answered from executions e join items i on i.id = e.item_id where i.client_user_id like 'crash-%' and e.steps @> '[{"status": "LOGIN_MFA_IN_PROGRESS"}]'`,
    )
    expect(answered).toBeGreaterThan(0)

    // The remaining processes are alive and healthy.
    for (const proc of group.running()) await proc.waitHealthy(30_000)
    expect(group.running()).toHaveLength(2)
  })

  it('a worker frozen past its lease: the other takes its executions over and finishes them; once thawed it writes nothing', async () => {
    const started = Date.now()
    const log = (what: string) => console.info(`freeze +${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`)
    if (group.running().filter((p) => p.role === 'worker').length < 2) workers.push(await group.start({ name: 'worker-freeze', role: 'worker', env: ENV }))
    const mfa = answerMfaInBackground(api)
    const specs = batch('freeze', 60)
    let frozen: TributaryProcess
    let held: string[]
    try {
      await mapLimit(specs, 16, (body) => api.createItem(body))
      const target = await waitFor(
        async () => {
          const rows = await db.query(`select worker_id, count(*)::int as n from executions where finished_at is null and worker_id is not null group by 1 order by 2 desc`)
          const busiest = rows.find((r) => group.running().some((w) => w.role === 'worker' && w.ownsWorkerId(r.worker_id)))
          if (!busiest || busiest.n < 5) return undefined
          return { process: group.running().find((w) => w.ownsWorkerId(busiest.worker_id))!, workerId: busiest.worker_id as string }
        },
        { timeoutMs: 60_000, intervalMs: 100, describe: async () => `no worker ever held 5 executions at once\n${group.output()}` },
      )
      frozen = target.process
      frozen.killNow('SIGSTOP')
      held = (await db.query(`select id from executions where worker_id = $1 and finished_at is null`, [target.workerId])).map((r) => r.id)
      log(`froze ${frozen.name} holding ${held.length} running executions`)
      await waitUntilSettled(run(), 'freeze')
      log('every item settled while it was frozen')
    } finally {
      await mfa.stop()
    }
    const before = await db.query(`select id, status, steps, finished_at from executions where id = any($1::uuid[]) order by id`, [held])
    expect(before.every((e) => e.finished_at !== null)).toBe(true)
    frozen.killNow('SIGCONT')
    // Thawed, it finds by its heartbeat that another worker holds its executions, and stops them.
    await waitFor(async () => frozen.tail(20_000).includes('no longer held by this worker'), {
      timeoutMs: 60_000,
      intervalMs: 200,
      describe: async () => `${frozen.name} never noticed that its executions were taken over\n${frozen.tail()}`,
    })
    log('thawed; it stopped the executions it no longer holds')
    const after = await db.query(`select id, status, steps, finished_at from executions where id = any($1::uuid[]) order by id`, [held])
    expect(after, 'nothing written by the thawed worker').toEqual(before)
    await checkGuarantees(run(), 'freeze', specs)
    await frozen.waitHealthy(30_000)
  })

  it.skipIf(!PG_RESTART.ok)(
    `PostgreSQL restarted mid-run: every process reconnects, every item still ends, nothing runs twice, nothing is lost${PG_RESTART.ok ? '' : ` (skipped: ${PG_RESTART.reason})`}`,
    async (context) => {
      if (!PG_RESTART.ok) return
      // Two workers again.
      if (group.running().filter((p) => p.role === 'worker').length < 2) workers.push(await group.start({ name: 'worker-3', role: 'worker', env: ENV }))
      const alive = group.running()
      expect(alive).toHaveLength(3)
      const mfa = answerMfaInBackground(api)
      try {
        await mapLimit(batch('restart', 100), 8, (body) => api.createItem(body))
        await waitFor(
          async () => {
            const [{ n }] = await db.query(`select count(*)::int as n from executions where finished_at is null and worker_id is not null`)
            return n >= 10
          },
          { timeoutMs: 60_000, intervalMs: 100, describe: async () => `fewer than 10 executions ever ran at once\n${group.output()}` },
        )

        const [before] = await db.query(`select pg_postmaster_start_time() as at, count(*)::int as n from executions where finished_at is null and worker_id is not null`)
        const restart = spawnSync('pg_ctlcluster', [PG_RESTART.version, 'main', 'restart'], { encoding: 'utf8', timeout: 120_000 })
        if (restart.error || restart.status !== 0) {
          context.skip(`\`pg_ctlcluster ${PG_RESTART.version} main restart\` failed: ${restart.error?.message ?? restart.stderr?.trim() ?? restart.status}`)
        }
        const [after] = await db.query(`select pg_postmaster_start_time() as at`, [], 60_000)
        expect(after.at.getTime(), 'the server really restarted').toBeGreaterThan(before.at.getTime())
        console.info(`restart: PostgreSQL restarted with ${before.n} executions running`)

        // Every process survives and answers /health again (it may have answered 503 while the database was away).
        for (const proc of alive) {
          if (proc.running) await proc.waitHealthy(60_000).catch(() => {})
          expect(proc.running, `${proc.name} (${proc.role}) exited after the database restart: ${JSON.stringify(await Promise.race([proc.exited, 'running']))}\n${proc.tail(6000)}`).toBe(true)
        }
        for (const proc of alive) await proc.waitHealthy(60_000)

        // New work after the restart reaches the workers too.
        await mapLimit(batch('restart-after', 20), 8, (body) => api.createItem(body))
        await waitUntilSettled(run(), 'restart')
      } finally {
        await mfa.stop()
      }
      // 'restart-%' covers both batches.
      await checkGuarantees(run(), 'restart', [...batch('restart', 100), ...batch('restart-after', 20)])
      for (const proc of group.running()) await proc.waitHealthy(30_000)
    },
  )
})
