import type { Product } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'

/** A consent an institution granted for an item (the reference's `Consent`). */
export interface ConsentRow {
  id: string
  itemId: string
  clientId: string
  externalId: string
  products: Product[]
  permissions: string[]
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
}

const COLUMNS = `id, item_id as "itemId", client_id as "clientId", external_id as "externalId", products, permissions,
  created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt"`

/**
 * Saves the consent a connector reported (same institution id → the same consent, updated) and
 * sets the item's `consentExpiresAt` from it: the expiry while it holds, null once revoked.
 */
export async function saveConsent(
  db: Queryable,
  consent: { id: string; itemId: string; externalId: string; products: Product[]; permissions: string[]; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null },
): Promise<void> {
  await db.query(
    `with saved as (
       insert into consents (id, item_id, client_id, external_id, products, permissions, created_at, expires_at, revoked_at)
       select $1, i.id, i.client_id, $3, $4, $5, $6, $7, $8 from items i where i.id = $2
       on conflict (item_id, external_id) do update set products = excluded.products, permissions = excluded.permissions,
         expires_at = excluded.expires_at, revoked_at = excluded.revoked_at,
         expiry_warned_at = case when consents.expires_at is distinct from excluded.expires_at then null else consents.expiry_warned_at end
       returning item_id, expires_at, revoked_at)
     update items set consent_expires_at = case when saved.revoked_at is null then saved.expires_at end from saved where items.id = saved.item_id`,
    [consent.id, consent.itemId, consent.externalId, consent.products, consent.permissions, consent.createdAt, consent.expiresAt, consent.revokedAt],
  )
}

/** A client's consents of one item, newest first, one page. */
export async function listConsents(db: Queryable, clientId: string, itemId: string, page: { limit: number; offset: number }): Promise<{ rows: ConsentRow[]; total: number }> {
  const { rows } = await db.query<ConsentRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from consents where client_id = $1 and item_id = $2
     order by created_at desc, id limit $3 offset $4`,
    [clientId, itemId, page.limit, page.offset],
  )
  return { rows, total: rows[0] ? Number(rows[0].total) : 0 }
}

/** A client's consent; another client's is indistinguishable from a missing one. */
export async function findConsent(db: Queryable, clientId: string, id: string): Promise<ConsentRow | undefined> {
  const { rows } = await db.query<ConsentRow>(`select ${COLUMNS} from consents where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

/**
 * Marks the consents that expire before `until` (still held, not warned yet) as warned, and answers
 * them with their item's fields the event needs. Call it in the transaction that writes the events.
 */
export async function markExpiringConsents(db: Queryable, until: Date, at: Date, limit: number): Promise<(ConsentRow & { clientUserId: string | null; webhookUrl: string | null })[]> {
  const { rows } = await db.query<ConsentRow & { clientUserId: string | null; webhookUrl: string | null }>(
    `with due as (
       select c.id from consents c
       where c.revoked_at is null and c.expiry_warned_at is null and c.expires_at is not null and c.expires_at <= $1 and c.expires_at > $2
       order by c.expires_at limit $3 for update skip locked),
     warned as (update consents c set expiry_warned_at = $2 from due where c.id = due.id returning c.*)
     select w.id, w.item_id as "itemId", w.client_id as "clientId", w.external_id as "externalId", w.products, w.permissions,
       w.created_at as "createdAt", w.expires_at as "expiresAt", w.revoked_at as "revokedAt",
       i.client_user_id as "clientUserId", i.webhook_url as "webhookUrl"
     from warned w join items i on i.id = w.item_id`,
    [until, at, limit],
  )
  return rows
}
