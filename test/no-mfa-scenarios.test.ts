import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_PRODUCT_STEPS, startTestEngine, timeline, type TestEngine } from './support/harness.ts'

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine()
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const LOGIN_FAILURE = ['CREATED', 'LOGIN_IN_PROGRESS']
const FULL = ['CREATED', 'LOGIN_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING']

// Every row of SPEC §4's user table on connector 0: item status, execution status, error, timeline.
const ROWS: [user: string, status: string, executionStatus: string, errorCode: string | null, steps: string[]][] = [
  ['user-ok', 'UPDATED', 'SUCCESS', null, FULL],
  ['user-ok-account-warning', 'UPDATED', 'SUCCESS', null, FULL],
  ['user-ok-account-error', 'UPDATED', 'PARTIAL_SUCCESS', null, FULL],
  ['user-ok-perf-3', 'UPDATED', 'SUCCESS', null, FULL],
  ['user-logged', 'OUTDATED', 'ALREADY_LOGGED_IN', 'ALREADY_LOGGED_IN', LOGIN_FAILURE],
  ['user-locked', 'LOGIN_ERROR', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED', LOGIN_FAILURE],
  ['user-error', 'OUTDATED', 'ERROR', 'UNEXPECTED_ERROR', LOGIN_FAILURE],
  ['user-merge-error', 'OUTDATED', 'MERGE_ERROR', 'MERGE_ERROR', FULL],
  ['user-unavailable', 'OUTDATED', 'SITE_NOT_AVAILABLE', 'SITE_NOT_AVAILABLE', LOGIN_FAILURE],
  ['user-connection-error', 'OUTDATED', 'CONNECTION_ERROR', 'CONNECTION_ERROR', LOGIN_FAILURE],
  ['user-account-need-actions', 'OUTDATED', 'ACCOUNT_NEEDS_ACTION', 'ACCOUNT_NEEDS_ACTION', LOGIN_FAILURE],
  ['user-account-need-actions-provider-message', 'OUTDATED', 'ACCOUNT_NEEDS_ACTION', 'ACCOUNT_NEEDS_ACTION', LOGIN_FAILURE],
  ['user-account-credentials-reset', 'LOGIN_ERROR', 'ACCOUNT_CREDENTIALS_RESET', 'ACCOUNT_CREDENTIALS_RESET', LOGIN_FAILURE],
  ['user-not-supported', 'LOGIN_ERROR', 'USER_NOT_SUPPORTED', 'USER_NOT_SUPPORTED', LOGIN_FAILURE],
  ['user-auth-revoked', 'LOGIN_ERROR', 'USER_AUTHORIZATION_REVOKED', 'USER_AUTHORIZATION_REVOKED', LOGIN_FAILURE],
  ['somebody-else', 'LOGIN_ERROR', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', LOGIN_FAILURE],
]

describe('connector 0 (no MFA): every sandbox user', () => {
  it.each(ROWS)('%s → %s / %s', async (user, status, executionStatus, errorCode, steps) => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user, password: 'password-ok' } })
    expect(created.status).toBe('UPDATING')
    expect(created.executionStatus).toBe('CREATED')
    expect(created.error).toBeNull()
    const item = await engine.waitForItem(apiKey, created.id)
    expect(item.status).toBe(status)
    expect(item.executionStatus).toBe(executionStatus)
    expect(item.parameter).toBeNull()
    if (errorCode) {
      expect(item.error.code).toBe(errorCode)
      expect(item.error.message).toMatch(/\w+ \w+/)
    } else {
      expect(item.error).toBeNull()
    }
    const [execution] = await engine.executions(apiKey, created.id)
    expect(execution.status).toBe(executionStatus)
    expect(execution.triggeredBy).toBe('CLIENT')
    expect(timeline(execution)).toEqual([...steps, executionStatus])
    expect(execution.finishedAt).not.toBeNull()
    for (const step of execution.steps) expect(Date.parse(step.startedAt)).not.toBeNaN()
    // Each status ends when the next begins, however the steps were grouped into writes.
    execution.steps.slice(1).forEach((step: { startedAt: string }, i: number) => expect(execution.steps[i].finishedAt).toBe(step.startedAt))
    expect(execution.steps.at(-1).finishedAt).toBe(execution.finishedAt)
  })

  it('a wrong password is INVALID_CREDENTIALS and counts a failed login', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'wrong' } })
    const item = await engine.waitForItem(apiKey, created.id)
    expect([item.status, item.executionStatus, item.error.code]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS'])
    expect(item.consecutiveFailedLoginAttempts).toBe(1)
    expect(item.nextAutoSyncAt).toBeNull()
  })

  it('the provider-message scenario carries the institution’s words', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-account-need-actions-provider-message', password: 'password-ok' } })
    const item = await engine.waitForItem(apiKey, created.id)
    expect(item.error.providerMessage).toEqual(expect.any(String))
    const plain = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-account-need-actions', password: 'password-ok' } })).id)
    expect(plain.error.providerMessage).toBeUndefined()
  })

  it('statusDetail reports the warning, the failed product, and nextAutoSyncAt is set for updatable items', async () => {
    const warned = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok-account-warning', password: 'password-ok' } })).id)
    expect(warned.statusDetail.accounts.warnings).toHaveLength(1)
    expect(warned.statusDetail.accounts.isUpdated).toBe(true)
    const partial = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok-account-error', password: 'password-ok' } })).id)
    expect(partial.statusDetail.creditCards).toMatchObject({ isUpdated: false, lastUpdatedAt: null })
    expect(partial.statusDetail.transactions.isUpdated).toBe(true)
    expect(Date.parse(partial.nextAutoSyncAt)).toBeGreaterThan(Date.now())
    const outdated = await engine.waitForItem(apiKey, (await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-unavailable', password: 'password-ok' } })).id)
    expect(outdated.nextAutoSyncAt).not.toBeNull()
  })

  it('products limits the steps that run; the others are null in statusDetail', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, products: ['ACCOUNTS', 'TRANSACTIONS'] })
    const item = await engine.waitForItem(apiKey, created.id)
    expect(item.executionStatus).toBe('SUCCESS')
    expect(item.products).toEqual(['ACCOUNTS', 'TRANSACTIONS'])
    expect(item.statusDetail.accounts.isUpdated).toBe(true)
    expect(item.statusDetail.transactions.isUpdated).toBe(true)
    for (const key of ['creditCards', 'investments', 'investmentTransactions', 'paymentData', 'identity', 'opportunities']) expect(item.statusDetail[key]).toBeNull()
    const [execution] = await engine.executions(apiKey, created.id)
    expect(timeline(execution)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'TRANSACTIONS_IN_PROGRESS', 'MERGING', 'SUCCESS'])
  })
})
