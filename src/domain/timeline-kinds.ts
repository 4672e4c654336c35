/**
 * How an execution's timeline entry is drawn: a step of work, a wait for someone outside the
 * engine (the user's MFA answer, an authorization at the institution), the merge, or the outcome.
 * The dashboard draws waits and the merge distinctly, so time spent waiting is not read as slowness.
 */
import { isFinalOutcome, isSuccessOutcome } from './statuses.ts'

export const TIMELINE_KINDS = ['step', 'waiting', 'merging', 'success', 'failure'] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

/** Statuses during which the execution waits for the user or the institution, not for a connector's work. */
const WAITING_STATUSES: ReadonlySet<string> = new Set(['WAITING_USER_INPUT', 'USER_AUTHORIZATION_PENDING'])
const MERGING_STATUS = 'MERGING'

export function timelineKind(status: string): TimelineKind {
  if (WAITING_STATUSES.has(status)) return 'waiting'
  if (status === MERGING_STATUS) return 'merging'
  if (isSuccessOutcome(status)) return 'success'
  if (isFinalOutcome(status)) return 'failure'
  return 'step'
}
