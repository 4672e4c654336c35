import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { defineConnector, type ConnectorDefinition } from '../src/connectors/sdk/index.ts'
import { startTestEngine, type TestEngine } from './support/harness.ts'

/** An institution-backed connector (not a sandbox bank) whose login takes a while, so executions overlap. */
const slowBank = (id: number): ConnectorDefinition =>
  defineConnector({
    id,
    name: `Slow Bank ${id}`,
    type: 'PERSONAL_BANK',
    country: 'BR',
    hasMFA: false,
    credentials: [{ name: 'user', label: 'User', type: 'text' }],
    products: ['ACCOUNTS'],
    async login(ctx) {
      await ctx.sleep(300)
    },
    async fetchAccounts(ctx) {
      await ctx.sleep(300)
      return []
    },
  })

const CAPPED = 9100
const OTHER_CAPPED = 9101

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  // Each sandbox step takes 150 ms, so executions overlap if nothing holds them back.
  engine = await startTestEngine({ TRIBUTARY_CONNECTOR_CONCURRENCY: '2', TRIBUTARY_SANDBOX_DELAY_MS: '150' }, { connectors: [slowBank(CAPPED), slowBank(OTHER_CAPPED)] })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

/** Creates the items, then samples how many executions each connector runs at once until all end. */
async function peaksWhileRunning(items: { connectorId: number; parameters: Record<string, string> }[]) {
  const pool = engine.tributary.db.pool
  const created = await Promise.all(items.map((body) => engine.createItem(apiKey, body)))
  const peaks = new Map<number, number>()
  let connectorsAtOnce = 0
  // Each attempt of the wait is one sample; it ends once no execution is left unfinished.
  await vi.waitFor(
    async () => {
      const { rows } = await pool.query<{ connector_id: number; running: number }>(
        `select i.connector_id, count(*)::int as running from executions e join items i on i.id = e.item_id
         where e.finished_at is null and e.worker_id is not null group by 1`,
      )
      for (const row of rows) peaks.set(row.connector_id, Math.max(peaks.get(row.connector_id) ?? 0, row.running))
      connectorsAtOnce = Math.max(connectorsAtOnce, rows.length)
      const { rows: left } = await pool.query<{ n: number }>(`select count(*)::int as n from executions where finished_at is null`)
      expect(left[0].n, 'executions still unfinished').toBe(0)
    },
    { timeout: 60_000, interval: 25 },
  )
  const outcomes = await Promise.all(created.map(async (item) => (await engine.waitForItem(apiKey, item.id)).executionStatus))
  return { peaks, connectorsAtOnce, outcomes }
}

describe('per-connector concurrency', () => {
  it('never runs more than the limit on one institution-backed connector at once, while other connectors go on, and every item finishes', async () => {
    const { peaks, connectorsAtOnce, outcomes } = await peaksWhileRunning([
      ...Array.from({ length: 6 }, () => ({ connectorId: CAPPED, parameters: { user: 'alice' } })),
      ...Array.from({ length: 2 }, () => ({ connectorId: OTHER_CAPPED, parameters: { user: 'bob' } })),
    ])
    expect(peaks.get(CAPPED)).toBe(2)
    expect(connectorsAtOnce).toBe(2)
    expect(outcomes).toEqual(outcomes.map(() => 'SUCCESS'))
  })

  it('does not hold the sandbox banks to the limit: they have no institution to protect', async () => {
    const { peaks, outcomes } = await peaksWhileRunning(Array.from({ length: 8 }, () => ({ connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })))
    expect(peaks.get(0)).toBe(8)
    expect(outcomes).toEqual(outcomes.map(() => 'SUCCESS'))
  })
})
