import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { isFinished, startTestEngine, type TestEngine } from './support/harness.ts'

// SPEC §2.4: updatable items sync by themselves every TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS (with
// jitter), back off after five failures in a row, never run twice at once, and the others never
// sync. The engine's clock is a ManualClock that the test moves a day at a time.

const DAY_MS = 86_400_000
const clock = new ManualClock()
let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine({}, { clock })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

/**
 * Moves the clock once the engine has nothing left to run (a jump of hours over an execution in
 * flight would pass its deadline), then lets the scheduler run a pass at the new time.
 */
async function moveTo(at: number): Promise<void> {
  await engine.settle()
  await clock.advanceTo(new Date(at))
  await engine.tributary.scheduler.run()
}

const executionsOf = (id: string) => engine.executions(apiKey, id)
const syncs = async (id: string) => (await executionsOf(id)).filter((e) => e.triggeredBy === 'SYNC')
const itemOf = async (id: string) => (await engine.request('GET', `/items/${id}`, { apiKey })).body

/** The item once its `count`-th execution has ended. */
function settledAfter(id: string, count: number): Promise<any> {
  return vi.waitFor(
    async () => {
      const executions = await executionsOf(id)
      expect(executions.length).toBe(count)
      const item = await itemOf(id)
      expect(isFinished(item)).toBe(true)
      return item
    },
    { timeout: 20_000, interval: 20 },
  )
}

describe('auto-sync (SPEC §2.4)', () => {
  it('re-syncs an updatable item by itself once its time comes, and never a LOGIN_ERROR, 1-step MFA, 2-step MFA or disabled item', async () => {
    const create = (connectorId: number, parameters: Record<string, string>) => engine.createItem(apiKey, { connectorId, parameters })
    const healthy = await create(0, { user: 'user-ok', password: 'password-ok' })
    const outdated = await create(0, { user: 'user-unavailable', password: 'password-ok' })
    const loginError = await create(0, { user: 'user-ok', password: 'wrong' })
    const oneStep = await create(1, { user: 'user-ok', password: 'password-ok', token: '123456' })
    const disabled = await create(0, { user: 'user-ok', password: 'password-ok' })
    const twoStep = await create(2, { user: 'user-ok', password: 'password-ok' })
    await engine.waitForItem(apiKey, twoStep.id, (i) => i.status === 'WAITING_USER_INPUT')
    await engine.request('POST', `/items/${twoStep.id}/mfa`, { apiKey, body: { token: '123456' } })
    for (const item of [healthy, outdated, loginError, oneStep, disabled, twoStep]) await settledAfter(item.id, 1)
    expect((await engine.request('PATCH', `/items/${disabled.id}/disable-auto-sync`, { apiKey })).body.nextAutoSyncAt).toBeNull()

    const first = await itemOf(healthy.id)
    const due = Date.parse(first.nextAutoSyncAt)
    // One interval after the sync, within the ±10% jitter.
    expect(due - Date.parse(first.lastUpdatedAt)).toBeGreaterThanOrEqual(0.9 * DAY_MS)
    expect(due - Date.parse(first.lastUpdatedAt)).toBeLessThanOrEqual(1.1 * DAY_MS)
    for (const item of [loginError, oneStep, twoStep]) expect((await itemOf(item.id)).nextAutoSyncAt).toBeNull()

    // A moment before its time, nothing syncs.
    await moveTo(due - 1_000)
    expect(await syncs(healthy.id)).toEqual([])

    await moveTo(clock.now().getTime() + 0.2 * DAY_MS)
    const synced = await settledAfter(healthy.id, 2)
    expect([synced.status, synced.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    expect(Date.parse(synced.lastUpdatedAt)).toBeGreaterThan(Date.parse(first.lastUpdatedAt))
    expect((await syncs(healthy.id)).map((e) => e.status)).toEqual(['SUCCESS'])
    await settledAfter(outdated.id, 2)
    expect((await syncs(outdated.id)).map((e) => e.status)).toEqual(['SITE_NOT_AVAILABLE'])
    for (const item of [loginError, oneStep, twoStep, disabled]) expect(await syncs(item.id)).toEqual([])
  })

  it('one sync per interval, however far time moves at once, and never two executions of one item at once', async () => {
    const item = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    await settledAfter(item.id, 1)
    // The engine was "down" for ten days: one catch-up execution, not ten.
    await moveTo(clock.now().getTime() + 10 * DAY_MS)
    await settledAfter(item.id, 2)
    await engine.tributary.scheduler.run()
    expect(await syncs(item.id)).toHaveLength(1)
    for (let n = 3; n <= 5; n++) {
      await moveTo(Date.parse((await itemOf(item.id)).nextAutoSyncAt))
      await settledAfter(item.id, n)
    }
    const executions = await executionsOf(item.id)
    expect(executions.filter((e) => e.triggeredBy === 'SYNC')).toHaveLength(4)
    const oldestFirst = [...executions].reverse()
    for (let i = 1; i < oldestFirst.length; i++) expect(Date.parse(oldestFirst[i].createdAt)).toBeGreaterThanOrEqual(Date.parse(oldestFirst[i - 1].finishedAt))
  })

  it('backs off exponentially after five failed executions in a row', async () => {
    const item = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-unavailable', password: 'password-ok' } })
    let settled = await settledAfter(item.id, 1)
    const factors: number[] = []
    for (let n = 2; n <= 8; n++) {
      const lastEnded = Date.parse(settled.updatedAt)
      const due = Date.parse(settled.nextAutoSyncAt)
      factors.push(2 ** Math.round(Math.log2((due - lastEnded) / DAY_MS)))
      await moveTo(due)
      settled = await settledAfter(item.id, n)
      expect(settled.executionStatus).toBe('SITE_NOT_AVAILABLE')
    }
    // Failures 1–4: one interval; from the fifth on each one doubles it (rounded to a power of two, the ±10% jitter goes away).
    expect(factors).toEqual([1, 1, 1, 1, 2, 4, 8])
  })
})
