import type { ConnectorHealthStatus } from '../domain/connector-health.ts'
import { UNHEALTHY_OUTCOMES } from '../domain/connector-health.ts'
import type { Queryable } from './database.ts'

export interface ConnectorConnections {
  connectorId: number
  /** Executions that finished in the window (for the sweep, at most the latest `perConnector`). */
  connections: number
  /** Of those, the ones that did not end in an unhealthy outcome. */
  healthy: number
}

/** For each of the connectors: its latest executions finished since `since` (at most `perConnector`), and how many reached the institution. */
export async function latestConnections(db: Queryable, connectorIds: readonly number[], since: Date, perConnector: number): Promise<ConnectorConnections[]> {
  const { rows } = await db.query<ConnectorConnections>(
    `select c.id as "connectorId", count(*)::int as connections, (count(*) filter (where not (latest.status = any($4::text[]))))::int as healthy
     from unnest($1::int[]) as c(id)
     cross join lateral (
       select e.status from executions e
       where e.connector_id = c.id and e.finished_at >= $2
       order by e.finished_at desc limit $3
     ) latest
     group by c.id`,
    [connectorIds, since, perConnector, UNHEALTHY_OUTCOMES],
  )
  return rows
}

/** For every connector with executions of the client finished since `since`: how many, and how many reached the institution. */
export async function clientConnections(db: Queryable, clientId: string, since: Date): Promise<ConnectorConnections[]> {
  const { rows } = await db.query<ConnectorConnections>(
    `select connector_id as "connectorId", count(*)::int as connections, (count(*) filter (where not (status = any($3::text[]))))::int as healthy
     from executions where client_id = $1 and finished_at >= $2
     group by connector_id`,
    [clientId, since, UNHEALTHY_OUTCOMES],
  )
  return rows
}

/** A connector's health row, ONLINE until measured otherwise; call before saveConnectorHealth. */
export async function ensureConnectorHealth(db: Queryable, connectorId: number, at: Date): Promise<void> {
  await db.query(
    `insert into connector_health (connector_id, status, changed_at) values ($1, 'ONLINE', $2)
     on conflict (connector_id) do nothing`,
    [connectorId, at],
  )
}

/**
 * Saves a connector's measured health; true when its status changed. The row is read under its
 * lock: of two processes saving the same change at once, only the first sees it changed.
 */
export async function saveConnectorHealth(db: Queryable, health: { connectorId: number; status: ConnectorHealthStatus; at: Date }): Promise<boolean> {
  const { rowCount } = await db.query(
    `update connector_health h set status = $2, changed_at = $3
     from (select status from connector_health where connector_id = $1 for update) before
     where h.connector_id = $1 and before.status <> $2`,
    [health.connectorId, health.status, health.at],
  )
  return rowCount === 1
}

export async function listConnectorHealth(db: Queryable): Promise<Map<number, ConnectorHealthStatus>> {
  const { rows } = await db.query<{ connectorId: number; status: ConnectorHealthStatus }>(`select connector_id as "connectorId", status from connector_health`)
  return new Map(rows.map((r) => [r.connectorId, r.status]))
}
