import { CREDENTIALS_ACCEPTED_ITEM_STATUSES, type ItemStatus, type Trigger } from './statuses.ts'

/** What a connector's credential fields and MFA style say about an item's updatability. */
export interface ConnectorTraits {
  /** A credential field has `mfa: true`: a fresh value every execution (1-step MFA). */
  hasOneStepMfa: boolean
  /** The connector asks a code after login (2-step MFA). */
  hasMFA: boolean
  /** After one successful MFA execution the device is trusted and MFA is skipped (SPEC §2.3). */
  trustsDevice: boolean
  /**
   * Open Finance: the connector sends the user to the institution's page for a consent. Later syncs
   * run without the user only on a consent that was granted and still holds — which the last
   * execution's success shows; any other outcome waits for the user (docs/open-finance.md).
   */
  oauth?: boolean
}

export interface UpdatableFacts extends ConnectorTraits {
  status: ItemStatus
  deviceTrusted: boolean
}

/**
 * An item is updatable when its last execution accepted the credentials and its connector needs
 * no fresh user input per execution (SPEC §2.4, §4a.13).
 */
export function isUpdatable(facts: UpdatableFacts): boolean {
  if (!(CREDENTIALS_ACCEPTED_ITEM_STATUSES as readonly ItemStatus[]).includes(facts.status)) return false
  if (facts.hasOneStepMfa) return false
  if (facts.oauth && facts.status !== 'UPDATED') return false
  if (facts.hasMFA && !(facts.trustsDevice && facts.deviceTrusted)) return false
  return true
}

/** Failed executions in a row after which auto-sync backs off exponentially. */
export const BACKOFF_AFTER_FAILURES = 5
export const MAX_BACKOFF_FACTOR = 32

/**
 * When the next auto-sync is due: one interval after `from`, spread by up to ±10% with `jitter`
 * (a number in [0, 1)) so that items created together do not sync together, and doubled for each
 * failure from the fifth in a row on (at most {@link MAX_BACKOFF_FACTOR} intervals).
 */
export function nextAutoSyncAt(from: Date, intervalSeconds: number, consecutiveFailures: number, jitter: number): Date {
  const extraFailures = Math.max(0, consecutiveFailures - BACKOFF_AFTER_FAILURES + 1)
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** extraFailures)
  const seconds = intervalSeconds * factor * (0.9 + 0.2 * jitter)
  return new Date(from.getTime() + Math.round(seconds * 1000))
}

/**
 * Who starts an item's execution when the scheduler finds it due: a device-authorization
 * follow-up (SPEC §2.5) is the engine's own, an auto-sync is SYNC.
 */
export function scheduledTrigger(item: { followUpAt: Date | null }, now: Date): Extract<Trigger, 'INTERNAL' | 'SYNC'> {
  return item.followUpAt !== null && item.followUpAt.getTime() <= now.getTime() ? 'INTERNAL' : 'SYNC'
}

/**
 * Whether an execution started by `trigger` may send the user to the institution's page: only one
 * someone asked for (the application or the user through Connect). A scheduled one has nobody to
 * send, so a connector that needs a new consent then ends it as USER_AUTHORIZATION_REVOKED.
 */
export function userAuthorizationAllowed(trigger: Trigger): boolean {
  return trigger === 'CLIENT' || trigger === 'USER'
}
