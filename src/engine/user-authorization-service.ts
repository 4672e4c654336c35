import { timingSafeEqual } from 'node:crypto'
import type { Cipher } from '../store/cipher.ts'
import { withTransaction, type Database } from '../store/database.ts'
import { notifyProcesses } from '../store/notifications.ts'
import { recordUserAuthorizationReturn } from '../store/user-authorizations.ts'
import type { Clock } from '../time/clock.ts'
import { Refusal } from './refusal.ts'
import { stateHash } from './user-authorization-wait.ts'
import { userActionWakeupKey, type Wakeups } from './wakeups.ts'

/** Query parameters of a return an institution may send (RFC 6749 §4.1.2), and nothing else is kept. */
const RETURN_PARAMETERS = ['code', 'error', 'error_description', 'error_uri', 'iss', 'id_token'] as const

export interface UserAuthorizationReturn {
  itemId: string
  /** Where the user goes next: the item's oauthRedirectUri (validated when it was set), or null. */
  redirectUri: string | null
  granted: boolean
}

/**
 * The return from an institution's authorization page (`GET /oauth/callback`). The `state` names
 * the waiting execution — it is looked up by its hash, used once, and refused past its window — and
 * the return's parameters are kept, encrypted, for that execution, which is woken (here and in
 * other processes) and writes its own next status: the callback never changes an item's status.
 */
export class UserAuthorizationService {
  constructor(private readonly deps: { db: Database; cipher: Cipher; clock: Clock; wakeups: Wakeups }) {}

  async recordReturn(query: Record<string, string | undefined>): Promise<UserAuthorizationReturn> {
    const state = query.state
    const refused = () => new Refusal('bad_request', 'OAUTH_STATE_INVALID', 'This authorization link is unknown, was already used, or expired. Start the connection again from the application.')
    if (!state || state.length > 512) throw refused()
    const params = Object.fromEntries(RETURN_PARAMETERS.filter((name) => typeof query[name] === 'string').map((name) => [name, String(query[name]).slice(0, 4096)]))
    if (!params.code && !params.error) throw new Refusal('bad_request', 'VALIDATION_ERROR', 'The institution sent the user back with neither `code` nor `error`.')
    const hash = stateHash(state)
    const at = this.deps.clock.now()
    const recorded = await withTransaction(this.deps.db.pool, async (tx) => {
      const row = await recordUserAuthorizationReturn(tx, { stateHash: hash, callbackEnc: this.deps.cipher.encrypt(JSON.stringify(params)), at })
      if (row) await notifyProcesses(tx, userActionWakeupKey(row.executionId))
      return row
    })
    // The lookup was by hash; the comparison that decides is constant-time too.
    if (!recorded || !timingSafeEqual(Buffer.from(recorded.stateHash), Buffer.from(hash))) throw refused()
    this.deps.wakeups.notify(userActionWakeupKey(recorded.executionId))
    return { itemId: recorded.itemId, redirectUri: recorded.oauthRedirectUri, granted: !params.error }
  }
}
