import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from './support/harness.ts'

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  // Each sandbox step takes 150 ms, so executions overlap if nothing holds them back.
  engine = await startTestEngine({ TRIBUTARY_CONNECTOR_CONCURRENCY: '2', TRIBUTARY_SANDBOX_DELAY_MS: '150' })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

describe('per-connector concurrency', () => {
  it('never runs more than the limit on one connector at once, while other connectors go on, and every item finishes', async () => {
    const pool = engine.tributary.db.pool
    const onZero = await Promise.all(Array.from({ length: 6 }, () => engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })))
    const onOne = await Promise.all(Array.from({ length: 2 }, () => engine.createItem(apiKey, { connectorId: 1, parameters: { user: 'user-ok', password: 'password-ok', token: '123456' } })))
    let peakZero = 0
    let sawBothConnectorsAtOnce = false
    const all = [...onZero, ...onOne]
    for (;;) {
      const { rows } = await pool.query<{ connector_id: number; running: number }>(
        `select i.connector_id, count(*)::int as running from executions e join items i on i.id = e.item_id
         where e.finished_at is null and e.worker_id is not null group by 1`,
      )
      const zero = rows.find((r) => r.connector_id === 0)?.running ?? 0
      const one = rows.find((r) => r.connector_id === 1)?.running ?? 0
      peakZero = Math.max(peakZero, zero)
      if (zero > 0 && one > 0) sawBothConnectorsAtOnce = true
      const { rows: left } = await pool.query<{ n: number }>(`select count(*)::int as n from executions where finished_at is null`)
      if (left[0].n === 0) break
      await new Promise((r) => setTimeout(r, 25))
    }
    expect(peakZero).toBe(2)
    expect(sawBothConnectorsAtOnce).toBe(true)
    for (const item of all) expect((await engine.waitForItem(apiKey, item.id)).executionStatus).toBe('SUCCESS')
  })
})
