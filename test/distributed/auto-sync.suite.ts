import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, ProcessGroup, createTestDatabase, executionProblems, executionsOf, waitFor, type ExecutionFacts, type TestDatabase } from './processes.ts'

// SPEC §2.4 and §4a.13 across processes (§6): three worker processes run the auto-sync scheduler
// against one PostgreSQL database (`for update skip locked`). Updatable items are synced about
// once per interval, by exactly one worker at a time; items that are not updatable never are.

const INTERVAL_SECONDS = 2
/** The interval has ±10% jitter counted from the end of the previous execution: never closer than 1.8 s; ~1.5 s leaves room for clocks. */
const MIN_GAP_MS = 1_500
/** How long the engine gets to (wrongly) sync the items that are not updatable. */
const OBSERVE_MS = 8_000
const ENV = {
  TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
  TRIBUTARY_SANDBOX_DELAY_MS: '50',
  TRIBUTARY_WORKER_LEASE_SECONDS: '6',
  TRIBUTARY_POLL_INTERVAL_MS: '100',
}

const OK = { user: 'user-ok', password: 'password-ok' }

describe('scale-out on PostgreSQL: auto-sync with three workers', { timeout: 240_000 }, () => {
  let db: TestDatabase
  let group: ProcessGroup
  let api: ApiClient

  beforeAll(async () => {
    db = await createTestDatabase()
    group = new ProcessGroup(db.url)
    const [apiProcess] = await Promise.all([
      group.start({ name: 'api', role: 'api', env: ENV }),
      group.start({ name: 'worker-1', role: 'worker', env: ENV }),
      group.start({ name: 'worker-2', role: 'worker', env: ENV }),
      group.start({ name: 'worker-3', role: 'worker', env: ENV }),
    ])
    api = new ApiClient(apiProcess.url)
    await api.login()
  }, 240_000)

  afterAll(async () => {
    await group?.stopAll('SIGKILL')
    await db?.drop()
  }, 120_000)

  async function answerMfaOnce(id: string): Promise<void> {
    await waitFor(async () => (await api.request('GET', `/items/${id}`)).body?.status === 'WAITING_USER_INPUT', {
      timeoutMs: 60_000,
      describe: async () => `item ${id} never asked for MFA: ${JSON.stringify((await api.request('GET', `/items/${id}`)).body)}\n${group.output()}`,
    })
    const reply = await api.request('POST', `/items/${id}/mfa`, { token: '123456' })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  }

  it('syncs each updatable item about once per interval, one execution at a time, and never the others', async () => {
    const create = (label: string, body: Record<string, unknown>) => api.createItem({ ...body, clientUserId: label })
    const updatable: Record<string, any> = {}
    const notUpdatable: Record<string, any> = {}
    for (let i = 0; i < 5; i++) updatable[`ok-${i}`] = await create(`ok-${i}`, { connectorId: 0, parameters: OK })
    // OUTDATED (SITE_NOT_AVAILABLE) accepted the credentials: still updatable (SPEC §4a.13).
    updatable.outdated = await create('outdated', { connectorId: 0, parameters: { user: 'user-unavailable', password: 'password-ok' } })
    // A trusted-device connector: updatable after one execution that answered MFA (SPEC §2.3).
    updatable.trusted = await create('trusted', { connectorId: 4, parameters: OK })
    notUpdatable.loginError = await create('login-error', { connectorId: 0, parameters: { user: 'user-ok', password: 'wrong-password' } })
    notUpdatable.oneStep = await create('one-step', { connectorId: 1, parameters: { ...OK, token: '123456' } })
    notUpdatable.twoStep = await create('two-step', { connectorId: 2, parameters: OK })
    notUpdatable.disabled = await create('disabled', { connectorId: 0, parameters: OK })
    const disabled = await api.request('PATCH', `/items/${notUpdatable.disabled.id}/disable-auto-sync`)
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200)
    expect(disabled.body.nextAutoSyncAt).toBeNull()
    await Promise.all([answerMfaOnce(notUpdatable.twoStep.id), answerMfaOnce(updatable.trusted.id)])

    const all = { ...updatable, ...notUpdatable }
    const ids = Object.values(all).map((item) => item.id as string)
    const label = new Map(Object.entries(all).map(([name, item]) => [item.id as string, name]))

    // Every first execution ends as SPEC §4 says.
    const expectedStatus: Record<string, string> = { outdated: 'OUTDATED', loginError: 'LOGIN_ERROR' }
    await waitFor(
      async () => {
        const items = await Promise.all(ids.map(async (id) => (await api.request('GET', `/items/${id}`)).body))
        return items.every((item) => item?.status && item.status !== 'UPDATING' && item.status !== 'WAITING_USER_INPUT')
      },
      { timeoutMs: 60_000, describe: () => `the first executions did not end\n${group.output()}` },
    )
    for (const [name, item] of Object.entries(all)) {
      const current = (await api.request('GET', `/items/${item.id}`)).body
      if (current.status === 'UPDATING' || current.status === 'WAITING_USER_INPUT') continue // already syncing again
      expect(current.status, name).toBe(expectedStatus[name] ?? 'UPDATED')
    }

    // Watch: at least OBSERVE_MS, and until every updatable item had two finished SYNC executions.
    const watchStart = Date.now()
    const syncsOf = (executions: ExecutionFacts[], id: string) => executions.filter((e) => e.itemId === id && e.triggeredBy === 'SYNC')
    await waitFor(
      async () => {
        if (Date.now() - watchStart < OBSERVE_MS) return false
        const executions = await executionsOf(db)
        return Object.values(updatable).every((item) => syncsOf(executions, item.id).filter((e) => e.finishedAt !== null).length >= 2)
      },
      {
        timeoutMs: 90_000,
        intervalMs: 500,
        describe: async () => {
          const executions = await executionsOf(db)
          const counts = Object.entries(updatable).map(([name, item]) => `${name}: ${syncsOf(executions, item.id).length}`)
          const [{ now }] = await db.query(`select now()`)
          const due = await db.query(`select client_user_id, status, next_auto_sync_at, auto_sync_disabled from items order by client_user_id`)
          return `not every updatable item got 2 SYNC executions (${counts.join(', ')}); database now ${now.toISOString()}; items: ${JSON.stringify(due)}\n${group.output()}`
        },
      },
    )

    // nextAutoSyncAt (SPEC §2.4): set for the updatable items, null for the others.
    for (const [name, item] of Object.entries(updatable)) {
      // Read between two executions (while one runs the next one is not planned yet).
      let last: any
      await waitFor(
        async () => {
          last = (await api.request('GET', `/items/${item.id}`)).body
          return last?.status !== 'UPDATING' && last?.nextAutoSyncAt !== null
        },
        { timeoutMs: 30_000, intervalMs: 50, describe: () => `${name}: updatable, but between executions nextAutoSyncAt is ${JSON.stringify(last?.nextAutoSyncAt)} (${last?.status})` },
      )
    }
    for (const [name, item] of Object.entries(notUpdatable)) {
      expect((await api.request('GET', `/items/${item.id}`)).body.nextAutoSyncAt, name).toBeNull()
    }

    const executions = (await executionsOf(db)).filter((e) => label.has(e.itemId))
    // Never two executions of one item at once, every timeline forward only.
    expect(executionProblems(executions)).toEqual([])

    const tooClose: string[] = []
    let closest = Infinity
    for (const [name, item] of Object.entries(updatable)) {
      const mine = executions.filter((e) => e.itemId === item.id).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      const syncs = mine.filter((e) => e.triggeredBy === 'SYNC')
      expect(syncs.length, `${name}: SYNC executions`).toBeGreaterThanOrEqual(2)
      for (let i = 1; i < mine.length; i++) {
        const previous = mine[i - 1]
        const current = mine[i]
        if (current.triggeredBy !== 'SYNC') continue
        const sincePreviousEnd = current.createdAt.getTime() - (previous.finishedAt?.getTime() ?? Infinity)
        closest = Math.min(closest, sincePreviousEnd)
        if (!(sincePreviousEnd >= MIN_GAP_MS)) tooClose.push(`${name}: SYNC ${current.id} started ${sincePreviousEnd} ms after the previous execution ended`)
      }
      for (let i = 1; i < syncs.length; i++) {
        const apart = syncs[i].createdAt.getTime() - syncs[i - 1].createdAt.getTime()
        if (apart < MIN_GAP_MS) tooClose.push(`${name}: SYNC executions ${syncs[i - 1].id} and ${syncs[i].id} started ${apart} ms apart`)
      }
      if (name === 'trusted') {
        // The device is trusted: the syncs ran without asking for MFA.
        expect(
          syncs.filter((e) => e.steps.some((s) => s.status === 'WAITING_USER_INPUT')).map((e) => e.id),
          'trusted device syncs asked for MFA',
        ).toEqual([])
      }
    }
    expect(tooClose).toEqual([])

    for (const [name, item] of Object.entries(notUpdatable)) {
      const mine = executions.filter((e) => e.itemId === item.id)
      expect(
        mine.map((e) => `${e.triggeredBy} ${e.status}`),
        `${name}: executions`,
      ).toHaveLength(1)
      expect(syncsOf(mine, item.id), `${name}: SYNC executions`).toEqual([])
    }

    // Informative: the scheduler and the runs are shared by the workers.
    const byWorker = new Map<string, number>()
    for (const e of executions.filter((e) => e.triggeredBy === 'SYNC')) byWorker.set(e.workerId ?? 'none', (byWorker.get(e.workerId ?? 'none') ?? 0) + 1)
    console.info(
      `auto-sync: ${[...byWorker.values()].reduce((a, b) => a + b, 0)} SYNC executions over ${byWorker.size} workers (${[...byWorker.values()].join(', ')}); closest start after the previous end: ${closest} ms`,
    )
  })
})
