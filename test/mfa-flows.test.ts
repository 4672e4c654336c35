import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_PRODUCT_STEPS, isFinished, isWaiting, startTestEngine, timeline, type Reply, type TestEngine } from './support/harness.ts'

// SPEC §2.3 (the 1-step and 2-step MFA flows), §2.4 (updatable items), §3.3 (PATCH, POST /mfa),
// §4 (sandbox connectors 1, 2 and 4) and §4a.12 (concurrent MFA posts).

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine()
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const OK = { user: 'user-ok', password: 'password-ok' }
const CODE = '123456'
const LOGIN_FAILURE = ['CREATED', 'LOGIN_IN_PROGRESS']
const FULL = ['CREATED', 'LOGIN_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']
const ASKED = ['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT']
const FULL_WITH_MFA = [...ASKED, 'LOGIN_MFA_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']
const IN_PROGRESS_AFTER_MFA = ['LOGIN_MFA_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** The error body of SPEC §3 with the given status and code. */
function expectRefusal(reply: Reply, status: number, codeDescription: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.body).toMatchObject({ code: status, codeDescription, message: expect.stringMatching(/\w+ \w+/) })
}

/** A finished item as the spec's final-value table describes it. */
function expectOutcome(item: any, status: string, executionStatus: string, errorCode: string | null) {
  expect([item.status, item.executionStatus]).toEqual([status, executionStatus])
  expect(item.parameter).toBeNull()
  expect(item.userAction).toBeNull()
  if (errorCode) {
    expect(item.error.code).toBe(errorCode)
    expect(item.error.message).toMatch(/\w+ \w+/)
  } else {
    expect(item.error).toBeNull()
  }
}

async function newestExecution(id: string) {
  const [execution] = await engine.executions(apiKey, id)
  return execution
}

const patch = (id: string, body?: unknown) => engine.request('PATCH', `/items/${id}`, { apiKey, ...(body !== undefined ? { body } : {}) })
const postMfa = (id: string, body: unknown, e: TestEngine = engine, key: string = apiKey) => e.request('POST', `/items/${id}/mfa`, { apiKey: key, body })

/** Creates an item on a 2-step connector and waits until it asks for the code. */
async function createWaiting(connectorId: number, e: TestEngine = engine, key: string = apiKey) {
  const created = await e.createItem(key, { connectorId, parameters: OK })
  const waiting = await e.waitForItem(key, created.id, (i) => isWaiting(i) || isFinished(i))
  expect([waiting.status, waiting.executionStatus], JSON.stringify(waiting.error)).toEqual(['WAITING_USER_INPUT', 'WAITING_USER_INPUT'])
  return waiting
}

describe('connector 1 (1-step MFA: token sent with the credentials)', () => {
  it('the right token logs in and collects everything; the item is not updatable', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: CODE } })
    expect([created.status, created.executionStatus]).toEqual(['UPDATING', 'CREATED'])
    const item = await engine.waitForItem(apiKey, created.id)
    expectOutcome(item, 'UPDATED', 'SUCCESS', null)
    expect(item.nextAutoSyncAt).toBeNull()
    const executions = await engine.executions(apiKey, created.id)
    expect(executions).toHaveLength(1)
    expect(executions[0].status).toBe('SUCCESS')
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
  })

  it('a wrong token is LOGIN_ERROR / INVALID_CREDENTIALS_MFA', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: '000000' } })
    const item = await engine.waitForItem(apiKey, created.id)
    expectOutcome(item, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect(item.consecutiveFailedLoginAttempts).toBe(1)
    expect(item.nextAutoSyncAt).toBeNull()
    const execution = await newestExecution(created.id)
    expect(execution.status).toBe('INVALID_CREDENTIALS_MFA')
    expect(execution.error.code).toBe('INVALID_CREDENTIALS_MFA')
    expect(timeline(execution)).toEqual([...LOGIN_FAILURE, 'INVALID_CREDENTIALS_MFA'])
  })

  it('updates: a missing token and a repeated token are refused without starting anything; a new token is accepted', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: CODE } })
    const first = await engine.waitForItem(apiKey, created.id)
    expectOutcome(first, 'UPDATED', 'SUCCESS', null)

    /** The refusal started no execution and left the item exactly as it was. */
    const expectNothingStarted = async (before: any, executionCount: number) => {
      expect(await engine.executions(apiKey, created.id)).toHaveLength(executionCount)
      const after = (await engine.request('GET', `/items/${created.id}`, { apiKey })).body
      expect([after.status, after.executionStatus, after.error, after.updatedAt]).toEqual([before.status, before.executionStatus, before.error, before.updatedAt])
    }

    // No token: no parameters at all, then other credentials without the token. (No body at all: its own test.)
    for (const body of [{}, { parameters: { password: 'password-ok' } }]) {
      const reply = await patch(created.id, body)
      expectRefusal(reply, 400, 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR')
      expect(reply.body.data.parameter).toBe('token')
      await expectNothingStarted(first, 1)
    }

    // The token the previous execution used.
    expectRefusal(await patch(created.id, { parameters: { token: CODE } }), 400, 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR')
    await expectNothingStarted(first, 1)

    // A new value is accepted and starts an execution (the sandbox accepts only 123456, so it fails MFA).
    const accepted = await patch(created.id, { parameters: { token: '654321' } })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect([accepted.body.status, accepted.body.executionStatus]).toEqual(['UPDATING', 'CREATED'])
    const second = await engine.waitForItem(apiKey, created.id)
    expectOutcome(second, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect(second.nextAutoSyncAt).toBeNull()
    let executions = await engine.executions(apiKey, created.id)
    expect(executions.map((e: any) => e.status)).toEqual(['INVALID_CREDENTIALS_MFA', 'SUCCESS'])
    expect(executions[0].triggeredBy).toBe('CLIENT')
    expect(timeline(executions[0])).toEqual([...LOGIN_FAILURE, 'INVALID_CREDENTIALS_MFA'])

    // On a LOGIN_ERROR item: no parameters, parameters without the token, and the token just used are all refused.
    expectRefusal(await patch(created.id, {}), 400, 'PARAMETERS_NOT_PROVIDED')
    await expectNothingStarted(second, 2)
    const noToken = await patch(created.id, { parameters: { password: 'password-ok' } })
    expectRefusal(noToken, 400, 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR')
    expect(noToken.body.data.parameter).toBe('token')
    await expectNothingStarted(second, 2)
    expectRefusal(await patch(created.id, { parameters: { token: '654321' } }), 400, 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR')
    await expectNothingStarted(second, 2)

    // 123456 was used two executions ago, not by the previous one: accepted, and the login succeeds again.
    const retried = await patch(created.id, { parameters: { token: CODE } })
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect([retried.body.status, retried.body.executionStatus, retried.body.error]).toEqual(['UPDATING', 'CREATED', null])
    const third = await engine.waitForItem(apiKey, created.id)
    expectOutcome(third, 'UPDATED', 'SUCCESS', null)
    expect(third.consecutiveFailedLoginAttempts).toBe(0)
    expect(third.nextAutoSyncAt).toBeNull()
    executions = await engine.executions(apiKey, created.id)
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', 'INVALID_CREDENTIALS_MFA', 'SUCCESS'])
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
  })

  it('after two rejected codes in a row a new code is accepted: the repeated-failure guard compares the whole attempt', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: '111111' } })
    expectOutcome(await engine.waitForItem(apiKey, created.id), 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect((await patch(created.id, { parameters: { token: '222222' } })).status).toBe(200)
    const second = await engine.waitForItem(apiKey, created.id)
    expectOutcome(second, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect(second.consecutiveFailedLoginAttempts).toBe(2)
    const retry = await patch(created.id, { parameters: { token: CODE } })
    expect(retry.status).toBe(200)
    expectOutcome(await engine.waitForItem(apiKey, created.id), 'UPDATED', 'SUCCESS', null)
  })

  it('a PATCH with no body at all is refused like one without a token (UPDATED item) or without parameters (LOGIN_ERROR item)', async () => {
    const updated = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: CODE } })).id)
    expectOutcome(updated, 'UPDATED', 'SUCCESS', null)
    const missingToken = await patch(updated.id)
    expectRefusal(missingToken, 400, 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR')
    expect(missingToken.body.data.parameter).toBe('token')
    expect(await engine.executions(apiKey, updated.id)).toHaveLength(1)

    const loginError = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 1, parameters: { ...OK, token: '000000' } })).id)
    expectOutcome(loginError, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expectRefusal(await patch(loginError.id), 400, 'PARAMETERS_NOT_PROVIDED')
    expect(await engine.executions(apiKey, loginError.id)).toHaveLength(1)
  })
})

describe('connector 2 (2-step MFA: the code is asked after login)', () => {
  it('asks for the code, resumes with it and collects everything', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    expect([created.status, created.executionStatus, created.parameter]).toEqual(['UPDATING', 'CREATED', null])
    const waiting = await engine.waitForItem(apiKey, created.id, (i) => isWaiting(i) || isFinished(i))
    expect([waiting.status, waiting.executionStatus]).toEqual(['WAITING_USER_INPUT', 'WAITING_USER_INPUT'])
    expect(waiting.error).toBeNull()
    expect(waiting.userAction).toBeNull()

    const parameter = waiting.parameter
    expect(parameter).toMatchObject({ name: 'token', label: expect.stringMatching(/\S/), type: expect.stringMatching(/^(text|password|number|image|select)$/) })
    expect(parameter.expiresAt).toMatch(ISO)
    expect(Date.parse(parameter.expiresAt)).toBeGreaterThan(Date.now())
    expect(typeof parameter.validation).toBe('string')
    expect(new RegExp(parameter.validation).test(CODE)).toBe(true)
    expect(new RegExp(parameter.validation).test('abc')).toBe(false)

    let execution = await newestExecution(created.id)
    expect(execution.status).toBe('WAITING_USER_INPUT')
    expect(execution.finishedAt).toBeNull()
    expect(timeline(execution)).toEqual(ASKED)

    const answered = await postMfa(created.id, { token: CODE })
    expect(answered.status, JSON.stringify(answered.body)).toBe(200)
    expect(answered.body.status).toBe('UPDATING')
    expect(IN_PROGRESS_AFTER_MFA).toContain(answered.body.executionStatus)
    expect(answered.body.parameter).toBeNull()

    const item = await engine.waitForItem(apiKey, created.id)
    expectOutcome(item, 'UPDATED', 'SUCCESS', null)
    expect(item.nextAutoSyncAt).toBeNull()
    const executions = await engine.executions(apiKey, created.id)
    expect(executions).toHaveLength(1)
    execution = executions[0]
    expect(execution.status).toBe('SUCCESS')
    expect(timeline(execution)).toEqual([...FULL_WITH_MFA, 'SUCCESS'])
    expect(execution.steps.at(-1).finishedAt).toBe(execution.finishedAt)
  })

  it('a wrong code is LOGIN_ERROR / INVALID_CREDENTIALS_MFA', async () => {
    const waiting = await createWaiting(2)
    const answered = await postMfa(waiting.id, { token: '000000' })
    expect(answered.status, JSON.stringify(answered.body)).toBe(200)
    const item = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(item, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect(item.nextAutoSyncAt).toBeNull()
    const execution = await newestExecution(waiting.id)
    expect(execution.status).toBe('INVALID_CREDENTIALS_MFA')
    expect(timeline(execution)).toEqual([...ASKED, 'LOGIN_MFA_IN_PROGRESS', 'INVALID_CREDENTIALS_MFA'])
  })

  describe('with a 1-second MFA timeout (its own engine)', () => {
    let fast: TestEngine
    let fastKey: string
    beforeAll(async () => {
      fast = await startTestEngine({ TRIBUTARY_MFA_TIMEOUT_SECONDS: '1' })
      fastKey = await fast.apiKey()
    })
    afterAll(() => fast?.stop())

    it('no code before expiresAt ends the execution as OUTDATED / USER_INPUT_TIMEOUT', async () => {
      const waiting = await createWaiting(2, fast, fastKey)
      // expiresAt follows the configured timeout (computed before we could read it).
      expect(Date.parse(waiting.parameter.expiresAt)).toBeLessThanOrEqual(Date.now() + 1000)
      const item = await fast.waitForItem(fastKey, waiting.id, isFinished, 20_000)
      expectOutcome(item, 'OUTDATED', 'USER_INPUT_TIMEOUT', 'USER_INPUT_TIMEOUT')
      expect(item.nextAutoSyncAt).toBeNull()
      const executions = await fast.executions(fastKey, waiting.id)
      expect(executions).toHaveLength(1)
      expect(executions[0].status).toBe('USER_INPUT_TIMEOUT')
      expect(timeline(executions[0])).toEqual([...ASKED, 'USER_INPUT_TIMEOUT'])

      // The code arriving late is refused and changes nothing.
      expectRefusal(await postMfa(waiting.id, { token: CODE }, fast, fastKey), 404, 'ITEM_NOT_WAITING_USER_INPUT')
      const after = (await fast.request('GET', `/items/${waiting.id}`, { apiKey: fastKey })).body
      expect([after.status, after.executionStatus]).toEqual(['OUTDATED', 'USER_INPUT_TIMEOUT'])
      expect(await fast.executions(fastKey, waiting.id)).toHaveLength(1)
    })
  })

  it('MFA sent to an item that is not waiting is 404 ITEM_NOT_WAITING_USER_INPUT and starts nothing', async () => {
    const waiting = await createWaiting(2)
    expect((await postMfa(waiting.id, { token: CODE })).status).toBe(200)
    const finished = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(finished, 'UPDATED', 'SUCCESS', null)

    expectRefusal(await postMfa(waiting.id, { token: CODE }), 404, 'ITEM_NOT_WAITING_USER_INPUT')
    const after = (await engine.request('GET', `/items/${waiting.id}`, { apiKey })).body
    expect([after.status, after.executionStatus, after.parameter, after.updatedAt]).toEqual(['UPDATED', 'SUCCESS', null, finished.updatedAt])
    const executions = await engine.executions(apiKey, waiting.id)
    expect(executions).toHaveLength(1)
    expect(timeline(executions[0])).toEqual([...FULL_WITH_MFA, 'SUCCESS'])

    // Also on an item of a connector without MFA.
    const plain = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 0, parameters: OK })).id)
    expectRefusal(await postMfa(plain.id, { token: CODE }), 404, 'ITEM_NOT_WAITING_USER_INPUT')
    expect(await engine.executions(apiKey, plain.id)).toHaveLength(1)
  })

  it('a value failing the parameter’s validation is 400 and the item keeps waiting', async () => {
    const waiting = await createWaiting(2)
    for (const token of ['abc', '12345']) {
      const reply = await postMfa(waiting.id, { token })
      expect(reply.status, JSON.stringify(reply.body)).toBe(400)
      expect(reply.body).toMatchObject({ code: 400, codeDescription: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.stringMatching(/\w+ \w+/) })
    }
    const still = (await engine.request('GET', `/items/${waiting.id}`, { apiKey })).body
    expect([still.status, still.executionStatus, still.error]).toEqual(['WAITING_USER_INPUT', 'WAITING_USER_INPUT', null])
    expect(still.parameter).toEqual(waiting.parameter)
    const execution = await newestExecution(waiting.id)
    expect(execution.status).toBe('WAITING_USER_INPUT')
    expect(timeline(execution)).toEqual(ASKED)

    // The refused values did not consume the challenge: the right one still works.
    expect((await postMfa(waiting.id, { token: CODE })).status).toBe(200)
    const item = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(item, 'UPDATED', 'SUCCESS', null)
    expect(timeline(await newestExecution(waiting.id))).toEqual([...FULL_WITH_MFA, 'SUCCESS'])
  })

  it('of two concurrent MFA posts exactly one is accepted, and one execution ends SUCCESS', async () => {
    const waiting = await createWaiting(2)
    const replies = await Promise.all([postMfa(waiting.id, { token: CODE }), postMfa(waiting.id, { token: CODE })])
    expect(replies.map((r) => r.status).sort()).toEqual([200, 404])
    const loser = replies.find((r) => r.status === 404)!
    expectRefusal(loser, 404, 'ITEM_NOT_WAITING_USER_INPUT')
    const winner = replies.find((r) => r.status === 200)!
    expect(winner.body.status).toBe('UPDATING')

    const item = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(item, 'UPDATED', 'SUCCESS', null)
    const executions = await engine.executions(apiKey, waiting.id)
    expect(executions).toHaveLength(1)
    expect(executions[0].status).toBe('SUCCESS')
    expect(timeline(executions[0])).toEqual([...FULL_WITH_MFA, 'SUCCESS'])
  })

  it.each([
    ['user-locked', 'password-ok', 'LOGIN_ERROR', 'ACCOUNT_LOCKED'],
    ['user-unavailable', 'password-ok', 'OUTDATED', 'SITE_NOT_AVAILABLE'],
    ['user-ok', 'wrong-password', 'LOGIN_ERROR', 'INVALID_CREDENTIALS'],
  ])('%s / %s fails at login before any code is asked (%s / %s)', async (user, password, status, executionStatus) => {
    const created = await engine.createItem(apiKey, { connectorId: 2, parameters: { user, password } })
    const item = await engine.waitForItem(apiKey, created.id, (i) => isWaiting(i) || isFinished(i))
    expectOutcome(item, status, executionStatus, executionStatus)
    const executions = await engine.executions(apiKey, created.id)
    expect(executions).toHaveLength(1)
    expect(executions[0].status).toBe(executionStatus)
    expect(timeline(executions[0])).toEqual([...LOGIN_FAILURE, executionStatus])
  })
})

describe('connector 4 (trusted device: 2-step MFA on the first execution only)', () => {
  it('the first execution asks the code; afterwards the item is updatable and an update runs without MFA', async () => {
    const waiting = await createWaiting(4)
    expect(waiting.parameter.name).toBe('token')
    expect(waiting.nextAutoSyncAt).toBeNull()
    expect((await postMfa(waiting.id, { token: CODE })).status).toBe(200)
    const first = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(first, 'UPDATED', 'SUCCESS', null)
    expect(first.nextAutoSyncAt).toMatch(ISO)
    expect(Date.parse(first.nextAutoSyncAt)).toBeGreaterThan(Date.now())
    expect(timeline(await newestExecution(waiting.id))).toEqual([...FULL_WITH_MFA, 'SUCCESS'])

    const updated = await patch(waiting.id, {})
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    expect([updated.body.status, updated.body.executionStatus]).toEqual(['UPDATING', 'CREATED'])
    // Stop at the first non-UPDATING state, so a WAITING_USER_INPUT would be seen (and fail) rather than time out.
    const second = await engine.waitForItem(apiKey, waiting.id, (i) => i.status !== 'UPDATING')
    expectOutcome(second, 'UPDATED', 'SUCCESS', null)
    expect(second.nextAutoSyncAt).not.toBeNull()
    const executions = await engine.executions(apiKey, waiting.id)
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', 'SUCCESS'])
    expect(executions[0].triggeredBy).toBe('CLIENT')
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
    expect(timeline(executions[0])).not.toContain('WAITING_USER_INPUT')
  })

  it('once trusted, a PATCH with no body at all starts an update that runs without MFA', async () => {
    const waiting = await createWaiting(4)
    expect((await postMfa(waiting.id, { token: CODE })).status).toBe(200)
    expectOutcome(await engine.waitForItem(apiKey, waiting.id), 'UPDATED', 'SUCCESS', null)

    const updated = await patch(waiting.id)
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    expect([updated.body.status, updated.body.executionStatus]).toEqual(['UPDATING', 'CREATED'])
    const second = await engine.waitForItem(apiKey, waiting.id, (i) => i.status !== 'UPDATING')
    expectOutcome(second, 'UPDATED', 'SUCCESS', null)
    const executions = await engine.executions(apiKey, waiting.id)
    expect(executions.map((e: any) => e.status)).toEqual(['SUCCESS', 'SUCCESS'])
    expect(timeline(executions[0])).toEqual([...FULL, 'SUCCESS'])
  })

  it('a wrong first code does not trust the device: the next execution asks again', async () => {
    const waiting = await createWaiting(4)
    expect((await postMfa(waiting.id, { token: '000000' })).status).toBe(200)
    const failed = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(failed, 'LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA', 'INVALID_CREDENTIALS_MFA')
    expect(failed.nextAutoSyncAt).toBeNull()

    const updated = await patch(waiting.id, { parameters: { password: 'password-ok' } })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    const asked = await engine.waitForItem(apiKey, waiting.id, (i) => isWaiting(i) || isFinished(i))
    expect([asked.status, asked.executionStatus, asked.error]).toEqual(['WAITING_USER_INPUT', 'WAITING_USER_INPUT', null])
    expect(asked.parameter.name).toBe('token')
    expect(timeline(await newestExecution(waiting.id))).toEqual(ASKED)

    expect((await postMfa(waiting.id, { token: CODE })).status).toBe(200)
    const item = await engine.waitForItem(apiKey, waiting.id)
    expectOutcome(item, 'UPDATED', 'SUCCESS', null)
    expect(item.nextAutoSyncAt).not.toBeNull()
  })
})
