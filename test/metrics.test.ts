import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from './support/harness.ts'

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine()
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

/** The value of one series in Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-z_]+)(?:\{(.*)\})? (.+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3])
  }
  return undefined
}

describe('GET /metrics', () => {
  it('counts executions by connector and final status, step durations and HTTP latency, without a key', async () => {
    const ok = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    const locked1 = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    const locked2 = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    for (const item of [ok, locked1, locked2]) await engine.waitForItem(apiKey, item.id)
    const reply = await engine.request('GET', '/metrics')
    expect(reply.status).toBe(200)
    expect(String(reply.headers['content-type'])).toContain('text/plain')
    const text = reply.body as string
    expect(sample(text, 'tributary_executions_finished_total', { connector: '0', status: 'SUCCESS' })).toBe(1)
    expect(sample(text, 'tributary_executions_finished_total', { connector: '0', status: 'ACCOUNT_LOCKED' })).toBe(2)
    // Every status the successful execution left was timed: one observation per step.
    expect(sample(text, 'tributary_execution_step_duration_seconds_count', { connector: '0', step: 'MERGING' })).toBe(1)
    expect(sample(text, 'tributary_execution_step_duration_seconds_count', { connector: '0', step: 'LOGIN_IN_PROGRESS' })).toBe(3)
    expect(sample(text, 'tributary_executions_in_flight')).toBe(0)
    expect(sample(text, 'tributary_http_request_duration_seconds_count', { method: 'POST', route: '/items', status: '200' })).toBe(3)
    expect(sample(text, 'tributary_queue_jobs', { measure: 'depth' })).toBeGreaterThanOrEqual(0)
    expect(sample(text, 'tributary_auto_sync_lag_seconds')).toBe(0)
  })
})
