import type { ConnectorHealthStatus } from '../domain/connector-health.ts'
import type { Clock } from '../time/clock.ts'
import { HEALTH_WINDOW_MS } from '../engine/connector-health.ts'
import { clientConnections, listConnectorHealth } from '../store/connector-health.ts'
import { listClientExecutionSummaries, type ExecutionSummary } from '../store/executions.ts'
import type { Queryable } from '../store/database.ts'

/** How long an API process reuses the health statuses it read (the workers measure them every minute). */
const HEALTH_CACHE_MS = 5_000

/** A connector's health as the API shows it. */
export interface ConnectorHealth {
  status: ConnectorHealthStatus
  /** With `healthDetails=true`: the caller's own connections of the last six hours. */
  details?: { connectionRateLast6Hours: number | null; connectionsLast6Hours: number }
}

/** The health of connectors, as the workers' sweep measured it (src/engine/connector-health.ts). */
export class ConnectorService {
  private cached: { readAtMs: number; statuses: Promise<Map<number, ConnectorHealthStatus>> } | undefined

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  /** Each measured connector's status; a connector not measured yet is ONLINE. */
  statuses(): Promise<Map<number, ConnectorHealthStatus>> {
    const nowMs = this.clock.now().getTime()
    if (this.cached && nowMs - this.cached.readAtMs < HEALTH_CACHE_MS) return this.cached.statuses
    const statuses = listConnectorHealth(this.db)
    const cached = { readAtMs: nowMs, statuses }
    this.cached = cached
    statuses.catch(() => {
      if (this.cached === cached) this.cached = undefined
    })
    return statuses
  }

  async status(connectorId: number): Promise<ConnectorHealthStatus> {
    return (await this.statuses()).get(connectorId) ?? 'ONLINE'
  }

  /** Health for presenting connectors; with `withDetails`, the calling client's own connections of the last six hours. */
  async healthFor(clientId: string, withDetails: boolean): Promise<(connectorId: number) => ConnectorHealth> {
    const at = this.clock.now()
    const [statuses, connections] = await Promise.all([this.statuses(), withDetails ? clientConnections(this.db, clientId, new Date(at.getTime() - HEALTH_WINDOW_MS)) : Promise.resolve([])])
    const byConnector = new Map(connections.map((c) => [c.connectorId, c]))
    return (connectorId) => {
      const status = statuses.get(connectorId) ?? 'ONLINE'
      if (!withDetails) return { status }
      const { connections: count = 0, healthy = 0 } = byConnector.get(connectorId) ?? {}
      return { status, details: { connectionRateLast6Hours: count > 0 ? Math.round((healthy / count) * 1000) / 10 : null, connectionsLast6Hours: count } }
    }
  }

  /** The client's executions of the last `windowMs`, newest first, at most `limit` (the dashboard's outcome and duration charts). */
  recentExecutions(clientId: string, windowMs: number, limit: number): Promise<ExecutionSummary[]> {
    return listClientExecutionSummaries(this.db, clientId, new Date(this.clock.now().getTime() - windowMs), limit)
  }
}
