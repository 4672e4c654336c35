/** A connector's health as GET /connectors shows it and `connector/status_updated` reports it. */
export const CONNECTOR_HEALTH_STATUSES = ['ONLINE', 'UNSTABLE', 'OFFLINE'] as const
export type ConnectorHealthStatus = (typeof CONNECTOR_HEALTH_STATUSES)[number]

/**
 * Outcomes that say the institution could not be reached or failed: they lower the connection
 * rate. Any other outcome (SUCCESS, LOGIN_ERROR, …) shows the institution answering.
 */
export const UNHEALTHY_OUTCOMES = ['ERROR', 'SITE_NOT_AVAILABLE', 'CONNECTION_ERROR'] as const

/** Fewer recent executions than this say nothing about the institution: it stays ONLINE. */
export const MIN_CONNECTIONS_FOR_HEALTH = 5

/**
 * The status a connection rate (0–1, over `connections` recent executions) means: ONLINE from 80%,
 * UNSTABLE from 30%, OFFLINE below.
 */
export function healthStatus(connections: number, healthy: number): ConnectorHealthStatus {
  if (connections < MIN_CONNECTIONS_FOR_HEALTH) return 'ONLINE'
  const rate = healthy / connections
  if (rate >= 0.8) return 'ONLINE'
  if (rate >= 0.3) return 'UNSTABLE'
  return 'OFFLINE'
}
