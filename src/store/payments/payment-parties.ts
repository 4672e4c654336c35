import type { Queryable } from '../database.ts'

/** Payment institutions (shared reference data) and the client's payment customers. */

export interface PaymentInstitutionRow {
  id: string
  name: string
  tradeName: string
  ispb: string
  compe: string | null
  createdAt: Date
  updatedAt: Date
}

const INSTITUTION = `id, name, trade_name as "tradeName", ispb, compe, created_at as "createdAt", updated_at as "updatedAt"`

export async function findPaymentInstitution(db: Queryable, id: string): Promise<PaymentInstitutionRow | undefined> {
  const { rows } = await db.query<PaymentInstitutionRow>(`select ${INSTITUTION} from payment_institutions where id = $1`, [id])
  return rows[0]
}

/** Institutions whose name or trade name contains `name` (any case), by name. */
export async function listPaymentInstitutions(db: Queryable, filter: { name?: string; limit: number; offset: number }): Promise<{ rows: PaymentInstitutionRow[]; total: number }> {
  const { rows } = await db.query<PaymentInstitutionRow & { total: number }>(
    `select ${INSTITUTION}, count(*) over () as total from payment_institutions
     where $1::text is null or strpos(lower(name), lower($1)) > 0 or strpos(lower(trade_name), lower($1)) > 0
     order by name, id limit $2 offset $3`,
    [filter.name ?? null, filter.limit, filter.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

export interface PaymentCustomerRow {
  id: string
  clientId: string
  name: string
  email: string | null
  cpf: string | null
  cnpj: string | null
  type: string
  connectorId: number | null
  createdAt: Date
  updatedAt: Date
}

const CUSTOMER = `id, client_id as "clientId", name, email, cpf, cnpj, type, connector_id as "connectorId", created_at as "createdAt", updated_at as "updatedAt"`

export type CustomerFields = Pick<PaymentCustomerRow, 'name' | 'email' | 'cpf' | 'cnpj' | 'type'>

export async function insertPaymentCustomer(db: Queryable, customer: CustomerFields & { id: string; clientId: string; at: Date }): Promise<PaymentCustomerRow> {
  const { rows } = await db.query<PaymentCustomerRow>(
    `insert into payment_customers (id, client_id, name, email, cpf, cnpj, type, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning ${CUSTOMER}`,
    [customer.id, customer.clientId, customer.name, customer.email, customer.cpf, customer.cnpj, customer.type, customer.at],
  )
  return rows[0]
}

/** A client's customer; another client's is indistinguishable from a missing one. */
export async function findPaymentCustomer(db: Queryable, clientId: string, id: string): Promise<PaymentCustomerRow | undefined> {
  const { rows } = await db.query<PaymentCustomerRow>(`select ${CUSTOMER} from payment_customers where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

export async function listPaymentCustomers(db: Queryable, clientId: string, page: { limit: number; offset: number }): Promise<{ rows: PaymentCustomerRow[]; total: number }> {
  const { rows } = await db.query<PaymentCustomerRow & { total: number }>(
    `select ${CUSTOMER}, count(*) over () as total from payment_customers where client_id = $1 order by created_at desc, id limit $2 offset $3`,
    [clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/** Changes the fields given (a field left undefined keeps its value; null clears it). */
export async function updatePaymentCustomer(db: Queryable, clientId: string, id: string, patch: Partial<CustomerFields>, at: Date): Promise<PaymentCustomerRow | undefined> {
  const given = (key: keyof CustomerFields) => patch[key] !== undefined
  const { rows } = await db.query<PaymentCustomerRow>(
    `update payment_customers set
       name = case when $3 then $4 else name end, email = case when $5 then $6 else email end,
       cpf = case when $7 then $8 else cpf end, cnpj = case when $9 then $10 else cnpj end,
       type = case when $11 then $12 else type end, updated_at = $13
     where id = $1 and client_id = $2 returning ${CUSTOMER}`,
    [id, clientId, given('name'), patch.name ?? null, given('email'), patch.email ?? null, given('cpf'), patch.cpf ?? null, given('cnpj'), patch.cnpj ?? null, given('type'), patch.type ?? null, at],
  )
  return rows[0]
}

export async function deletePaymentCustomer(db: Queryable, clientId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`delete from payment_customers where id = $1 and client_id = $2`, [id, clientId])
  return (rowCount ?? 0) > 0
}
