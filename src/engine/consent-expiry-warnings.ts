import { itemEvent } from '../events/item-events.ts'
import { markExpiringConsents } from '../store/consents.ts'
import { withTransaction, type Database } from '../store/database.ts'
import { insertEvents } from '../store/events.ts'
import type { Clock } from '../time/clock.ts'

const DAY_MS = 86_400_000

/**
 * Writes `item/consent_expiring` (ours: the reference has no such event) once per consent that
 * expires within `warningDays` (TRIBUTARY_CONSENT_EXPIRY_WARNING_DAYS), so the application can ask
 * the user to renew it (an update sends the user through the institution again). The mark and the
 * events commit together. Returns how many were written; a backlog is drained `limit` at a time.
 */
export async function warnExpiringConsents(deps: { db: Database; clock: Clock; warningDays: number }, limit: number): Promise<number> {
  const at = deps.clock.now()
  return withTransaction(deps.db.pool, async (tx) => {
    const expiring = await markExpiringConsents(tx, new Date(at.getTime() + deps.warningDays * DAY_MS), at, limit)
    await insertEvents(
      tx,
      expiring.map((consent) =>
        itemEvent('item/consent_expiring', { id: consent.itemId, clientId: consent.clientId, clientUserId: consent.clientUserId, webhookUrl: consent.webhookUrl }, 'INTERNAL', at, {
          consentId: consent.id,
          consentExpiresAt: consent.expiresAt!.toISOString(),
        }),
      ),
    )
    return expiring.length
  })
}
