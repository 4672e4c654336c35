import type { PaymentData } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemRows } from './item-scope.ts'

/**
 * Puts payment data on the stored transactions of one or more items, found by their providerId,
 * in one statement — for an execution that collected PAYMENT_DATA but not TRANSACTIONS (when both
 * are collected, the transaction merge carries it). Rows whose payment data did not change are
 * not touched. Returns the rows changed.
 */
export async function applyPaymentData(
  db: Queryable,
  items: readonly ItemRows<{ providerId: string; paymentData: PaymentData; paymentHash: string }>[],
): Promise<{ id: string; itemId: string; accountId: string }[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<{ id: string; itemId: string; accountId: string }>(
    `update transactions t set payment_data = p."paymentData", payment_hash = p."paymentHash", updated_at = p.at
     from jsonb_to_recordset($1::jsonb) as p(item_id uuid, at timestamptz, "providerId" text, "paymentData" jsonb, "paymentHash" text)
     join accounts a on a.item_id = p.item_id
     where t.account_id = a.id and t.provider_id = p."providerId" and t.payment_hash is distinct from p."paymentHash"
     returning t.id, t.item_id as "itemId", t.account_id as "accountId"`,
    [scopedRowsJson(items)],
  )
  return rows
}
