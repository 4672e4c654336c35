/**
 * What an execution's outcome changes on its item beyond the lifecycle state: the bookkeeping
 * behind auto-sync, device trust, device authorization, the login cool-down and `statusDetail`.
 * One pure function, so that every rule about "what happens next" is here and unit-tested.
 */
import { isUpdatable, nextAutoSyncAt, type ConnectorTraits } from './auto-sync.ts'
import type { LifecycleEvent, LifecycleState, UserAction } from './lifecycle.ts'
import { statusDetailAfter, type ProductWarning, type StatusDetail } from './status-detail.ts'
import { isSuccessOutcome, type FinalOutcome, type Product } from './statuses.ts'

/** The item's bookkeeping that outcomes change. */
export interface ItemBookkeeping {
  statusDetail: StatusDetail | null
  /** When the last successful execution ended. */
  lastUpdatedAt: Date | null
  /** Executions in a row that did not succeed (device-authorization pending ones not counted). */
  consecutiveFailedExecutions: number
  lastLoginErrorAt: Date | null
  deviceTrusted: boolean
  /** Device authorization (SPEC §2.5): since when it is pending, and how many executions ended pending. */
  authPendingSince: Date | null
  authPendingExecutions: number
  /** When the engine starts the next device-authorization follow-up by itself. */
  followUpAt: Date | null
  nextAutoSyncAt: Date | null
  autoSyncDisabled: boolean
}

export interface ScheduleSettings {
  autoSyncIntervalSeconds: number
  authPendingRetrySeconds: number
  authPendingDeadlineSeconds: number
}

export interface OutcomeInput {
  item: ItemBookkeeping
  /** The state the final transition left. */
  next: LifecycleState
  outcome: FinalOutcome
  at: Date
  /** The item's connector; null when it is not installed on this engine. */
  connector: ConnectorTraits | null
  execution: { products: readonly Product[]; mfaAnswered: boolean; warnings: Partial<Record<Product, ProductWarning[]>> }
  schedule: ScheduleSettings
  /** A number in [0, 1) that spreads auto-syncs (see nextAutoSyncAt). */
  jitter: number
}

export interface OutcomeBookkeeping extends Omit<ItemBookkeeping, 'autoSyncDisabled'> {
  /** The credentials were rejected: remember them, so that the same ones hit the cool-down. */
  rememberRejectedCredentials: boolean
}

/** The item's bookkeeping after an execution ended with `outcome`. */
export function settleOutcome(input: OutcomeInput): OutcomeBookkeeping {
  const { item, next, outcome, at, connector, execution, schedule } = input
  const success = isSuccessOutcome(outcome)
  const pending = outcome === 'USER_AUTHORIZATION_PENDING'
  const loginError = next.status === 'LOGIN_ERROR'
  // A trusted-device connector trusts the device after one successful execution that answered
  // MFA; a login error (new credentials will be needed) forgets it.
  const deviceTrusted = !loginError && (item.deviceTrusted || Boolean(connector?.trustsDevice && success && execution.mfaAnswered))
  const consecutiveFailedExecutions = success ? 0 : pending ? item.consecutiveFailedExecutions : item.consecutiveFailedExecutions + 1
  const authPendingSince = pending ? (item.authPendingSince ?? at) : null
  const updatable = connector !== null && isUpdatable({ status: next.status, deviceTrusted, ...connector })
  return {
    statusDetail: success ? statusDetailAfter(item.statusDetail, { ...execution, failedProducts: next.failedProducts }, at) : item.statusDetail,
    lastUpdatedAt: success ? at : item.lastUpdatedAt,
    consecutiveFailedExecutions,
    lastLoginErrorAt: loginError ? at : item.lastLoginErrorAt,
    deviceTrusted,
    authPendingSince,
    authPendingExecutions: pending ? item.authPendingExecutions + 1 : 0,
    // The next follow-up is one retry period away, but never after the deadline, when the last
    // one ends the wait (SPEC §2.5).
    followUpAt: authPendingSince ? authorizationFollowUpAt(authPendingSince, at, schedule) : null,
    nextAutoSyncAt: updatable && !item.autoSyncDisabled ? nextAutoSyncAt(at, schedule.autoSyncIntervalSeconds, consecutiveFailedExecutions, input.jitter) : null,
    rememberRejectedCredentials: loginError,
  }
}

/** When the next follow-up of a pending device authorization starts. */
export function authorizationFollowUpAt(pendingSince: Date, at: Date, schedule: Omit<ScheduleSettings, 'autoSyncIntervalSeconds'>): Date {
  return new Date(Math.min(at.getTime() + schedule.authPendingRetrySeconds * 1000, authorizationDeadline(pendingSince, schedule).getTime()))
}

export function authorizationDeadline(pendingSince: Date, schedule: Pick<ScheduleSettings, 'authPendingDeadlineSeconds'>): Date {
  return new Date(pendingSince.getTime() + schedule.authPendingDeadlineSeconds * 1000)
}

/**
 * The event for a connector that asks the user to authorize on their device: still pending, or —
 * once the deadline that runs from the first pending outcome passed — not granted (SPEC §2.5, §4a.3).
 * The action expires when the wait does, unless the connector knows an earlier expiry.
 */
export function authorizationRequested(
  item: Pick<ItemBookkeeping, 'authPendingSince'>,
  now: Date,
  userAction: UserAction,
  schedule: Pick<ScheduleSettings, 'authPendingDeadlineSeconds'>,
): LifecycleEvent {
  const deadline = authorizationDeadline(item.authPendingSince ?? now, schedule)
  if (item.authPendingSince !== null && now.getTime() >= deadline.getTime()) return { type: 'AUTHORIZATION_DEADLINE_PASSED' }
  return { type: 'AUTHORIZATION_PENDING', userAction: { ...userAction, expiresAt: userAction.expiresAt ?? deadline.toISOString() } }
}
