import type { IdempotentOperation } from '../../domain/payments/idempotency.ts'
import type { Queryable } from '../database.ts'

export interface IdempotencyRecord {
  requestHash: string
  resourceId: string
}

export interface IdempotencyClaim {
  clientId: string
  operation: IdempotentOperation
  key: string
  requestHash: string
  /** The id the resource will have if this call creates it. */
  resourceId: string
  at: Date
}

/**
 * Claims a key for a creating call, in the transaction that creates the resource: `claimed` when
 * this call is the first with the key. Otherwise the record already there — or, when another
 * transaction committed it while this statement waited, nothing: read it with findIdempotencyKey.
 */
export async function claimIdempotencyKey(db: Queryable, claim: IdempotencyClaim): Promise<{ claimed: true } | { claimed: false; record?: IdempotencyRecord }> {
  const { rows } = await db.query<IdempotencyRecord & { claimed: boolean }>(
    `with claimed as (
       insert into payment_idempotency_keys (client_id, operation, key, request_hash, resource_id, created_at)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing
       returning request_hash, resource_id
     )
     select request_hash as "requestHash", resource_id as "resourceId", true as claimed from claimed
     union all
     select request_hash, resource_id, false from payment_idempotency_keys
     where client_id = $1 and operation = $2 and key = $3 and not exists (select 1 from claimed)`,
    [claim.clientId, claim.operation, claim.key, claim.requestHash, claim.resourceId, claim.at],
  )
  const row = rows[0]
  if (row?.claimed) return { claimed: true }
  return row ? { claimed: false, record: { requestHash: row.requestHash, resourceId: row.resourceId } } : { claimed: false }
}

export async function findIdempotencyKey(db: Queryable, clientId: string, operation: IdempotentOperation, key: string): Promise<IdempotencyRecord | undefined> {
  const { rows } = await db.query<IdempotencyRecord>(
    `select request_hash as "requestHash", resource_id as "resourceId" from payment_idempotency_keys where client_id = $1 and operation = $2 and key = $3`,
    [clientId, operation, key],
  )
  return rows[0]
}
