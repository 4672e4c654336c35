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
