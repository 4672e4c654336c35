import type { CollectedOpportunity } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemRows } from './item-scope.ts'

export interface OpportunityRow {
  id: string
  itemId: string
  name: string
  description: string | null
  type: string
  interestRate: number | null
  rateType: string | null
  totalLimit: number | null
  availableLimit: number | null
  date: Date
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `
  o.id, o.item_id as "itemId", o.name, o.description, o.type, o.interest_rate::float8 as "interestRate",
  o.rate_type as "rateType", o.total_limit::float8 as "totalLimit", o.available_limit::float8 as "availableLimit",
  o.date, o.created_at as "createdAt", o.updated_at as "updatedAt"`

/**
 * Makes the stored offers of one or more items those just collected (an empty list: none), in
 * one statement: offers found again by the institution's id keep their id (and are not touched
 * when unchanged), new ones are inserted, and offers no longer made are deleted — an expired
 * offer is not an offer any more.
 */
export async function replaceOpportunities(db: Queryable, items: readonly ItemRows<CollectedOpportunity>[]): Promise<{ id: string; itemId: string; change: 'created' | 'updated' | 'deleted' }[]> {
  if (items.length === 0) return []
  const { rows } = await db.query<{ id: string; itemId: string; change: 'created' | 'updated' | 'deleted' }>(
    `with collected as (
       select * from jsonb_to_recordset($1::jsonb) as o(item_id uuid, client_id text, at timestamptz, "providerId" text,
         name text, description text, type text, "interestRate" numeric, "rateType" text, "totalLimit" numeric,
         "availableLimit" numeric, date timestamptz)
     ), upserted as (
       insert into opportunities as t (item_id, client_id, provider_id, name, description, type, interest_rate, rate_type,
         total_limit, available_limit, date, created_at, updated_at)
       select o.item_id, o.client_id, o."providerId", o.name, o.description, o.type, o."interestRate", o."rateType", o."totalLimit",
         o."availableLimit", o.date, o.at, o.at
       from collected o
       on conflict (item_id, provider_id) do update set name = excluded.name, description = excluded.description,
         type = excluded.type, interest_rate = excluded.interest_rate, rate_type = excluded.rate_type,
         total_limit = excluded.total_limit, available_limit = excluded.available_limit, date = excluded.date,
         updated_at = excluded.updated_at
       where (t.name, t.description, t.type, t.interest_rate, t.rate_type, t.total_limit, t.available_limit, t.date)
         is distinct from (excluded.name, excluded.description, excluded.type, excluded.interest_rate, excluded.rate_type,
              excluded.total_limit, excluded.available_limit, excluded.date)
       returning t.id, t.item_id, case when t.xmax = '0' then 'created' else 'updated' end as change
     ), deleted as (
       -- The items' offers looked up item by item (offset 0 keeps it a lookup): as item_id = any(…),
       -- the planner read every item's offers for a merge of a few dozen items.
       delete from opportunities o
       using unnest($2::uuid[]) as i(id) cross join lateral (select x.id from opportunities x where x.item_id = i.id offset 0) own
       where o.id = own.id
         and not exists (select 1 from collected c where c.item_id = o.item_id and c."providerId" = o.provider_id)
       returning o.id, o.item_id, 'deleted' as change
     )
     select id, item_id as "itemId", change from upserted union all select id, item_id, change from deleted`,
    [scopedRowsJson(items), items.map((i) => i.scope.itemId)],
  )
  return rows
}

/** A page of the offers collected for one of the client's items, newest first, with the total. */
export async function listOpportunities(db: Queryable, clientId: string, filter: { itemId: string; limit: number; offset: number }): Promise<{ rows: OpportunityRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<OpportunityRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from opportunities o where o.item_id = $2 and o.client_id = $1) c
     left join lateral (
       select ${COLUMNS} from opportunities o
       where o.item_id = $2 and o.client_id = $1
       order by o.date desc, o.provider_id
       limit $3 offset $4
     ) p on true`,
    [clientId, filter.itemId, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}
