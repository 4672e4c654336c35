import type { CollectedIdentity } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemScope } from './item-scope.ts'

export interface IdentityRow {
  id: string
  itemId: string
  fullName: string
  document: string | null
  documentType: string | null
  taxNumber: string | null
  birthDate: Date | null
  jobTitle: string | null
  companyName: string | null
  emails: NonNullable<CollectedIdentity['emails']>
  phoneNumbers: NonNullable<CollectedIdentity['phoneNumbers']>
  addresses: NonNullable<CollectedIdentity['addresses']>
  relations: NonNullable<CollectedIdentity['relations']>
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `
  d.id, d.item_id as "itemId", d.full_name as "fullName", d.document, d.document_type as "documentType",
  d.tax_number as "taxNumber", d.birth_date as "birthDate", d.job_title as "jobTitle", d.company_name as "companyName",
  d.emails, d.phone_numbers as "phoneNumbers", d.addresses, d.relations, d.created_at as "createdAt", d.updated_at as "updatedAt"`

/**
 * Inserts or updates the identities of one or more items (one per item, so it keeps its id); an
 * unchanged one is not touched. Returns, for each identity created or changed, its id, its item
 * and whether it was created.
 */
export async function upsertIdentities(
  db: Queryable,
  identities: readonly { scope: ItemScope; identity: CollectedIdentity }[],
): Promise<{ id: string; itemId: string; created: boolean }[]> {
  if (identities.length === 0) return []
  const { rows } = await db.query<{ id: string; itemId: string; created: boolean }>(
    `insert into identities as t (item_id, client_id, full_name, document, document_type, tax_number, birth_date, job_title,
       company_name, emails, phone_numbers, addresses, relations, created_at, updated_at)
     select d.item_id, d.client_id, d."fullName", d.document, d."documentType", d."taxNumber", d."birthDate", d."jobTitle", d."companyName",
       coalesce(d.emails, '[]'), coalesce(d."phoneNumbers", '[]'), coalesce(d.addresses, '[]'), coalesce(d.relations, '[]'), d.at, d.at
     from jsonb_to_recordset($1::jsonb) as d(item_id uuid, client_id text, at timestamptz, "fullName" text, document text, "documentType" text, "taxNumber" text,
       "birthDate" timestamptz, "jobTitle" text, "companyName" text, emails jsonb, "phoneNumbers" jsonb, addresses jsonb, relations jsonb)
     on conflict (item_id) do update set full_name = excluded.full_name, document = excluded.document,
       document_type = excluded.document_type, tax_number = excluded.tax_number, birth_date = excluded.birth_date,
       job_title = excluded.job_title, company_name = excluded.company_name, emails = excluded.emails,
       phone_numbers = excluded.phone_numbers, addresses = excluded.addresses, relations = excluded.relations,
       updated_at = excluded.updated_at
     where (t.full_name, t.document, t.document_type, t.tax_number, t.birth_date, t.job_title, t.company_name, t.emails,
            t.phone_numbers, t.addresses, t.relations)
       is distinct from (excluded.full_name, excluded.document, excluded.document_type, excluded.tax_number,
            excluded.birth_date, excluded.job_title, excluded.company_name, excluded.emails, excluded.phone_numbers,
            excluded.addresses, excluded.relations)
     returning t.id, t.item_id as "itemId", (t.xmax = '0') as created`,
    [scopedRowsJson(identities.map(({ scope, identity }) => ({ scope, rows: [identity] })))],
  )
  return rows
}

/** A client's identity by its id; another client's is indistinguishable from a missing one. */
export async function findIdentity(db: Queryable, clientId: string, id: string): Promise<IdentityRow | undefined> {
  const { rows } = await db.query<IdentityRow>(`select ${COLUMNS} from identities d where d.id = $1 and d.client_id = $2`, [id, clientId])
  return rows[0]
}

/** The identity collected for one of the client's items, if any. */
export async function findIdentityOfItem(db: Queryable, clientId: string, itemId: string): Promise<IdentityRow | undefined> {
  const { rows } = await db.query<IdentityRow>(`select ${COLUMNS} from identities d where d.item_id = $1 and d.client_id = $2`, [itemId, clientId])
  return rows[0]
}
