import type { Queryable } from './database.ts'

export interface ItemDataCounts {
  itemId: string
  accounts: number
  transactions: number
  investments: number
  opportunities: number
}

/** How much data each of the client's items among `itemIds` holds (the dashboard's item list and page). */
export async function countItemData(db: Queryable, clientId: string, itemIds: string[]): Promise<ItemDataCounts[]> {
  const { rows } = await db.query<ItemDataCounts>(
    `select i.id as "itemId",
       (select count(*) from accounts a where a.item_id = i.id)::int as accounts,
       (select count(*) from transactions t join accounts a on a.id = t.account_id where a.item_id = i.id)::int as transactions,
       (select count(*) from investments v where v.item_id = i.id)::int as investments,
       (select count(*) from opportunities o where o.item_id = i.id)::int as opportunities
     from items i where i.client_id = $1 and i.id = any($2::uuid[])`,
    [clientId, itemIds],
  )
  return rows
}
