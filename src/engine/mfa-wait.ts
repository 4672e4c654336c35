import type { MfaRequest } from '../connectors/sdk/index.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Queryable } from '../store/database.ts'
import { untilDatabaseAnswers } from '../store/database-errors.ts'
import { eraseMfaValue, readMfaValue } from '../store/executions.ts'
import { findItemForEngine } from '../store/items.ts'
import type { Clock } from '../time/clock.ts'
import { CannotResume, ExecutionStopped, MfaTimedOut } from './execution-errors.ts'
import type { ExecutionProgress } from './execution-progress.ts'
import { mfaWakeupKey, type Wakeups } from './wakeups.ts'

export interface MfaWaitDeps {
  db: Queryable
  clock: Clock
  cipher: Cipher
  wakeups: Wakeups
  mfaTimeoutSeconds: number
  /** How often the wait re-reads the database when no wake-up arrives (a wake-up from another process may be lost). */
  pollIntervalMs: number
  /** How long its reads wait for a database that cannot be reached. */
  outageWindowMs: number
}

/**
 * 2-step MFA: saves WAITING_USER_INPUT with the parameter's expiry, then waits — durably, in the
 * database — until the API has accepted a value (it saves LOGIN_MFA_IN_PROGRESS with the value,
 * and this adopts that state and reads the value, erased once the login passes) or the parameter expires (→ USER_INPUT_TIMEOUT).
 * The value may be posted to any API process: the wait is woken locally or by notification, and
 * polls in case a wake-up is lost.
 */
export async function waitForMfaValue(deps: MfaWaitDeps, progress: ExecutionProgress, request: MfaRequest, signal: AbortSignal): Promise<string> {
  const { clock, wakeups } = deps
  const executionId = progress.execution.id
  const db = <T>(query: () => Promise<T>) => untilDatabaseAnswers(query, { windowMs: deps.outageWindowMs })
  // A run that took the execution over finds the question asked already (it keeps waiting, with
  // the same expiry), or the answer posted but not yet taken.
  const resumed = progress.resumedFrom !== null && progress.current.parameter !== null
  if (progress.resumedFrom !== null) {
    // Stored with the answer the API accepted (LOGIN_MFA_IN_PROGRESS), until the login passes.
    const posted = await db(() => readMfaValue(deps.db, executionId))
    if (posted !== undefined) {
      progress.takePostedMfaAnswer()
      return deps.cipher.decrypt(posted)
    }
  }
  if (!resumed && progress.resumedFrom !== null && !progress.accepts({ type: 'MFA_REQUESTED', parameter: { ...request, expiresAt: '' } })) {
    throw new CannotResume('the institution asked for a code again, past the step where the user gave one')
  }
  const expiresAt = resumed ? new Date(progress.current.parameter!.expiresAt) : new Date(clock.now().getTime() + deps.mfaTimeoutSeconds * 1000)
  // Saved before waiting: the API accepts the value only once the item waits for it (and only
  // while no earlier answer is stored: a second challenge drops the first answer).
  if (!resumed) await db(() => eraseMfaValue(deps.db, executionId, progress.execution.attempt))
  if (!resumed) await progress.advance({ type: 'MFA_REQUESTED', parameter: { ...request, expiresAt: expiresAt.toISOString() } }, { durable: true })
  const waitingStatus = progress.current.executionStatus
  for (;;) {
    if (signal.aborted) throw signal.reason
    const item = await db(() => findItemForEngine(deps.db, progress.item.id))
    if (!item || item.currentExecutionId !== executionId) throw new ExecutionStopped('cancelled')
    if (item.executionStatus !== waitingStatus) {
      if (!progress.isMfaAnswer(item)) throw new ExecutionStopped('lost')
      // The API saved MFA_SUBMITTED with the value: go on from the state it saved.
      const value = await db(() => readMfaValue(deps.db, executionId))
      if (value === undefined) throw new ExecutionStopped('lost')
      progress.adoptMfaAnswer(item)
      return deps.cipher.decrypt(value)
    }
    // The stored expiry counts: a client's sandbox clock (POST /sandbox/clock) may have moved it earlier.
    const stored = item.parameter?.expiresAt ? Date.parse(item.parameter.expiresAt) : Number.NaN
    const left = (Number.isNaN(stored) ? expiresAt.getTime() : stored) - clock.now().getTime()
    if (left <= 0) {
      // Guarded on WAITING_USER_INPUT: if the value arrived at the same instant, it wins.
      if (await progress.finish({ type: 'MFA_TIMED_OUT' })) throw new MfaTimedOut()
      continue
    }
    await wakeups.wait(mfaWakeupKey(executionId), Math.min(left, deps.pollIntervalMs), signal)
  }
}
