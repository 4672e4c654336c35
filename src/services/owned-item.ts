import { Refusal } from '../engine/refusal.ts'
import type { Queryable } from '../store/database.ts'
import { findItem, type ItemRow } from '../store/items.ts'
import { resourceId } from './resource-id.ts'

/**
 * The caller's item named by a path or a filter (`?itemId=`); another client's is unknown, as a
 * direct read would say (SPEC §4a.6).
 */
export async function ownedItem(db: Queryable, clientId: string, rawId: string): Promise<ItemRow> {
  const item = await findItem(db, clientId, resourceId(rawId, 'ITEM_NOT_FOUND', 'Item'))
  if (!item) throw new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${rawId} was not found.`)
  return item
}
