import { CREDENTIALS_ACCEPTED_ITEM_STATUSES } from '../domain/statuses.ts'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Database } from '../store/database.ts'

/**
 * The engine's Prometheus metrics. Counters and histograms are per process (Prometheus sums
 * them across processes); the gauges about shared state (queue, auto-sync) are read from the
 * database at scrape time, so every process reports the same value.
 */
export class Metrics {
  readonly registry = new Registry()
  readonly executionsFinished = new Counter({
    name: 'tributary_executions_finished_total',
    help: 'Executions finished, by connector and final execution status',
    labelNames: ['connector', 'status'] as const,
    registers: [this.registry],
  })
  readonly stepDuration = new Histogram({
    name: 'tributary_execution_step_duration_seconds',
    help: 'Time spent in each execution step',
    labelNames: ['connector', 'step'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  })
  readonly webhookDeliveries = new Counter({
    name: 'tributary_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, retry, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  })
  readonly httpDuration = new Histogram({
    name: 'tributary_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  })

  private inFlight: () => number = () => 0

  /** The running executions of this process are counted by whoever runs them. */
  countInFlight(count: () => number): void {
    this.inFlight = count
  }

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_process_' })
    const metrics = this
    new Gauge({
      name: 'tributary_executions_in_flight',
      help: 'Executions running in this process',
      registers: [this.registry],
      collect() {
        this.set(metrics.inFlight())
      },
    })
    new Gauge({
      name: 'tributary_queue_jobs',
      help: 'Jobs waiting in the queue (due now) and the age in seconds of the oldest one',
      labelNames: ['measure'] as const,
      registers: [this.registry],
      async collect() {
        const { rows } = await db.pool
          .query<{ depth: number; age: number | null }>(
            `select count(*)::int as depth, extract(epoch from (now() - min(run_at)))::float as age
             from graphile_worker.jobs where run_at <= now() and locked_at is null`,
          )
          .catch(() => ({ rows: [{ depth: NaN, age: NaN }] }))
        this.set({ measure: 'depth' }, rows[0].depth)
        this.set({ measure: 'oldest_age_seconds' }, rows[0].age ?? 0)
      },
    })
    new Gauge({
      name: 'tributary_auto_sync_lag_seconds',
      help: 'How late the most overdue auto-sync is (0 when none is overdue)',
      registers: [this.registry],
      async collect() {
        const { rows } = await db.pool
          .query<{ lag: number | null }>(
            `select extract(epoch from (now() - min(next_auto_sync_at)))::float as lag from items
             where next_auto_sync_at <= now() and not auto_sync_disabled and status = any($1::text[])`,
            [CREDENTIALS_ACCEPTED_ITEM_STATUSES],
          )
          .catch(() => ({ rows: [{ lag: NaN }] }))
        this.set(Math.max(0, rows[0].lag ?? 0))
      },
    })
  }
}
