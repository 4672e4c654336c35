import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_PRODUCT_STEPS, isFinished, startTestEngine, timeline, type TestEngine } from './support/harness.ts'

// SPEC §2.5 (device authorization), §4 and §4a.3 (sandbox connector 3): the engine resumes pending
// items by itself every TRIBUTARY_AUTH_PENDING_RETRY_SECONDS until authorized or the deadline passes.
// Only outcomes and lower bounds set by the configuration are asserted, never how fast things run.

const RETRY_SECONDS = 1
const DEADLINE_SECONDS = 4
/** Slack for comparing times stamped by the engine with the configured intervals. */
const CLOCK_SLACK_MS = 50
const WAIT_MS = 30_000

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine({
    TRIBUTARY_AUTH_PENDING_RETRY_SECONDS: String(RETRY_SECONDS),
    TRIBUTARY_AUTH_PENDING_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
  })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const PENDING = 'USER_AUTHORIZATION_PENDING'
const LOGIN_ONLY = ['CREATED', 'LOGIN_IN_PROGRESS']
const FULL = ['CREATED', 'LOGIN_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const create = (user: string) => engine.createItem(apiKey, { connectorId: 3, parameters: { user, password: 'password-ok' } })

/** Waits for the (first) pending outcome; stops early on any other settled state so a miss fails clearly. */
async function waitForPending(id: string) {
  const item = await engine.waitForItem(apiKey, id, (i) => i.executionStatus === PENDING || (isFinished(i) && i.executionStatus !== PENDING), WAIT_MS)
  expect([item.status, item.executionStatus]).toEqual(['OUTDATED', PENDING])
  expect(item.error.code).toBe(PENDING)
  expect(item.error.message).toMatch(/\w+ \w+/)
  expect(item.parameter).toBeNull()
  expect(Object.keys(item.userAction).sort()).toEqual(['expiresAt', 'instructions', 'type'])
  expect(item.userAction.type).toMatch(/\S/)
  expect(item.userAction.instructions).toMatch(/\w+ \w+/)
  if (item.userAction.expiresAt !== null) expect(item.userAction.expiresAt).toMatch(ISO)
  return item
}

/** Waits until the item settles on something other than the pending outcome. */
const waitForSettled = (id: string) => engine.waitForItem(apiKey, id, (i) => isFinished(i) && i.executionStatus !== PENDING, WAIT_MS)

function expectPendingExecution(execution: any) {
  expect(execution.status).toBe(PENDING)
  expect(execution.error.code).toBe(PENDING)
  expect(timeline(execution)).toEqual([...LOGIN_ONLY, PENDING])
  expect(execution.finishedAt).not.toBeNull()
}

/** Each follow-up starts no earlier than one retry interval after the previous outcome (capped at the deadline). */
function expectFollowUpSpacing(oldestFirst: any[]) {
  const firstPendingAt = Date.parse(oldestFirst[0].finishedAt)
  for (let i = 1; i < oldestFirst.length; i++) {
    const earliest = Math.min(Date.parse(oldestFirst[i - 1].finishedAt) + RETRY_SECONDS * 1000, firstPendingAt + DEADLINE_SECONDS * 1000)
    expect(Date.parse(oldestFirst[i].createdAt)).toBeGreaterThanOrEqual(earliest - CLOCK_SLACK_MS)
  }
}

describe('connector 3 (device authorization)', () => {
  it('user-auth-pending-2: pending twice, resumed by the engine, then UPDATED / SUCCESS', async () => {
    const created = await create('user-auth-pending-2')
    expect([created.status, created.executionStatus, created.userAction]).toEqual(['UPDATING', 'CREATED', null])
    await waitForPending(created.id)

    // No API call but reads from here on: the engine starts the follow-ups by itself.
    const item = await waitForSettled(created.id)
    expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    expect(item.error).toBeNull()
    expect(item.parameter).toBeNull()
    expect(item.userAction).toBeNull()
    expect(item.nextAutoSyncAt).not.toBeNull()

    const executions = await engine.executions(apiKey, created.id)
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', PENDING, PENDING])
    expect(executions.map((e: any) => e.triggeredBy)).toEqual(['INTERNAL', 'INTERNAL', 'CLIENT'])
    expectPendingExecution(executions[2])
    expectPendingExecution(executions[1])
    expect(executions[0].error).toBeNull()
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
    expectFollowUpSpacing([...executions].reverse())
  })

  it('user-ok behaves as user-auth-pending-1: one pending execution, then SUCCESS', async () => {
    const created = await create('user-ok')
    await waitForPending(created.id)
    const item = await waitForSettled(created.id)
    expect([item.status, item.executionStatus, item.error, item.parameter, item.userAction]).toEqual(['UPDATED', 'SUCCESS', null, null, null])

    const executions = await engine.executions(apiKey, created.id)
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', PENDING])
    expect(executions.map((e: any) => e.triggeredBy)).toEqual(['INTERNAL', 'CLIENT'])
    expectPendingExecution(executions[1])
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
    expectFollowUpSpacing([...executions].reverse())
  })

  it('user-auth-denied: OUTDATED / USER_AUTHORIZATION_NOT_GRANTED at the deadline, then no more executions', async () => {
    const created = await create('user-auth-denied')
    await waitForPending(created.id)
    const item = await waitForSettled(created.id)
    expect([item.status, item.executionStatus]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(item.error.code).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(item.error.message).toMatch(/\w+ \w+/)
    expect(item.parameter).toBeNull()
    expect(item.userAction).toBeNull()

    const executions = await engine.executions(apiKey, created.id)
    const oldestFirst = [...executions].reverse()
    const last = oldestFirst.at(-1)
    expect(oldestFirst.length).toBeGreaterThanOrEqual(2)
    expect(last.status).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(last.error.code).toBe('USER_AUTHORIZATION_NOT_GRANTED')
    expect(last.triggeredBy).toBe('INTERNAL')
    expect(timeline(last)).toEqual([...LOGIN_ONLY, 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(oldestFirst[0].triggeredBy).toBe('CLIENT')
    for (const execution of oldestFirst.slice(0, -1)) expectPendingExecution(execution)
    for (const execution of oldestFirst.slice(1)) expect(execution.triggeredBy).toBe('INTERNAL')
    // The deadline runs from the first pending outcome (§4a.3), and retries respect the interval.
    expect(Date.parse(last.finishedAt)).toBeGreaterThanOrEqual(Date.parse(oldestFirst[0].finishedAt) + DEADLINE_SECONDS * 1000)
    expectFollowUpSpacing(oldestFirst)

    // Given a further 2.5 retry intervals, the engine starts nothing more.
    await new Promise((r) => setTimeout(r, 2.5 * RETRY_SECONDS * 1000))
    expect(await engine.executions(apiKey, created.id)).toHaveLength(executions.length)
    const after = (await engine.request('GET', `/items/${created.id}`, { apiKey })).body
    expect([after.status, after.executionStatus, after.updatedAt]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED', item.updatedAt])
  })
})
