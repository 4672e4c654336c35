import type { Queryable } from './database.ts'
import { parentLookup, scopedRowsJson, type ItemRows } from './item-scope.ts'

export interface AccountStatementRow {
  id: string
  itemId: string
  accountId: string
  /** The month covered, `YYYY-MM`. */
  month: string
  /** Whether the institution gave the PDF (else it is rendered from the stored transactions). */
  hasInstitutionPdf: boolean
  createdAt: Date
  updatedAt: Date
}

/** A statement ready for the store: its account by providerId, the month, the PDF (base64) and its digest. */
export interface AccountStatementInput {
  accountProviderId: string
  /** `YYYY-MM`. */
  month: string
  pdfBase64: string | null
  pdfSha1: string | null
}

const COLUMNS = `
  s.id, s.item_id as "itemId", s.account_id as "accountId", to_char(s.month, 'YYYY-MM') as month,
  s.pdf_sha1 is not null as "hasInstitutionPdf", s.created_at as "createdAt", s.updated_at as "updatedAt"`

/**
 * Inserts or updates the statements of one or more items in one statement, matched on account and
 * month so that each keeps its id; a statement whose PDF did not change is not touched (compared
 * by digest, never by content). Statements are never deleted by a merge.
 */
export async function upsertAccountStatements(db: Queryable, items: readonly ItemRows<AccountStatementInput>[]): Promise<{ id: string; itemId: string; created: boolean }[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<{ id: string; itemId: string; created: boolean }>(
    `insert into account_statements as t (client_id, item_id, account_id, month, pdf, pdf_sha1, created_at, updated_at)
     select s.client_id, s.item_id, acc.id, (s.month || '-01')::date, decode(s."pdfBase64", 'base64'), s."pdfSha1", s.at, s.at
     from jsonb_to_recordset($1::jsonb) as s(item_id uuid, client_id text, at timestamptz, "accountProviderId" text, month text,
       "pdfBase64" text, "pdfSha1" text)
     ${parentLookup('accounts', 'acc', 's', '"accountProviderId"')}
     on conflict (account_id, month) do update set pdf = excluded.pdf, pdf_sha1 = excluded.pdf_sha1, updated_at = excluded.updated_at
     where t.pdf_sha1 is distinct from excluded.pdf_sha1
     returning t.id, t.item_id as "itemId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/** A client's statement (without its PDF); another client's is indistinguishable from a missing one. */
export async function findAccountStatement(db: Queryable, clientId: string, id: string): Promise<AccountStatementRow | undefined> {
  const { rows } = await db.query<AccountStatementRow>(`select ${COLUMNS} from account_statements s where s.id = $1 and s.client_id = $2`, [id, clientId])
  return rows[0]
}

/** The institution's PDF of a client's statement, or null when it gave none (render it instead). */
export async function findAccountStatementPdf(db: Queryable, clientId: string, id: string): Promise<Uint8Array | null | undefined> {
  const { rows } = await db.query<{ pdf: Uint8Array | null }>(`select s.pdf from account_statements s where s.id = $1 and s.client_id = $2`, [id, clientId])
  return rows[0]?.pdf
}

/** A page of an account's statements, newest month first, with the total. */
export async function listAccountStatements(db: Queryable, clientId: string, filter: { accountId: string; limit: number; offset: number }): Promise<{ rows: AccountStatementRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<AccountStatementRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from account_statements s where s.account_id = $2 and s.client_id = $1) c
     left join lateral (
       select ${COLUMNS} from account_statements s
       where s.account_id = $2 and s.client_id = $1
       order by s.month desc
       limit $3 offset $4
     ) p on true`,
    [clientId, filter.accountId, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}
