/**
 * How an execution's timeline entry is drawn: a step of work, a wait for someone outside the
 * engine (the user's MFA answer, an authorization at the institution or on a device), the merge,
 * or the outcome.
 * The dashboard draws waits and the merge distinctly, so time spent waiting is not read as slowness.
 */
import { isFinalOutcome, isSuccessOutcome, isWaitingStatus } from './statuses.ts'

export const TIMELINE_KINDS = ['step', 'waiting', 'merging', 'success', 'failure'] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

/** The outcome of an execution that ended waiting for the user to authorize on their device (its follow-up goes on). */
const AUTHORIZATION_WAIT = 'USER_AUTHORIZATION_PENDING'
const MERGING_STATUS = 'MERGING'

export function timelineKind(status: string): TimelineKind {
  // The MFA question, the user's authorization at the institution's page (Open Finance), a device authorization.
  if (isWaitingStatus(status) || status === AUTHORIZATION_WAIT) return 'waiting'
  if (status === MERGING_STATUS) return 'merging'
  if (isSuccessOutcome(status)) return 'success'
  if (isFinalOutcome(status)) return 'failure'
  return 'step'
}
