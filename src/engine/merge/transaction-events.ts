import { itemEvent } from '../../events/item-events.ts'
import type { Queryable } from '../../store/database.ts'
import type { NewEvent } from '../../store/events.ts'
import { findItemEventContext } from '../../store/item-event-context.ts'
import type { MergeScope } from './merge-types.ts'

/** At most this many ids per `transactions/updated|deleted` event, as the reference sends them (SPEC §7.1). */
export const TRANSACTION_IDS_PER_EVENT = 400

/**
 * One `transactions/created` per account with new rows (a link to read them), and
 * `transactions/updated` / `transactions/deleted` naming the ids, at most
 * {@link TRANSACTION_IDS_PER_EVENT} per event.
 */
export async function transactionEvents(tx: Queryable, scope: MergeScope, changes: ReadonlyMap<string, { created: string[]; updated: string[]; deleted: string[] }>): Promise<NewEvent[]> {
  const accountIds = [...changes.keys()].filter((id) => {
    const c = changes.get(id)!
    return c.created.length + c.updated.length + c.deleted.length > 0
  })
  if (accountIds.length === 0) return []
  let { triggeredBy, clientUserId, webhookUrl } = scope
  if (triggeredBy === undefined || clientUserId === undefined || webhookUrl === undefined) {
    const context = await findItemEventContext(tx, scope.itemId)
    triggeredBy ??= context?.triggeredBy ?? 'SYNC'
    if (clientUserId === undefined) clientUserId = context?.clientUserId ?? null
    if (webhookUrl === undefined) webhookUrl = context?.webhookUrl ?? null
  }
  const item = { id: scope.itemId, clientId: scope.clientId, clientUserId, webhookUrl }
  const createdAtFrom = scope.at.toISOString()
  const events: NewEvent[] = []
  for (const accountId of accountIds.sort()) {
    const { created, updated, deleted } = changes.get(accountId)!
    if (created.length > 0) {
      events.push(
        itemEvent('transactions/created', item, triggeredBy, scope.at, {
          accountId,
          transactionsCreatedAtFrom: createdAtFrom,
          createdTransactionsLink: `/v2/transactions?accountId=${accountId}&createdAtFrom=${createdAtFrom}`,
        }),
      )
    }
    for (const [type, ids] of [
      ['transactions/updated', updated],
      ['transactions/deleted', deleted],
    ] as const) {
      const sorted = [...ids].sort()
      for (let i = 0; i < sorted.length; i += TRANSACTION_IDS_PER_EVENT) {
        events.push(itemEvent(type, item, triggeredBy, scope.at, { accountId, clientId: scope.clientId, transactionIds: sorted.slice(i, i + TRANSACTION_IDS_PER_EVENT) }))
      }
    }
  }
  return events
}
