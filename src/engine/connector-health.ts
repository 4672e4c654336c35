import type pino from 'pino'
import { healthStatus } from '../domain/connector-health.ts'
import { connectorStatusEvent } from '../events/item-events.ts'
import { listClients } from '../store/clients.ts'
import { ensureConnectorHealth, latestConnections, listConnectorHealth, saveConnectorHealth } from '../store/connector-health.ts'
import { withTransaction, type Database } from '../store/database.ts'
import { insertEvents } from '../store/events.ts'
import type { Clock } from '../time/clock.ts'
import type { ConnectorRegistry } from './connector-registry.ts'

/** Health is measured over the executions of the last six hours, at most this many per connector. */
export const HEALTH_WINDOW_MS = 6 * 60 * 60 * 1000
export const HEALTH_SAMPLE = 50

/**
 * Measures every installed connector's health from its recent executions and saves the ones that
 * changed, each with a `connector/status_updated` event for every client, in one transaction.
 * Safe on many workers at once: a change is saved (and announced) once. Returns the changes.
 */
export async function refreshConnectorHealth(deps: { db: Database; connectors: ConnectorRegistry; clock: Clock; logger: pino.Logger }): Promise<number> {
  const { db, connectors, clock, logger } = deps
  const at = clock.now()
  const since = new Date(at.getTime() - HEALTH_WINDOW_MS)
  const measured = new Map(
    (
      await latestConnections(
        db.pool,
        connectors.list().map((c) => c.id),
        since,
        HEALTH_SAMPLE,
      )
    ).map((m) => [m.connectorId, m]),
  )
  const saved = await listConnectorHealth(db.pool)
  let changes = 0
  for (const connector of connectors.list()) {
    const { connections = 0, healthy = 0 } = measured.get(connector.id) ?? {}
    const status = healthStatus(connections, healthy)
    if ((saved.get(connector.id) ?? 'ONLINE') === status) continue
    const changed = await withTransaction(db.pool, async (tx) => {
      await ensureConnectorHealth(tx, connector.id, at)
      if (!(await saveConnectorHealth(tx, { connectorId: connector.id, status, at }))) return false
      const clients = (await listClients(tx)).filter((client) => client.revokedAt === null)
      await insertEvents(
        tx,
        clients.map((client) => connectorStatusEvent(client.id, connector.id, status, at)),
      )
      return true
    })
    if (changed) {
      changes++
      logger.warn({ connectorId: connector.id, status, connections, healthy }, `connector ${connector.name} is now ${status}`)
    }
  }
  return changes
}
