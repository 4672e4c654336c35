import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { ALL_PRODUCT_STEPS, isFinished, startTestEngine, timeline, type TestEngine } from './support/harness.ts'

// SPEC §2.5 (device authorization), §4 and §4a.3 (sandbox connector 3): the engine resumes pending
// items by itself every TRIBUTARY_AUTH_PENDING_RETRY_SECONDS until authorized or the deadline passes.
// Time is the engine's ManualClock: the test moves it, so the schedule is checked exactly and an
// absence is proven by moving time past the moment something would have happened.

const RETRY_MS = 120_000
const DEADLINE_MS = 600_000
/** Follow-ups start at their due time, rounded up to the scheduler's 100 ms. */
const ROUNDING_MS = 100

const clock = new ManualClock()
let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_AUTH_PENDING_RETRY_SECONDS: String(RETRY_MS / 1000), TRIBUTARY_AUTH_PENDING_DEADLINE_SECONDS: String(DEADLINE_MS / 1000) }, { clock })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const PENDING = 'USER_AUTHORIZATION_PENDING'
const LOGIN_ONLY = ['CREATED', 'LOGIN_IN_PROGRESS']
const FULL = ['CREATED', 'LOGIN_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const create = (user: string) => engine.createItem(apiKey, { connectorId: 3, parameters: { user, password: 'password-ok' } })

/** The item's executions once `count` of them exist and none is running. */
function settledExecutions(id: string, count: number): Promise<any[]> {
  return vi.waitFor(
    async () => {
      const executions = await engine.executions(apiKey, id)
      expect(executions).toHaveLength(count)
      expect(executions.every((e: any) => e.finishedAt !== null)).toBe(true)
      return executions
    },
    { timeout: 20_000, interval: 20 },
  )
}

/** Moves the engine's clock one retry interval on, and returns the executions once the follow-up it starts has ended. */
async function nextFollowUp(id: string, count: number): Promise<any[]> {
  await clock.advance(RETRY_MS)
  return settledExecutions(id, count)
}

function expectPendingItem(item: any) {
  expect([item.status, item.executionStatus]).toEqual(['OUTDATED', PENDING])
  expect(item.error.code).toBe(PENDING)
  expect(item.error.message).toMatch(/\w+ \w+/)
  expect(item.parameter).toBeNull()
  expect(Object.keys(item.userAction).sort()).toEqual(['expiresAt', 'instructions', 'type'])
  expect(item.userAction.type).toMatch(/\S/)
  expect(item.userAction.instructions).toMatch(/\w+ \w+/)
  if (item.userAction.expiresAt !== null) expect(item.userAction.expiresAt).toMatch(ISO)
}

function expectPendingExecution(execution: any) {
  expect(execution.status).toBe(PENDING)
  expect(execution.error.code).toBe(PENDING)
  expect(timeline(execution)).toEqual([...LOGIN_ONLY, PENDING])
  expect(execution.finishedAt).not.toBeNull()
}

/** Each follow-up starts one retry interval after the previous outcome, or at the deadline if that comes first. */
function expectFollowUpSchedule(oldestFirst: any[]) {
  const firstPendingAt = Date.parse(oldestFirst[0].finishedAt)
  for (let i = 1; i < oldestFirst.length; i++) {
    const due = Math.min(Date.parse(oldestFirst[i - 1].finishedAt) + RETRY_MS, firstPendingAt + DEADLINE_MS)
    const started = Date.parse(oldestFirst[i].createdAt)
    expect(started).toBeGreaterThanOrEqual(due)
    expect(started).toBeLessThan(due + ROUNDING_MS)
  }
}

const item = async (id: string) => (await engine.request('GET', `/items/${id}`, { apiKey })).body

describe('connector 3 (device authorization)', () => {
  it('user-auth-pending-2: pending twice, resumed by the engine, then UPDATED / SUCCESS', async () => {
    const created = await create('user-auth-pending-2')
    expect([created.status, created.executionStatus, created.userAction]).toEqual(['UPDATING', 'CREATED', null])
    await settledExecutions(created.id, 1)
    expectPendingItem(await item(created.id))

    // No API call but reads from here on: the engine starts the follow-ups by itself, on time.
    await nextFollowUp(created.id, 2)
    expectPendingItem(await item(created.id))
    const executions = await nextFollowUp(created.id, 3)
    const settled = await item(created.id)
    expect([settled.status, settled.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    expect([settled.error, settled.parameter, settled.userAction]).toEqual([null, null, null])
    expect(settled.nextAutoSyncAt).not.toBeNull()

    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', PENDING, PENDING])
    expect(executions.map((e: any) => e.triggeredBy)).toEqual(['INTERNAL', 'INTERNAL', 'CLIENT'])
    expectPendingExecution(executions[2])
    expectPendingExecution(executions[1])
    expect(executions[0].error).toBeNull()
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
    expectFollowUpSchedule([...executions].reverse())
  })

  it('user-ok behaves as user-auth-pending-1: one pending execution, then SUCCESS', async () => {
    const created = await create('user-ok')
    await settledExecutions(created.id, 1)
    expectPendingItem(await item(created.id))
    const executions = await nextFollowUp(created.id, 2)
    const settled = await item(created.id)
    expect([settled.status, settled.executionStatus, settled.error, settled.parameter, settled.userAction]).toEqual(['UPDATED', 'SUCCESS', null, null, null])
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', PENDING])
    expect(executions.map((e: any) => e.triggeredBy)).toEqual(['INTERNAL', 'CLIENT'])
    expectPendingExecution(executions[1])
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
    expectFollowUpSchedule([...executions].reverse())
  })

  it('a follow-up does not start before its time', async () => {
    const created = await create('user-auth-pending-1')
    await settledExecutions(created.id, 1)
    await clock.advance(RETRY_MS - 1_000)
    // A scheduler pass a second before the follow-up is due starts nothing.
    await engine.tributary.scheduler.run()
    expect(await engine.executions(apiKey, created.id)).toHaveLength(1)
    await clock.advance(1_000)
    expect((await settledExecutions(created.id, 2)).map((e: any) => e.status)).toEqual(['SUCCESS', PENDING])
  })

  it('user-auth-denied: OUTDATED / USER_AUTHORIZATION_NOT_GRANTED at the deadline, then no more executions', async () => {
    const created = await create('user-auth-denied')
    let executions = await settledExecutions(created.id, 1)
    const retries = DEADLINE_MS / RETRY_MS
    for (let n = 2; n <= retries + 1; n++) executions = await nextFollowUp(created.id, n)
    const settled = await item(created.id)
    expect([settled.status, settled.executionStatus]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(settled.error.code).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(settled.error.message).toMatch(/\w+ \w+/)
    expect([settled.parameter, settled.userAction, settled.nextAutoSyncAt !== undefined]).toEqual([null, null, true])

    const oldestFirst = [...executions].reverse()
    const last = oldestFirst.at(-1)
    expect(last.status).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(last.error.code).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(timeline(last)).toEqual([...LOGIN_ONLY, 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(oldestFirst[0].triggeredBy).toBe('CLIENT')
    for (const execution of oldestFirst.slice(0, -1)) expectPendingExecution(execution)
    for (const execution of oldestFirst.slice(1)) expect(execution.triggeredBy).toBe('INTERNAL')
    // The deadline runs from the first pending outcome (§4a.3), and retries respect the interval.
    expect(Date.parse(last.finishedAt)).toBeGreaterThanOrEqual(Date.parse(oldestFirst[0].finishedAt) + DEADLINE_MS)
    expectFollowUpSchedule(oldestFirst)

    // Ten more retry intervals pass: the engine starts nothing more.
    for (let i = 0; i < 10; i++) {
      await clock.advance(RETRY_MS)
      await engine.tributary.scheduler.run()
    }
    expect(await engine.executions(apiKey, created.id)).toHaveLength(executions.length)
    const after = await item(created.id)
    expect([after.status, after.executionStatus, after.updatedAt]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED', settled.updatedAt])
    expect(isFinished(after)).toBe(true)
  })
})
