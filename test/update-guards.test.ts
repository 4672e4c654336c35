import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { ALL_PRODUCT_STEPS, isFinished, isWaiting, startTestEngine, type Reply, type TestEngine } from './support/harness.ts'

// Several executions per test, on a machine that may be busy: generous time, never a speed assertion.
vi.setConfig({ testTimeout: 240_000 })

// SPEC §2.6 (update guards), §4a.1 (what a new execution clears), §4a.4 (parameters merge),
// §3.3 DELETE with an execution in flight, and §2.2 "no item stays UPDATING forever" across a restart.

/**
 * An engine with instant sandbox steps, and a "slow" one whose every sandbox step waits STEP_MS on
 * a ManualClock: its executions stay in flight, in the step they reached, until the test moves
 * time with {@link driveUntil} — however slow or busy the machine.
 */
const STEP_MS = 300
let fast: TestEngine
let fastKey: string
let slow: TestEngine
let slowKey: string
const slowClock = new ManualClock()
beforeAll(async () => {
  ;[fast, slow] = await Promise.all([startTestEngine(), startTestEngine({ TRIBUTARY_SANDBOX_DELAY_MS: String(STEP_MS) }, { clock: slowClock })])
  ;[fastKey, slowKey] = await Promise.all([fast.apiKey(), slow.apiKey()])
})
afterAll(async () => {
  await Promise.all([fast?.stop(), slow?.stop()])
})

const OK = { user: 'user-ok', password: 'password-ok' }
const WAIT_MS = 60_000
const isProductStep = (item: any) => ALL_PRODUCT_STEPS.includes(item.executionStatus)

/**
 * Runs an engine on a ManualClock until item `id` satisfies `until`, and returns the item. While
 * it does not, and a timer is due within STEP_MS (a sandbox step waiting on the clock, or an MFA
 * wait's poll), moves time to that timer only. The timer is taken before the item is read, so a
 * move ends a step the engine had begun before that read (the item moves at most one step past
 * what was seen), and time never jumps to an MFA expiry or an execution deadline.
 */
function driveUntil(engine: TestEngine, clock: ManualClock, apiKey: string, id: string, until: (item: any) => boolean): Promise<any> {
  return vi.waitFor(
    async () => {
      const next = clock.nextTimeoutAt()
      const reply = await engine.request('GET', `/items/${id}`, { apiKey })
      if (reply.status === 200 && until(reply.body)) return reply.body
      if (next && next.getTime() - clock.now().getTime() <= STEP_MS) await clock.advanceTo(next)
      throw new Error(`item ${id} did not reach the expected state; last: ${reply.status} ${JSON.stringify(reply.body)}`)
    },
    { timeout: WAIT_MS, interval: 5 },
  )
}
const driveSlow = (id: string, until: (item: any) => boolean) => driveUntil(slow, slowClock, slowKey, id, until)

/** The error shape of SPEC §3 with the given status and code. */
function expectError(reply: Reply, status: number, codeDescription: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.body).toMatchObject({ code: status, codeDescription })
  expect(reply.body.message).toMatch(/\w+ \w+/)
}

describe('PATCH while an execution is in progress (SPEC §2.6)', () => {
  it('an UPDATING item → 409 ITEM_ALREADY_UPDATING and nothing starts', async () => {
    const created = await slow.createItem(slowKey, { connectorId: 0, parameters: OK })
    // Right after creation (CREATED) …
    expectError(await slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: {} }), 409, 'ITEM_ALREADY_UPDATING')
    // … and in the middle of product collection (where it stays until the clock moves), with and without parameters.
    await driveSlow(created.id, isProductStep)
    expectError(await slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: {} }), 409, 'ITEM_ALREADY_UPDATING')
    expectError(await slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: { parameters: { password: 'wrong' } } }), 409, 'ITEM_ALREADY_UPDATING')
    expect(await slow.executions(slowKey, created.id)).toHaveLength(1)
    // The refused PATCH changed nothing: the running execution ends with the original credentials.
    const item = await driveSlow(created.id, isFinished)
    expect(item.executionStatus).toBe('SUCCESS')
    expect(await slow.executions(slowKey, created.id)).toHaveLength(1)
  })

  it('an item WAITING_USER_INPUT (connector 2) → 409 too; it keeps waiting for its MFA', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 2, parameters: OK })
    const waiting = await fast.waitForItem(fastKey, created.id, isWaiting, WAIT_MS)
    expect(waiting.parameter.name).toBe('token')
    expectError(await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: OK } }), 409, 'ITEM_ALREADY_UPDATING')
    const after = (await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey })).body
    expect(after.status).toBe('WAITING_USER_INPUT')
    expect(after.parameter).toEqual(waiting.parameter)
    expect(await fast.executions(fastKey, created.id)).toHaveLength(1)
    // The paused execution is still the one that answers the MFA.
    expect((await fast.request('POST', `/items/${created.id}/mfa`, { apiKey: fastKey, body: { token: '123456' } })).status).toBe(200)
    expect((await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
  })

  it('twenty concurrent PATCHes on one finished item → exactly one 200, nineteen 409, one new execution', async () => {
    const created = await slow.createItem(slowKey, { connectorId: 0, parameters: OK })
    await driveSlow(created.id, isFinished)
    // The clock stands still: the accepted PATCH's execution cannot finish while the others arrive.
    const replies = await Promise.all(Array.from({ length: 20 }, () => slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: {} })))
    const accepted = replies.filter((r) => r.status === 200)
    const refused = replies.filter((r) => r.status === 409)
    expect(accepted).toHaveLength(1)
    expect(refused).toHaveLength(19)
    for (const reply of refused) expectError(reply, 409, 'ITEM_ALREADY_UPDATING')
    expect(accepted[0].body.status).toBe('UPDATING')
    const executions = await slow.executions(slowKey, created.id)
    expect(executions).toHaveLength(2)
    await driveSlow(created.id, isFinished)
    expect(await slow.executions(slowKey, created.id)).toHaveLength(2)
  })
})

describe('LOGIN_ERROR items need parameters (SPEC §2.6)', () => {
  it('PATCH without parameters → 400 PARAMETERS_NOT_PROVIDED, nothing starts', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'wrong' } })
    const item = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect(item.status).toBe('LOGIN_ERROR')
    expectError(await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: {} }), 400, 'PARAMETERS_NOT_PROVIDED')
    expectError(await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: {} } }), 400, 'PARAMETERS_NOT_PROVIDED')
    expectError(await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { clientUserId: 'someone' } }), 400, 'PARAMETERS_NOT_PROVIDED')
    const after = (await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey })).body
    expect([after.status, after.executionStatus, after.clientUserId]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS', null])
    expect(await fast.executions(fastKey, created.id)).toHaveLength(1)
  })
})

describe('a PATCH without any body is read as an empty update (SPEC §3.3: every PATCH field is optional)', () => {
  it('no body: LOGIN_ERROR → 400 PARAMETERS_NOT_PROVIDED, in progress → 409, finished → 200 and a new execution', async () => {
    const failed = await fast.createItem(fastKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'wrong' } })
    expect((await fast.waitForItem(fastKey, failed.id, isFinished, WAIT_MS)).status).toBe('LOGIN_ERROR')
    expectError(await fast.request('PATCH', `/items/${failed.id}`, { apiKey: fastKey }), 400, 'PARAMETERS_NOT_PROVIDED')
    expect(await fast.executions(fastKey, failed.id)).toHaveLength(1)

    const running = await slow.createItem(slowKey, { connectorId: 0, parameters: OK })
    expectError(await slow.request('PATCH', `/items/${running.id}`, { apiKey: slowKey }), 409, 'ITEM_ALREADY_UPDATING')

    const done = await fast.createItem(fastKey, { connectorId: 0, parameters: OK })
    expect((await fast.waitForItem(fastKey, done.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
    const patched = await fast.request('PATCH', `/items/${done.id}`, { apiKey: fastKey })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body.status).toBe('UPDATING')
    expect((await fast.waitForItem(fastKey, done.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
    expect(await fast.executions(fastKey, done.id)).toHaveLength(2)
    await driveSlow(running.id, isFinished)
  })
})

describe('TOO_MANY_CONSECUTIVE_LOGIN_FAILURES (SPEC §2.6)', () => {
  it('a third try with twice-rejected credentials is refused for 15 minutes; different credentials are accepted', async () => {
    const wrong = { user: 'user-ok', password: 'wrong-password' }
    const created = await fast.createItem(fastKey, { connectorId: 0, parameters: wrong })
    const first = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([first.status, first.executionStatus, first.consecutiveFailedLoginAttempts]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS', 1])

    const second = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: wrong } })
    expect(second.status, JSON.stringify(second.body)).toBe(200)
    const afterSecond = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([afterSecond.status, afterSecond.executionStatus, afterSecond.consecutiveFailedLoginAttempts]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS', 2])
    const [lastFailure] = await fast.executions(fastKey, created.id)

    const third = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: wrong } })
    expectError(third, 400, 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES')
    const canRetryAfter = Date.parse(third.body.data.canRetryAfterDate)
    expect(third.body.data.canRetryAfterDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Math.abs(canRetryAfter - (Date.parse(lastFailure.finishedAt) + 15 * 60_000))).toBeLessThan(5_000)
    // The same rejected credentials given partly (merged with the stored user) are refused as well.
    expectError(await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { password: 'wrong-password' } } }), 400, 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES')
    const unchanged = (await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey })).body
    expect([unchanged.status, unchanged.consecutiveFailedLoginAttempts]).toEqual(['LOGIN_ERROR', 2])
    expect(await fast.executions(fastKey, created.id)).toHaveLength(2)

    const fixed = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { password: 'password-ok' } } })
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200)
    const item = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([item.status, item.executionStatus, item.consecutiveFailedLoginAttempts]).toEqual(['UPDATED', 'SUCCESS', 0])
    expect(await fast.executions(fastKey, created.id)).toHaveLength(3)
  })
})

describe('PATCH parameters are merged into the stored ones (SPEC §4a.4)', () => {
  it('a PATCH giving only the password keeps the stored user', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 0, parameters: OK })
    expect((await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')

    const wrong = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { password: 'wrong' } } })
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(200)
    const rejected = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([rejected.status, rejected.executionStatus]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS'])

    // Only user-ok + password-ok succeeds, so SUCCESS proves the user from the create was kept.
    const right = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { password: 'password-ok' } } })
    expect(right.status, JSON.stringify(right.body)).toBe(200)
    const item = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
  })

  it('a PATCH changing the user runs the new scenario with the stored password', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 0, parameters: OK })
    await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect((await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { user: 'user-unavailable' } } })).status).toBe(200)
    const item = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([item.status, item.executionStatus]).toEqual(['OUTDATED', 'SITE_NOT_AVAILABLE'])
  })
})

describe('parameters failing the connector rules → 400 CONNECTOR_VALIDATION_ERROR (SPEC §2.6, §3.2)', () => {
  it('create without the required password → code 001', async () => {
    const reply = await fast.request('POST', '/items', { apiKey: fastKey, body: { connectorId: 0, parameters: { user: 'user-ok' } } })
    expectError(reply, 400, 'CONNECTOR_VALIDATION_ERROR')
    expect(reply.body.details).toEqual([{ code: '001', message: expect.stringMatching(/\w/), parameter: 'password' }])
  })

  it('create on connector 1 with token "abc" → code 002', async () => {
    const reply = await fast.request('POST', '/items', { apiKey: fastKey, body: { connectorId: 1, parameters: { ...OK, token: 'abc' } } })
    expectError(reply, 400, 'CONNECTOR_VALIDATION_ERROR')
    expect(reply.body.details).toEqual([{ code: '002', message: expect.stringMatching(/\w/), parameter: 'token' }])
  })

  it('PATCH on connector 1 with token "abc" → code 002, nothing starts', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 1, parameters: { ...OK, token: '123456' } })
    expect((await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
    const reply = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { token: 'abc' } } })
    expectError(reply, 400, 'CONNECTOR_VALIDATION_ERROR')
    expect(reply.body.details).toEqual([{ code: '002', message: expect.stringMatching(/\w/), parameter: 'token' }])
    const item = (await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey })).body
    expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    expect(await fast.executions(fastKey, created.id)).toHaveLength(1)
  })
})

describe('a new execution clears error, parameter and userAction, keeps statusDetail until it ends (SPEC §4a.1)', () => {
  it('error is cleared in the PATCH answer; statusDetail keeps the previous entries during the run', async () => {
    const created = await slow.createItem(slowKey, { connectorId: 0, parameters: OK })
    const succeeded = await driveSlow(created.id, isFinished)
    expect(succeeded.executionStatus).toBe('SUCCESS')
    expect((await slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: { parameters: { user: 'user-unavailable' } } })).status).toBe(200)
    const failed = await driveSlow(created.id, isFinished)
    expect(failed.executionStatus).toBe('SITE_NOT_AVAILABLE')
    expect(failed.error).not.toBeNull()
    expect(failed.statusDetail).not.toBeNull()
    const previous = failed.statusDetail

    const patched = await slow.request('PATCH', `/items/${created.id}`, { apiKey: slowKey, body: { parameters: { user: 'user-ok' } } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body).toMatchObject({ status: 'UPDATING', executionStatus: 'CREATED', error: null, parameter: null, userAction: null })
    expect(patched.body.statusDetail).toEqual(previous)

    const midway = await driveSlow(created.id, isProductStep)
    expect(midway.error).toBeNull()
    expect(midway.statusDetail).toEqual(previous)

    const done = await driveSlow(created.id, isFinished)
    expect(done.executionStatus).toBe('SUCCESS')
    expect(Date.parse(done.statusDetail.accounts.lastUpdatedAt)).toBeGreaterThan(Date.parse(previous.accounts.lastUpdatedAt))
  })

  it('userAction of a pending device authorization (connector 3) is cleared by a new execution', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 3, parameters: { user: 'user-auth-pending-5', password: 'password-ok' } })
    const pending = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect(pending.executionStatus).toBe('USER_AUTHORIZATION_PENDING')
    expect(pending.userAction).not.toBeNull()
    expect(pending.error).not.toBeNull()
    const patched = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: {} })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body).toMatchObject({ status: 'UPDATING', executionStatus: 'CREATED', error: null, parameter: null, userAction: null })
  })

  it('parameter of a finished MFA execution is null and stays null when the next one starts', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 2, parameters: OK })
    await fast.waitForItem(fastKey, created.id, isWaiting, WAIT_MS)
    expect((await fast.request('POST', `/items/${created.id}/mfa`, { apiKey: fastKey, body: { token: '000000' } })).status).toBe(200)
    const rejected = await fast.waitForItem(fastKey, created.id, isFinished, WAIT_MS)
    expect([rejected.status, rejected.executionStatus, rejected.parameter]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', null])
    const patched = await fast.request('PATCH', `/items/${created.id}`, { apiKey: fastKey, body: { parameters: { password: 'password-ok' } } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body).toMatchObject({ status: 'UPDATING', executionStatus: 'CREATED', error: null, parameter: null, userAction: null })
  })
})

describe('DELETE with an execution in flight (SPEC §3.3)', () => {
  it('deleting an UPDATING item cancels the execution; the engine never brings it back', async () => {
    const created = await slow.createItem(slowKey, { connectorId: 0, parameters: OK })
    await driveSlow(created.id, isProductStep)
    const deleted = await slow.request('DELETE', `/items/${created.id}`, { apiKey: slowKey })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    expect(deleted.body).toEqual({ count: 1 })
    expectError(await slow.request('GET', `/items/${created.id}`, { apiKey: slowKey }), 404, 'ITEM_NOT_FOUND')
    // Once the engine has nothing left to run, the cancelled execution brought nothing back.
    await slow.settle()
    expectError(await slow.request('GET', `/items/${created.id}`, { apiKey: slowKey }), 404, 'ITEM_NOT_FOUND')
    expectError(await slow.request('GET', `/items/${created.id}/executions`, { apiKey: slowKey }), 404, 'ITEM_NOT_FOUND')
    const list = await slow.request('GET', '/items?pageSize=500', { apiKey: slowKey })
    expect(list.status).toBe(200)
    expect(list.body.results.map((i: any) => i.id)).not.toContain(created.id)
    expectError(await slow.request('DELETE', `/items/${created.id}`, { apiKey: slowKey }), 404, 'ITEM_NOT_FOUND')
  })

  it('deleting an item WAITING_USER_INPUT (connector 2) works; its MFA can no longer be sent', async () => {
    const created = await fast.createItem(fastKey, { connectorId: 2, parameters: OK })
    await fast.waitForItem(fastKey, created.id, isWaiting, WAIT_MS)
    const deleted = await fast.request('DELETE', `/items/${created.id}`, { apiKey: fastKey })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    expect(deleted.body).toEqual({ count: 1 })
    expectError(await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey }), 404, 'ITEM_NOT_FOUND')
    expectError(await fast.request('POST', `/items/${created.id}/mfa`, { apiKey: fastKey, body: { token: '123456' } }), 404, 'ITEM_NOT_FOUND')
    await fast.settle()
    expectError(await fast.request('GET', `/items/${created.id}`, { apiKey: fastKey }), 404, 'ITEM_NOT_FOUND')
  })
})

describe('restart with executions in flight (SPEC §2.2: no item stays UPDATING or WAITING_USER_INPUT forever)', () => {
  let dir: string
  const engines: TestEngine[] = []
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-restart-'))
  })
  afterAll(async () => {
    for (const engine of engines) await engine.stop().catch(() => {})
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('executions in flight when the engine stops are resumed after the restart and finish; the items can be updated again', async () => {
    // Both engines' sandbox steps wait on a ManualClock: the first stops while its executions
    // certainly are in flight (one in a product step, one waiting for its code), and the second
    // runs the resumed steps as fast as the test moves its clock.
    const env = { TRIBUTARY_DATA_DIR: dir, TRIBUTARY_SANDBOX_DELAY_MS: String(STEP_MS) }
    const firstClock = new ManualClock()
    const first = await startTestEngine(env, { clock: firstClock })
    engines.push(first)
    const firstKey = await first.apiKey()
    const mfa = await first.createItem(firstKey, { connectorId: 2, parameters: OK })
    const waiting = await driveUntil(first, firstClock, firstKey, mfa.id, isWaiting)
    const plain = await first.createItem(firstKey, { connectorId: 0, parameters: OK })
    await driveUntil(first, firstClock, firstKey, plain.id, isProductStep)
    await first.stop()

    // The restarted engine's time goes on from where the first one's stopped.
    const secondClock = new ManualClock(firstClock.now())
    const second = await startTestEngine(env, { clock: secondClock })
    engines.push(second)
    const drive = (apiKey: string, id: string, until: (item: any) => boolean) => driveUntil(second, secondClock, apiKey, id, until)
    // Secrets live in the data dir: the first engine's API key is still valid.
    const stillValid = await second.request('GET', `/items/${plain.id}`, { apiKey: firstKey })
    expect(stillValid.status, JSON.stringify(stillValid.body)).toBe(200)

    // The stopping engine handed its executions over: the restarted one resumes them, the item
    // waiting for a code keeps waiting with the same question and expiry, and takes the answer.
    const resumed = await drive(firstKey, plain.id, isFinished)
    expect([resumed.status, resumed.executionStatus, resumed.error]).toEqual(['UPDATED', 'SUCCESS', null])
    const [plainRun] = await second.executions(firstKey, plain.id)
    expect(plainRun.steps.some((step: any) => step.attempt >= 2)).toBe(true)
    const stillWaiting = await second.request('GET', `/items/${mfa.id}`, { apiKey: firstKey })
    expect([stillWaiting.body.status, stillWaiting.body.parameter?.expiresAt]).toEqual(['WAITING_USER_INPUT', waiting.parameter.expiresAt])
    expect((await second.request('POST', `/items/${mfa.id}/mfa`, { apiKey: firstKey, body: { token: '123456' } })).status).toBe(200)
    const answered = await drive(firstKey, mfa.id, isFinished)
    expect([answered.status, answered.executionStatus, answered.error]).toEqual(['UPDATED', 'SUCCESS', null])

    const secondKey = await second.apiKey()
    for (const id of [plain.id, mfa.id]) {
      const again = await second.request('PATCH', `/items/${id}`, { apiKey: secondKey, body: {} })
      expect(again.status, JSON.stringify(again.body)).toBe(200)
      expect([again.body.status, again.body.executionStatus, again.body.error]).toEqual(['UPDATING', 'CREATED', null])
    }
    await drive(secondKey, mfa.id, isWaiting)
    expect((await second.request('POST', `/items/${mfa.id}/mfa`, { apiKey: secondKey, body: { token: '123456' } })).status).toBe(200)
    for (const id of [plain.id, mfa.id]) {
      const item = await drive(secondKey, id, isFinished)
      expect([item.status, item.executionStatus, item.error]).toEqual(['UPDATED', 'SUCCESS', null])
      const executions = await second.executions(secondKey, id)
      expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', 'SUCCESS'])
    }
  })
})
