import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineConnector } from '../../src/connectors/sdk/index.ts'
import { isFinished, startTestEngine, type TestEngine } from '../support/harness.ts'
import { TEST_ENCRYPTION_KEY, createTestDatabase, sleep, waitFor, type TestDatabase } from './processes.ts'

// A worker heart-beats the executions it holds, and stops one it no longer holds (finished or
// taken over elsewhere). An execution whose claim is still waiting is not held yet: heartbeats
// meanwhile must leave it alone, or it is claimed, never run, and ended as ERROR by the sweep.

/** An institution of the deployment's own (not a sandbox bank): its claims are capped per connector. */
const BANK = defineConnector({
  id: 9301,
  name: 'Capped Bank (claim tests)',
  type: 'PERSONAL_BANK',
  country: 'BR',
  hasMFA: false,
  credentials: [{ name: 'user', label: 'User', type: 'text' }],
  products: ['ACCOUNTS'],
  async login() {},
  async fetchAccounts() {
    return [{ providerId: 'acc-1', type: 'BANK' as const, subtype: 'CHECKING_ACCOUNT' as const, number: '0001-1', name: 'Checking', balance: 10, currencyCode: 'BRL' }]
  },
})

let database: TestDatabase
let engine: TestEngine
let blocker: pg.Client
beforeAll(async () => {
  database = await createTestDatabase()
  // A 2-second lease: heartbeats every 500 ms, and a stranded execution is swept within seconds.
  engine = await startTestEngine({ DATABASE_URL: database.url, TRIBUTARY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, TRIBUTARY_WORKER_LEASE_SECONDS: '2' }, { connectors: [BANK] })
  blocker = new pg.Client({ connectionString: database.url })
  await blocker.connect()
})
afterAll(async () => {
  await blocker?.end()
  await engine?.stop()
  await database?.drop()
})

describe('heartbeats and claims', () => {
  it('an execution whose claim waits through several heartbeats still runs once claimed', async () => {
    // The per-connector lock the claim takes (migrations 007, 020; sandbox banks take none), held here: the claim waits on it.
    await blocker.query('select pg_advisory_lock(715024290, $1)', [BANK.id])
    const apiKey = await engine.apiKey()
    const { id } = await engine.createItem(apiKey, { connectorId: BANK.id, parameters: { user: 'ana' } })
    await waitFor(async () => (await blocker.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`)).rows[0].n > 0, {
      timeoutMs: 10_000,
      describe: () => 'the claim never waited on the connector lock',
    })
    await sleep(1_500)
    await blocker.query('select pg_advisory_unlock(715024290, $1)', [BANK.id])

    const item = await engine.waitForItem(apiKey, id, isFinished)
    expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
  })
})
