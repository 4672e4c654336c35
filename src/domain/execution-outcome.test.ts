import { describe, expect, it } from 'vitest'
import { BACKOFF_AFTER_FAILURES, MAX_BACKOFF_FACTOR, isUpdatable, nextAutoSyncAt, scheduledTrigger, type ConnectorTraits } from './auto-sync.ts'
import { authorizationFollowUpAt, authorizationRequested, settleOutcome, type ItemBookkeeping, type OutcomeInput } from './execution-outcome.ts'
import { initialLifecycleState, transition, type LifecycleEvent, type LifecycleState } from './lifecycle.ts'
import { FINAL_OUTCOMES, ITEM_STATUSES, type FinalOutcome } from './statuses.ts'

// What an outcome changes beyond the status (SPEC §2.3–§2.5, §2.7): the rules for what happens next.

const AT = new Date('2030-03-01T12:00:00.000Z')
const HOUR = 3_600_000
const SCHEDULE = { autoSyncIntervalSeconds: 86_400, authPendingRetrySeconds: 120, authPendingDeadlineSeconds: 1_800 }
const PLAIN: ConnectorTraits = { hasOneStepMfa: false, hasMFA: false, trustsDevice: false }
const TWO_STEP: ConnectorTraits = { hasOneStepMfa: false, hasMFA: true, trustsDevice: false }
const TRUSTING: ConnectorTraits = { hasOneStepMfa: false, hasMFA: true, trustsDevice: true }
const ONE_STEP: ConnectorTraits = { hasOneStepMfa: true, hasMFA: false, trustsDevice: false }

const fresh: ItemBookkeeping = {
  statusDetail: null,
  lastUpdatedAt: null,
  consecutiveFailedExecutions: 0,
  lastLoginErrorAt: null,
  deviceTrusted: false,
  authPendingSince: null,
  authPendingExecutions: 0,
  followUpAt: null,
  nextAutoSyncAt: null,
  autoSyncDisabled: false,
}

/** The state a final event leaves, from an execution in login (or merging, for the merge events). */
function ended(event: LifecycleEvent): LifecycleState {
  const created = transition(initialLifecycleState(), { type: 'EXECUTION_CREATED' })
  const login = created.ok && transition(created.next, { type: 'STEP_STARTED', step: 'LOGIN_IN_PROGRESS' })
  const merging = login && login.ok && transition(login.next, { type: 'STEP_STARTED', step: 'MERGING' })
  const from = event.type.startsWith('MERGE_') ? merging : login
  const result = from && from.ok && transition(from.next, event)
  if (!result || !result.ok) throw new Error(`cannot end with ${event.type}`)
  return result.next
}

function settle(outcomeEvent: LifecycleEvent, overrides: Partial<OutcomeInput> = {}) {
  const next = ended(outcomeEvent)
  return settleOutcome({
    item: fresh,
    next,
    outcome: next.executionStatus as FinalOutcome,
    at: AT,
    connector: PLAIN,
    execution: { products: ['ACCOUNTS', 'TRANSACTIONS'], mfaAnswered: false, warnings: {} },
    schedule: SCHEDULE,
    jitter: 0.5,
    ...overrides,
  })
}

const SUCCESS: LifecycleEvent = { type: 'MERGE_SUCCEEDED' }
const SITE_DOWN: LifecycleEvent = { type: 'CONNECTOR_FAILED', outcome: 'SITE_NOT_AVAILABLE' }
const WRONG_PASSWORD: LifecycleEvent = { type: 'CONNECTOR_FAILED', outcome: 'INVALID_CREDENTIALS' }
const PENDING: LifecycleEvent = { type: 'AUTHORIZATION_PENDING', userAction: { type: 'qr', instructions: 'Approve it in the app.', expiresAt: null } }

describe('auto-sync schedule', () => {
  it('is one interval after the outcome, spread by at most ±10%', () => {
    expect(nextAutoSyncAt(AT, 86_400, 0, 0).getTime() - AT.getTime()).toBe(0.9 * 86_400_000)
    expect(nextAutoSyncAt(AT, 86_400, 0, 0.5).getTime() - AT.getTime()).toBe(86_400_000)
    expect(nextAutoSyncAt(AT, 86_400, 0, 0.999_999).getTime() - AT.getTime()).toBeLessThan(1.1 * 86_400_000)
  })

  it('backs off exponentially from the fifth failure in a row, up to 32 intervals', () => {
    const factors = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20].map((failures) => (nextAutoSyncAt(AT, 100, failures, 0.5).getTime() - AT.getTime()) / 100_000)
    expect(BACKOFF_AFTER_FAILURES).toBe(5)
    expect(factors).toEqual([1, 1, 1, 1, 1, 2, 4, 8, 16, 32, 32, 32])
    expect(MAX_BACKOFF_FACTOR).toBe(32)
  })

  it('is updatable only after accepted credentials and without fresh input per execution', () => {
    for (const status of ITEM_STATUSES) {
      const accepted = status === 'UPDATED' || status === 'OUTDATED'
      expect(isUpdatable({ status, deviceTrusted: false, ...PLAIN }), status).toBe(accepted)
      expect(isUpdatable({ status, deviceTrusted: true, ...ONE_STEP }), status).toBe(false)
      expect(isUpdatable({ status, deviceTrusted: true, ...TWO_STEP }), status).toBe(false)
      expect(isUpdatable({ status, deviceTrusted: false, ...TRUSTING }), status).toBe(false)
      expect(isUpdatable({ status, deviceTrusted: true, ...TRUSTING }), status).toBe(accepted)
    }
  })

  it('a due follow-up is the engine’s own execution; anything else the scheduler starts is SYNC', () => {
    expect(scheduledTrigger({ followUpAt: AT }, AT)).toBe('INTERNAL')
    expect(scheduledTrigger({ followUpAt: new Date(AT.getTime() + 1) }, AT)).toBe('SYNC')
    expect(scheduledTrigger({ followUpAt: null }, AT)).toBe('SYNC')
  })
})

describe('settleOutcome', () => {
  it('a success resets the failure count, records the products and schedules the next sync', () => {
    const after = settle(SUCCESS, { item: { ...fresh, consecutiveFailedExecutions: 7 } })
    expect(after.consecutiveFailedExecutions).toBe(0)
    expect(after.lastUpdatedAt).toEqual(AT)
    expect(after.nextAutoSyncAt).toEqual(new Date(AT.getTime() + 86_400_000))
    expect(after.statusDetail?.accounts).toEqual({ isUpdated: true, lastUpdatedAt: AT.toISOString(), warnings: [] })
    expect(after.statusDetail?.identity).toBeNull()
    expect(after.rememberRejectedCredentials).toBe(false)
  })

  it('a failure counts, keeps the last data and statusDetail, and backs auto-sync off', () => {
    const previous = { accounts: { isUpdated: true, lastUpdatedAt: '2030-02-01T00:00:00.000Z', warnings: [] } }
    const after = settle(SITE_DOWN, { item: { ...fresh, consecutiveFailedExecutions: 4, statusDetail: previous, lastUpdatedAt: new Date('2030-02-01T00:00:00.000Z') } })
    expect(after.consecutiveFailedExecutions).toBe(5)
    expect(after.statusDetail).toBe(previous)
    expect(after.lastUpdatedAt).toEqual(new Date('2030-02-01T00:00:00.000Z'))
    expect(after.nextAutoSyncAt).toEqual(new Date(AT.getTime() + 2 * 86_400_000))
  })

  it('a login error remembers the credentials, stops auto-sync and forgets a trusted device', () => {
    const after = settle(WRONG_PASSWORD, { item: { ...fresh, deviceTrusted: true }, connector: TRUSTING })
    expect(after).toMatchObject({ rememberRejectedCredentials: true, lastLoginErrorAt: AT, nextAutoSyncAt: null, deviceTrusted: false })
  })

  it('a trusted-device connector trusts the device after a successful execution that answered MFA, and then syncs by itself', () => {
    const answered = { products: ['ACCOUNTS' as const], mfaAnswered: true, warnings: {} }
    expect(settle(SUCCESS, { connector: TRUSTING, execution: answered })).toMatchObject({ deviceTrusted: true, nextAutoSyncAt: new Date(AT.getTime() + 86_400_000) })
    expect(settle(SUCCESS, { connector: TWO_STEP, execution: answered })).toMatchObject({ deviceTrusted: false, nextAutoSyncAt: null })
    expect(settle(SUCCESS, { connector: TRUSTING })).toMatchObject({ deviceTrusted: false, nextAutoSyncAt: null })
  })

  it('disabled auto-sync and a connector that is not installed schedule nothing', () => {
    expect(settle(SUCCESS, { item: { ...fresh, autoSyncDisabled: true } }).nextAutoSyncAt).toBeNull()
    expect(settle(SUCCESS, { connector: null }).nextAutoSyncAt).toBeNull()
  })

  it('device authorization pending: counted apart from failures, a follow-up one retry later, never after the deadline', () => {
    const first = settle(PENDING, { item: { ...fresh, consecutiveFailedExecutions: 2 } })
    expect(first).toMatchObject({ consecutiveFailedExecutions: 2, authPendingSince: AT, authPendingExecutions: 1, followUpAt: new Date(AT.getTime() + 120_000) })
    const since = new Date(AT.getTime() - 1_750_000)
    const late = settle(PENDING, { item: { ...fresh, authPendingSince: since, authPendingExecutions: 9 } })
    expect(late).toMatchObject({ authPendingSince: since, authPendingExecutions: 10, followUpAt: new Date(since.getTime() + 1_800_000) })
    expect(settle(SUCCESS, { item: { ...fresh, authPendingSince: since, authPendingExecutions: 3, followUpAt: AT } })).toMatchObject({
      authPendingSince: null,
      authPendingExecutions: 0,
      followUpAt: null,
    })
  })

  it('every final outcome gives a consistent bookkeeping', () => {
    for (const outcome of FINAL_OUTCOMES) {
      const event: LifecycleEvent =
        outcome === 'SUCCESS'
          ? SUCCESS
          : outcome === 'PARTIAL_SUCCESS'
            ? SUCCESS
            : outcome === 'MERGE_ERROR'
              ? { type: 'MERGE_FAILED' }
              : outcome === 'USER_INPUT_TIMEOUT' || outcome === 'ERROR'
                ? { type: 'DEADLINE_EXCEEDED' }
                : outcome === 'USER_AUTHORIZATION_PENDING'
                  ? PENDING
                  : outcome === 'USER_AUTHORIZATION_NOT_GRANTED'
                    ? { type: 'AUTHORIZATION_DEADLINE_PASSED' }
                    : { type: 'CONNECTOR_FAILED', outcome }
      const after = settle(event)
      expect(after.followUpAt !== null, outcome).toBe(after.authPendingSince !== null)
      expect(after.nextAutoSyncAt === null || after.rememberRejectedCredentials === false, outcome).toBe(true)
    }
  })
})

describe('device authorization', () => {
  it('stays pending until the deadline that runs from the first pending outcome, then is not granted', () => {
    const userAction = { type: 'qr', instructions: 'Approve it.', expiresAt: null }
    // The action expires with the wait: the deadline, from the first pending outcome.
    expect(authorizationRequested({ authPendingSince: null }, AT, userAction, SCHEDULE)).toEqual({
      type: 'AUTHORIZATION_PENDING',
      userAction: { ...userAction, expiresAt: new Date(AT.getTime() + 1_800_000).toISOString() },
    })
    const since = new Date(AT.getTime() - 1_800_000 + 1)
    expect(authorizationRequested({ authPendingSince: since }, AT, userAction, SCHEDULE)).toMatchObject({
      type: 'AUTHORIZATION_PENDING',
      userAction: { expiresAt: new Date(since.getTime() + 1_800_000).toISOString() },
    })
    // A connector that knows an earlier expiry keeps it.
    const early = { ...userAction, expiresAt: '2020-01-01T00:00:00.000Z' }
    expect(authorizationRequested({ authPendingSince: null }, AT, early, SCHEDULE)).toEqual({ type: 'AUTHORIZATION_PENDING', userAction: early })
    expect(authorizationRequested({ authPendingSince: new Date(AT.getTime() - 1_800_000) }, AT, userAction, SCHEDULE).type).toBe('AUTHORIZATION_DEADLINE_PASSED')
    expect(authorizationFollowUpAt(AT, AT, SCHEDULE)).toEqual(new Date(AT.getTime() + 120_000))
    expect(authorizationFollowUpAt(new Date(AT.getTime() - HOUR), AT, SCHEDULE)).toEqual(new Date(AT.getTime() - HOUR + 1_800_000))
  })
})
