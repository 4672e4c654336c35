/** Whose rows a merge writes, and when: an item, its client, and the time of the merge. */
export interface ItemScope {
  itemId: string
  clientId: string
  at: Date
}

/** Rows to write for one item. */
export interface ItemRows<T> {
  scope: ItemScope
  rows: readonly T[]
}

/**
 * The rows of many items as one JSON array (the parameter of a `jsonb_to_recordset`), each row
 * carrying its item's `item_id`, `client_id` and `at`: one statement writes for many items.
 */
export function scopedRowsJson<T extends object>(groups: readonly ItemRows<T>[]): string {
  const parts: string[] = []
  for (const { scope, rows } of groups) {
    const prefix = `{"item_id":"${scope.itemId}","client_id":${JSON.stringify(scope.clientId)},"at":"${scope.at.toISOString()}"`
    for (const row of rows) {
      const body = JSON.stringify(row)
      parts.push(body === '{}' ? `${prefix}}` : `${prefix},${body.slice(1)}`)
    }
  }
  return `[${parts.join(',')}]`
}

/**
 * Joins each collected row (`row`, carrying `item_id` and the parent's institution id in
 * `providerIdColumn`) to its item's parent in `table` (accounts, investments), as `alias`, one
 * index lookup per row. A plain join lets the planner read the whole parent table instead: it
 * counts 100 rows for any recordset, and against that a table of thousands of rows reads cheaper
 * whole — and a prepared statement keeps that plan as the table grows. The `limit` keeps the
 * lookup a lookup; (item_id, provider_id) is unique, so it changes nothing else.
 */
export function parentLookup(table: 'accounts' | 'investments', alias: string, row: string, providerIdColumn: string): string {
  return `cross join lateral (select p.id from ${table} p where p.item_id = ${row}.item_id and p.provider_id = ${row}.${providerIdColumn} limit 1) ${alias}`
}
