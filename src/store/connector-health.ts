import type { ConnectorHealthStatus } from '../domain/connector-health.ts'
import { UNHEALTHY_OUTCOMES } from '../domain/connector-health.ts'
import type { Queryable } from './database.ts'

export interface ConnectorConnections {
  connectorId: number
  /** Executions that finished in the window (at most the latest `perConnector`). */
  connections: number
  /** Of those, the ones that did not end in an unhealthy outcome. */
  healthy: number
}

/** For every connector with executions finished since `since`: how many, and how many reached the institution. */
export async function recentConnections(db: Queryable, since: Date, perConnector: number, clientId?: string): Promise<ConnectorConnections[]> {
  const { rows } = await db.query<ConnectorConnections>(
    `select connector_id as "connectorId", count(*)::int as connections,
            (count(*) filter (where not (status = any($4::text[]))))::int as healthy
     from (
       select i.connector_id, e.status, row_number() over (partition by i.connector_id order by e.finished_at desc) as n
       from executions e join items i on i.id = e.item_id
       where e.finished_at >= $1 and ($3::text is null or e.client_id = $3)
     ) recent
     where n <= $2
     group by connector_id`,
    [since, perConnector, clientId ?? null, UNHEALTHY_OUTCOMES],
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
export async function saveConnectorHealth(
  db: Queryable,
  health: { connectorId: number; status: ConnectorHealthStatus; at: Date },
): Promise<boolean> {
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
