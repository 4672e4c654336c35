import { describe, expect, it } from 'vitest'
import { EXECUTION_STATUSES, FINAL_OUTCOMES, SUCCESS_OUTCOMES, WAITING_STATUSES } from '../domain/statuses.ts'
import { timelineKind } from '../domain/timeline-kinds.ts'
import { connectorStats, percentile } from './connector-stats.ts'

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))

describe('connector stats', () => {
  it('percentiles are nearest-rank over the sorted durations', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 100)
    expect(percentile(values, 50)).toBe(1000)
    expect(percentile(values, 95)).toBe(1900)
    expect(percentile([700], 95)).toBe(700)
    expect(percentile([], 50)).toBeNull()
  })

  it('counts finished executions per connector, their success rate and failures by outcome; running ones only as running', () => {
    const [success, partial] = SUCCESS_OUTCOMES
    const failure = FINAL_OUTCOMES.find((o) => !(SUCCESS_OUTCOMES as readonly string[]).includes(o))!
    const running = EXECUTION_STATUSES[1]!
    const stats = connectorStats([
      { connectorId: 1, status: success, createdAt: at(0), finishedAt: at(2) },
      { connectorId: 1, status: partial, createdAt: at(10), finishedAt: at(14) },
      { connectorId: 1, status: failure, createdAt: at(20), finishedAt: at(21) },
      { connectorId: 1, status: failure, createdAt: at(30), finishedAt: at(31) },
      { connectorId: 1, status: running, createdAt: at(40), finishedAt: null },
      { connectorId: 2, status: success, createdAt: at(0), finishedAt: at(1) },
    ])
    expect(stats.get(1)).toMatchObject({ finished: 4, running: 1, successRate: 50, p50Ms: 1000, p95Ms: 4000, failuresByOutcome: [{ outcome: failure, count: 2 }] })
    expect(stats.get(1)!.points.map((p) => p.success)).toEqual([true, true, false, false])
    expect(stats.get(2)).toMatchObject({ finished: 1, successRate: 100 })
  })

  it('every execution status has a timeline kind; outcomes are success or failure', () => {
    for (const status of EXECUTION_STATUSES) expect(['step', 'waiting', 'merging', 'success', 'failure']).toContain(timelineKind(status))
    for (const outcome of SUCCESS_OUTCOMES) expect(timelineKind(outcome)).toBe('success')
    // The waits for the user, and the device-authorization outcome.
    expect(EXECUTION_STATUSES.filter((s) => timelineKind(s) === 'waiting').length).toBe(WAITING_STATUSES.length + 1)
    for (const status of WAITING_STATUSES) expect(timelineKind(status)).toBe('waiting')
    expect(EXECUTION_STATUSES.filter((s) => timelineKind(s) === 'merging').length).toBe(1)
  })
})
