import type { Trigger } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'

/** What an item's events carry besides the change itself (SPEC §3.5). */
export interface ItemEventContext {
  clientUserId: string | null
  webhookUrl: string | null
  /** Who started the item's current (or last) execution. */
  triggeredBy: Trigger | null
}

/** The item's clientUserId, webhookUrl and the trigger of its current execution. */
export async function findItemEventContext(db: Queryable, itemId: string): Promise<ItemEventContext | undefined> {
  const { rows } = await db.query<ItemEventContext>(
    `select i.client_user_id as "clientUserId", i.webhook_url as "webhookUrl", e.triggered_by as "triggeredBy"
     from items i left join executions e on e.id = i.current_execution_id
     where i.id = $1`,
    [itemId],
  )
  return rows[0]
}
