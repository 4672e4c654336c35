import type { CollectedOpportunity } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'

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
 * Makes the item's stored offers those just collected, in one statement: offers found again by
 * the institution's id keep their id (and are not touched when unchanged), new ones are inserted,
 * and offers no longer made are deleted — an expired offer is not an offer any more.
 */
export async function replaceOpportunities(
  db: Queryable,
  scope: { itemId: string; clientId: string; at: Date },
  opportunities: readonly CollectedOpportunity[],
): Promise<{ id: string; change: 'created' | 'updated' | 'deleted' }[]> {
  const { rows } = await db.query<{ id: string; change: 'created' | 'updated' | 'deleted' }>(
    `with upserted as (
       insert into opportunities as t (item_id, client_id, provider_id, name, description, type, interest_rate, rate_type,
         total_limit, available_limit, date, created_at, updated_at)
       select $1, $2, o."providerId", o.name, o.description, o.type, o."interestRate", o."rateType", o."totalLimit",
         o."availableLimit", o.date, $3, $3
       from jsonb_to_recordset($4::jsonb) as o("providerId" text, name text, description text, type text,
         "interestRate" numeric, "rateType" text, "totalLimit" numeric, "availableLimit" numeric, date timestamptz)
       on conflict (item_id, provider_id) do update set name = excluded.name, description = excluded.description,
         type = excluded.type, interest_rate = excluded.interest_rate, rate_type = excluded.rate_type,
         total_limit = excluded.total_limit, available_limit = excluded.available_limit, date = excluded.date,
         updated_at = excluded.updated_at
       where (t.name, t.description, t.type, t.interest_rate, t.rate_type, t.total_limit, t.available_limit, t.date)
         is distinct from (excluded.name, excluded.description, excluded.type, excluded.interest_rate, excluded.rate_type,
              excluded.total_limit, excluded.available_limit, excluded.date)
       returning t.id, case when t.xmax = '0' then 'created' else 'updated' end as change
     ), deleted as (
       delete from opportunities o
       where o.item_id = $1
         and o.provider_id not in (select x."providerId" from jsonb_to_recordset($4::jsonb) as x("providerId" text))
       returning o.id, 'deleted' as change
     )
     select id, change from upserted union all select id, change from deleted`,
    [scope.itemId, scope.clientId, scope.at, JSON.stringify(opportunities)],
  )
  return rows
}

/** A page of the offers collected for one of the client's items, newest first, with the total. */
export async function listOpportunities(
  db: Queryable,
  clientId: string,
  filter: { itemId: string; limit: number; offset: number },
): Promise<{ rows: OpportunityRow[]; total: number }> {
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
