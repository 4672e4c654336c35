import type { Queryable } from './database.ts'

export interface ClientRow {
  id: string
  secretEnc: string
  createdAt: Date
  revokedAt: Date | null
}

/** Creates a client, or takes the configured secret for an existing one (configuration wins). */
export async function upsertClient(db: Queryable, client: { id: string; secretEnc: string }): Promise<void> {
  await db.query(
    `insert into clients (id, secret_enc) values ($1, $2)
     on conflict (id) do update set secret_enc = excluded.secret_enc, revoked_at = null`,
    [client.id, client.secretEnc],
  )
}

export async function findActiveClient(db: Queryable, id: string): Promise<ClientRow | undefined> {
  const { rows } = await db.query<ClientRow>(
    `select id, secret_enc as "secretEnc", created_at as "createdAt", revoked_at as "revokedAt"
     from clients where id = $1 and revoked_at is null`,
    [id],
  )
  return rows[0]
}

export async function listClients(db: Queryable): Promise<ClientRow[]> {
  const { rows } = await db.query<ClientRow>(`select id, secret_enc as "secretEnc", created_at as "createdAt", revoked_at as "revokedAt" from clients order by created_at, id`)
  return rows
}

export async function saveClientSecret(db: Queryable, id: string, secretEnc: string): Promise<void> {
  await db.query(`update clients set secret_enc = $2 where id = $1`, [id, secretEnc])
}

export async function insertClient(db: Queryable, client: { id: string; secretEnc: string }): Promise<boolean> {
  const { rowCount } = await db.query(`insert into clients (id, secret_enc) values ($1, $2) on conflict (id) do nothing`, [client.id, client.secretEnc])
  return rowCount === 1
}

export async function revokeClient(db: Queryable, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(`update clients set revoked_at = $2 where id = $1 and revoked_at is null`, [id, at])
  return rowCount === 1
}
