import type { PaymentData } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'

/**
 * Puts payment data on the item's stored transactions, found by their providerId, in one
 * statement — for an execution that collected PAYMENT_DATA but not TRANSACTIONS (when both are
 * collected, the transaction merge carries it). Rows whose payment data did not change are not
 * touched. Returns the rows changed.
 */
export async function applyPaymentData(
  db: Queryable,
  scope: { itemId: string; at: Date },
  entries: readonly { providerId: string; paymentData: PaymentData; paymentHash: string }[],
): Promise<{ id: string; accountId: string }[]> {
  if (entries.length === 0) return []
  const { rows } = await db.query<{ id: string; accountId: string }>(
    `update transactions t set payment_data = p."paymentData", payment_hash = p."paymentHash", updated_at = $3
     from jsonb_to_recordset($2::jsonb) as p("providerId" text, "paymentData" jsonb, "paymentHash" text)
     where t.account_id in (select a.id from accounts a where a.item_id = $1)
       and t.provider_id = p."providerId" and t.payment_hash is distinct from p."paymentHash"
     returning t.id, t.account_id as "accountId"`,
    [scope.itemId, JSON.stringify(entries), scope.at],
  )
  return rows
}
