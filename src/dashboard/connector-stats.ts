/**
 * Per-connector figures of a client's recent executions, for the dashboard's connector page:
 * how many finished, the success rate, the median and 95th-percentile durations, the failures by
 * outcome, and each finished execution as a point (time, duration, outcome) for the chart.
 */
import { isFinalOutcome, isSuccessOutcome } from '../domain/statuses.ts'

export interface ExecutionSample {
  connectorId: number
  status: string
  createdAt: Date
  finishedAt: Date | null
}

export interface ConnectorStats {
  connectorId: number
  finished: number
  running: number
  successRate: number | null
  p50Ms: number | null
  p95Ms: number | null
  failuresByOutcome: { outcome: string; count: number }[]
  points: { at: string; durationMs: number; outcome: string; success: boolean }[]
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function connectorStats(samples: readonly ExecutionSample[]): Map<number, ConnectorStats> {
  const byConnector = new Map<number, ExecutionSample[]>()
  for (const sample of samples) byConnector.set(sample.connectorId, [...(byConnector.get(sample.connectorId) ?? []), sample])
  const stats = new Map<number, ConnectorStats>()
  for (const [connectorId, list] of byConnector) {
    const finished = list.filter((s) => s.finishedAt && isFinalOutcome(s.status))
    const durations = finished.map((s) => s.finishedAt!.getTime() - s.createdAt.getTime()).sort((a, b) => a - b)
    const successes = finished.filter((s) => isSuccessOutcome(s.status)).length
    const failures = new Map<string, number>()
    for (const s of finished) if (!isSuccessOutcome(s.status)) failures.set(s.status, (failures.get(s.status) ?? 0) + 1)
    stats.set(connectorId, {
      connectorId,
      finished: finished.length,
      running: list.length - finished.length,
      successRate: finished.length > 0 ? Math.round((successes / finished.length) * 1000) / 10 : null,
      p50Ms: percentile(durations, 50),
      p95Ms: percentile(durations, 95),
      failuresByOutcome: [...failures].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => b.count - a.count),
      points: finished
        .map((s) => ({ at: s.createdAt.toISOString(), durationMs: s.finishedAt!.getTime() - s.createdAt.getTime(), outcome: s.status, success: isSuccessOutcome(s.status) }))
        .sort((a, b) => a.at.localeCompare(b.at)),
    })
  }
  return stats
}
