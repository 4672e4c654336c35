import type { ItemStatus } from './statuses.ts'

export interface UpdatableFacts {
  status: ItemStatus
  /** The connector has a credential field with `mfa: true` (a fresh value every execution). */
  hasOneStepMfa: boolean
  hasMFA: boolean
  trustsDevice: boolean
  deviceTrusted: boolean
}

/**
 * An item is updatable when its last execution accepted the credentials and its connector needs
 * no fresh user input per execution (SPEC §2.4, §4a.13).
 */
export function isUpdatable(facts: UpdatableFacts): boolean {
  if (facts.status !== 'UPDATED' && facts.status !== 'OUTDATED') return false
  if (facts.hasOneStepMfa) return false
  if (facts.hasMFA && !(facts.trustsDevice && facts.deviceTrusted)) return false
  return true
}

/** Failed executions in a row after which auto-sync backs off exponentially. */
export const BACKOFF_AFTER_FAILURES = 5
const MAX_BACKOFF_FACTOR = 32

/**
 * When the next auto-sync is due: one interval after `from`, spread by up to ±10% with `jitter`
 * (a number in [0, 1)) so that items created together do not sync together, and doubled for each
 * failure past the fifth in a row.
 */
export function nextAutoSyncAt(from: Date, intervalSeconds: number, consecutiveFailures: number, jitter: number): Date {
  const extraFailures = Math.max(0, consecutiveFailures - BACKOFF_AFTER_FAILURES + 1)
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** extraFailures)
  const seconds = intervalSeconds * factor * (0.9 + 0.2 * jitter)
  return new Date(from.getTime() + Math.round(seconds * 1000))
}
