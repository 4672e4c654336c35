import type { Queryable } from '../database.ts'

export interface SmartAccountRow {
  id: string
  clientId: string
  name: string
  taxNumber: string
  email: string
  phoneNumber: string
  agency: string
  number: string
  verifyingDigit: string
  isSandbox: boolean
  balanceCents: number
  blockedCents: number
  scheduledCents: number
  balanceUpdatedAt: Date
  createdAt: Date
}

const COLUMNS = `id, client_id as "clientId", name, tax_number as "taxNumber", email, phone_number as "phoneNumber", agency, number,
  verifying_digit as "verifyingDigit", is_sandbox as "isSandbox", balance_cents as "balanceCents", blocked_cents as "blockedCents",
  scheduled_cents as "scheduledCents", balance_updated_at as "balanceUpdatedAt", created_at as "createdAt"`

export type NewSmartAccount = Pick<SmartAccountRow, 'id' | 'clientId' | 'name' | 'taxNumber' | 'email' | 'phoneNumber' | 'agency' | 'number' | 'verifyingDigit' | 'isSandbox'> & { at: Date }

export async function insertSmartAccount(db: Queryable, account: NewSmartAccount): Promise<SmartAccountRow> {
  const { rows } = await db.query<SmartAccountRow>(
    `insert into smart_accounts (id, client_id, name, tax_number, email, phone_number, agency, number, verifying_digit, is_sandbox,
       balance_updated_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11) returning ${COLUMNS}`,
    [account.id, account.clientId, account.name, account.taxNumber, account.email, account.phoneNumber, account.agency, account.number, account.verifyingDigit, account.isSandbox, account.at],
  )
  return rows[0]
}

/** A client's smart account; another client's is indistinguishable from a missing one. */
export async function findSmartAccount(db: Queryable, clientId: string, id: string): Promise<SmartAccountRow | undefined> {
  const { rows } = await db.query<SmartAccountRow>(`select ${COLUMNS} from smart_accounts where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

export async function listSmartAccounts(db: Queryable, clientId: string, page: { limit: number; offset: number }): Promise<{ rows: SmartAccountRow[]; total: number }> {
  const { rows } = await db.query<SmartAccountRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from smart_accounts where client_id = $1 order by created_at desc, id limit $2 offset $3`,
    [clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/**
 * Adds `deltaCents` (negative to debit) to a smart account's balance, guarded on the balance staying
 * at or above zero: a debit the balance cannot cover changes nothing and answers undefined. Call it
 * in the transaction that saves the transition whose MOVE_FUNDS effect it performs.
 */
export async function moveSmartAccountFunds(db: Queryable, clientId: string, id: string, deltaCents: number, at: Date): Promise<number | undefined> {
  const { rows } = await db.query<{ balanceCents: number }>(
    `update smart_accounts set balance_cents = balance_cents + $3, balance_updated_at = $4, updated_at = $4
     where id = $1 and client_id = $2 and balance_cents + $3 >= 0 returning balance_cents as "balanceCents"`,
    [id, clientId, deltaCents, at],
  )
  return rows[0]?.balanceCents
}
