import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, ProcessGroup, WebhookReceiver, answerMfaInBackground, createTestDatabase, sleep, type TestDatabase, type TributaryProcess } from './processes.ts'
import { batch, checkGuarantees, probePostgresRestart, waitUntilSettled, type Run } from './run-guarantees.ts'

// Chaos: two API processes and three workers on PostgreSQL while items of every flow run, and a
// seeded random sequence of faults — workers killed with SIGKILL or frozen with SIGSTOP past their
// lease, an API process killed, PostgreSQL restarted or stopped for a few seconds. Afterwards: every
// item final and as its sandbox user ends (none in error because of a fault), no execution driven
// by two workers, nothing stored twice, every final event delivered, and no 500 answered while the
// database was away. Set TRIBUTARY_CHAOS_SEED to replay a run; the seed is printed.

const SEED = Number(process.env.TRIBUTARY_CHAOS_SEED ?? Date.now() % 1_000_000_000)
const LEASE_SECONDS = 4
const FAULT_PERIOD_MS = 40_000
const ITEMS = 150
const ENV = { TRIBUTARY_SANDBOX_DELAY_MS: '100', TRIBUTARY_WORKER_LEASE_SECONDS: String(LEASE_SECONDS), TRIBUTARY_POLL_INTERVAL_MS: '100', TRIBUTARY_WORKER_CONCURRENCY: '10' }
const PG = probePostgresRestart()

/** mulberry32: a small seeded generator, so a run's faults can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

let db: TestDatabase
let group: ProcessGroup
let receiver: WebhookReceiver
beforeAll(async () => {
  db = await createTestDatabase()
  receiver = new WebhookReceiver()
  await receiver.start()
  group = new ProcessGroup(db.url)
})
afterAll(async () => {
  for (const process of group?.processes ?? []) if (process.running) process.killNow('SIGCONT')
  await group?.stopAll('SIGKILL')
  await receiver?.stop()
  await db?.drop()
}, 120_000)

describe('chaos on PostgreSQL', () => {
  it(`a seeded sequence of process and database faults while items run: every item ends as its bank says, nothing twice, nothing lost (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const random = seeded(SEED)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
    let started = Date.now()
    const log = (what: string) => console.info(`chaos seed ${SEED} +${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`)
    log(PG.ok ? 'PostgreSQL restarts and stops are among the faults' : `no PostgreSQL faults: ${PG.reason}`)

    const steady = await group.start({ name: 'api-1', role: 'api', env: ENV })
    let spare = await group.start({ name: 'api-2', role: 'api', env: ENV })
    const workers: TributaryProcess[] = []
    for (let i = 1; i <= 3; i++) workers.push(await group.start({ name: `worker-${i}`, role: 'worker', env: ENV }))
    const api = new ApiClient(steady.url)
    await api.login()
    expect((await api.request('POST', '/webhooks', { event: 'all', url: receiver.url })).status).toBe(200)
    started = Date.now()
    const spareClient = () => Object.assign(new ApiClient(spare.url), { apiKey: api.apiKey })

    // Every answer of the API while faults happen: a 500 is a bug, whatever broke.
    const answers = new Map<number, number>()
    const count = (status: number) => answers.set(status, (answers.get(status) ?? 0) + 1)
    let faulting = true
    const watcher = (async () => {
      while (faulting) {
        for (const client of [api, spareClient()]) count((await client.request('GET', '/items?pageSize=1', undefined, 5_000)).status)
        await sleep(200)
      }
    })()

    // Items created through either API process with an Idempotency-Key, sent again (to the other
    // process, if need be) until answered: a lost answer creates no second item.
    const bodies = batch('chaos', ITEMS)
    const create = async (body: Record<string, unknown>, index: number) => {
      for (let attempt = 0; ; attempt++) {
        const client = attempt % 2 === 0 ? api : spareClient()
        const response = await fetch(`${client.baseUrl}/items`, {
          method: 'POST',
          headers: { 'x-api-key': api.apiKey, 'content-type': 'application/json', 'idempotency-key': `chaos-${SEED}-${index}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        }).catch(() => null)
        if (response) count(response.status)
        if (response?.status === 200) return
        if (response && response.status >= 400 && response.status < 500 && response.status !== 409) throw new Error(`POST /items answered ${response.status}: ${await response.text()}`)
        await sleep(300)
      }
    }
    const creating = (async () => {
      for (let i = 0; i < ITEMS; i += 10) {
        await Promise.all(bodies.slice(i, i + 10).map((body, j) => create(body, i + j)))
        await sleep(FAULT_PERIOD_MS / (ITEMS / 10))
      }
    })()
    const mfa = answerMfaInBackground(api)

    const faults: string[] = []
    const kinds = ['kill-worker', 'freeze-worker', 'kill-api', ...(PG.ok ? (['restart-postgres', 'stop-postgres'] as const) : [])] as const
    while (Date.now() - started < FAULT_PERIOD_MS) {
      await sleep(2_000 + random() * 3_000)
      const kind = pick(kinds)
      const live = workers.filter((w) => w.running)
      if (kind === 'kill-worker') {
        const victim = pick(live)
        victim.killNow('SIGKILL')
        await victim.exited
        workers.push(await group.start({ name: `worker-${workers.length + 1}`, role: 'worker', env: ENV }))
        faults.push(`SIGKILL ${victim.name}`)
      } else if (kind === 'freeze-worker') {
        const victim = pick(live)
        const frozenMs = 2_000 + random() * 6_000
        victim.killNow('SIGSTOP')
        faults.push(`SIGSTOP ${victim.name} ${Math.round(frozenMs)} ms`)
        await sleep(frozenMs)
        victim.killNow('SIGCONT')
      } else if (kind === 'kill-api') {
        spare.killNow('SIGKILL')
        await spare.exited
        spare = await group.start({ name: `api-${group.processes.length + 1}`, role: 'api', env: ENV })
        faults.push('SIGKILL the second API process')
      } else if (PG.ok) {
        const stopMs = 1_000 + random() * 5_000
        if (kind === 'stop-postgres') {
          spawnSync('pg_ctlcluster', [PG.version, 'main', 'stop'], { timeout: 60_000 })
          await sleep(stopMs)
          spawnSync('pg_ctlcluster', [PG.version, 'main', 'start'], { timeout: 60_000 })
          faults.push(`PostgreSQL stopped ${Math.round(stopMs)} ms`)
        } else {
          spawnSync('pg_ctlcluster', [PG.version, 'main', 'restart'], { timeout: 60_000 })
          faults.push('PostgreSQL restarted')
        }
      }
      log(faults[faults.length - 1])
    }
    await creating
    faulting = false
    await watcher
    log(`${faults.length} faults; every item created`)

    const run: Run = { db, group, receiver, settleTimeoutMs: 180_000, leaseSeconds: LEASE_SECONDS }
    try {
      await waitUntilSettled(run, 'chaos')
    } finally {
      await mfa.stop()
    }
    log(`every item settled; API answers during the faults: ${JSON.stringify(Object.fromEntries(answers))}`)
    expect(faults.length).toBeGreaterThanOrEqual(5)
    expect(answers.get(500) ?? 0, 'no 500 while processes and the database failed (503 while the database is away)').toBe(0)
    await checkGuarantees(run, 'chaos', bodies)
    log('guarantees checked')
  })
})
