import { createHash, randomBytes } from 'node:crypto'
import { userAuthorizationRevoked, type UserAuthorizationRequest, type UserAuthorizationResult } from '../connectors/sdk/index.ts'
import { userAuthorizationAllowed } from '../domain/auto-sync.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Queryable } from '../store/database.ts'
import { untilDatabaseAnswers } from '../store/database-errors.ts'
import { findItemForEngine } from '../store/items.ts'
import { findUserAuthorization, insertUserAuthorization, takeUserAuthorizationReturn } from '../store/user-authorizations.ts'
import type { Clock } from '../time/clock.ts'
import { CannotResume, ExecutionStopped, UserAuthorizationEnded } from './execution-errors.ts'
import type { ExecutionProgress } from './execution-progress.ts'
import { userActionWakeupKey, type Wakeups } from './wakeups.ts'

export interface UserAuthorizationWaitDeps {
  db: Queryable
  clock: Clock
  cipher: Cipher
  wakeups: Wakeups
  /** How long the user has at the institution's page (TRIBUTARY_USER_ACTION_TIMEOUT_SECONDS). */
  timeoutSeconds: number
  /** Tributary's callback, where institutions send the user back (`<public URL>/oauth/callback`). */
  callbackUrl: string
  pollIntervalMs: number
  outageWindowMs: number
}

/** What the execution keeps, encrypted, to hand the connector with the return. */
interface Secret {
  codeVerifier: string
  nonce: string
  redirectUri: string
}

/** The key the callback looks a `state` up by: its SHA-256 (the state itself is never stored). */
export function stateHash(state: string): string {
  return createHash('sha256').update(state).digest('base64url')
}

const OAUTH_DENIED = 'access_denied'
const DEFAULT_INSTRUCTIONS = 'Authorize the access at your institution’s page, then come back here.'

/**
 * Open Finance: makes a single-use state, a nonce and a PKCE pair, saves WAITING_USER_ACTION with
 * the URL the connector built, then waits — durably, like an MFA value — until the callback recorded
 * the return (→ LOGIN_MFA_IN_PROGRESS, the parameters go to the connector), the user declined
 * (`error=access_denied` → USER_AUTHORIZATION_NOT_GRANTED), or the window closed (the same outcome).
 * The execution writes every one of these transitions itself: the callback only records the return
 * and wakes it, locally or by notification, and the wait polls in case a wake-up is lost.
 */
export async function waitForUserAuthorization(deps: UserAuthorizationWaitDeps, progress: ExecutionProgress, request: UserAuthorizationRequest, signal: AbortSignal): Promise<UserAuthorizationResult> {
  const { clock } = deps
  const executionId = progress.execution.id
  const db = <T>(query: () => Promise<T>) => untilDatabaseAnswers(query, { windowMs: deps.outageWindowMs })
  // A scheduled sync has nobody to send to the institution: the consent it needed is gone.
  if (!userAuthorizationAllowed(progress.execution.triggeredBy)) throw userAuthorizationRevoked()
  let authorization = progress.resumedFrom !== null ? await db(() => findUserAuthorization(deps.db, executionId)) : undefined
  if (progress.resumedFrom !== null && !authorization && !progress.accepts({ type: 'USER_ACTION_REQUESTED', userAction: { type: 'authorize-access', instructions: '', expiresAt: null } })) {
    throw new CannotResume('the connector asked the user to authorize again, past the step where it had asked')
  }
  // A return the stopped run had taken (its code may be spent) cannot be waited for again.
  if (authorization && !progress.accepts({ type: 'USER_ACTION_EXPIRED' })) {
    throw new CannotResume('the user had come back from the institution before the takeover; the authorization cannot be used twice')
  }
  if (!authorization) {
    const secret: Secret = { codeVerifier: randomBytes(32).toString('base64url'), nonce: randomBytes(16).toString('base64url'), redirectUri: deps.callbackUrl }
    const state = randomBytes(32).toString('base64url')
    const url = request.buildUrl({
      redirectUri: secret.redirectUri,
      state,
      nonce: secret.nonce,
      codeChallenge: createHash('sha256').update(secret.codeVerifier).digest('base64url'),
      codeChallengeMethod: 'S256',
    })
    const at = clock.now()
    const expiresAt = new Date(at.getTime() + deps.timeoutSeconds * 1000)
    const row = { executionId, itemId: progress.item.id, stateHash: stateHash(state), secretEnc: deps.cipher.encrypt(JSON.stringify(secret)), expiresAt, at }
    await db(() => insertUserAuthorization(deps.db, row))
    authorization = { ...row, callbackEnc: null, usedAt: null }
    // Saved before waiting: the callback accepts the return only for a waiting execution.
    const userAction = { type: 'authorize-access', instructions: request.instructions ?? DEFAULT_INSTRUCTIONS, expiresAt: expiresAt.toISOString(), attributes: { url } }
    await progress.advance({ type: 'USER_ACTION_REQUESTED', userAction }, { durable: true })
  }
  const secret = JSON.parse(deps.cipher.decrypt(authorization.secretEnc)) as Secret
  for (;;) {
    if (signal.aborted) throw signal.reason
    const item = await db(() => findItemForEngine(deps.db, progress.item.id))
    if (!item || item.currentExecutionId !== executionId) throw new ExecutionStopped('cancelled')
    const returned = await db(() => takeUserAuthorizationReturn(deps.db, executionId))
    if (returned !== undefined) {
      const params = JSON.parse(deps.cipher.decrypt(returned)) as Record<string, string>
      if (params.error === OAUTH_DENIED) {
        if (await progress.finish({ type: 'USER_ACTION_DENIED' })) throw new UserAuthorizationEnded()
        throw new ExecutionStopped('lost')
      }
      await progress.advance({ type: 'USER_ACTION_COMPLETED' }, { durable: true })
      return { params: Object.freeze(params), ...secret }
    }
    const left = authorization.expiresAt.getTime() - clock.now().getTime()
    if (left <= 0) {
      // The callback refuses a return past the window, so none can arrive after this check.
      if (await progress.finish({ type: 'USER_ACTION_EXPIRED' })) throw new UserAuthorizationEnded()
      throw new ExecutionStopped('lost')
    }
    await deps.wakeups.wait(userActionWakeupKey(executionId), Math.min(left, deps.pollIntervalMs), signal)
  }
}
