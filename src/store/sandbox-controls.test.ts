import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ForcedOutcome } from '../domain/sandbox-control.ts'
import { openDatabase, type Database } from './database.ts'
import { migrate } from './migrate.ts'
import { saveForcedOutcome, saveLoginReset, takeSandboxControls } from './sandbox-controls.ts'

// The executions that start together read their items' sandbox instructions in one statement:
// each answer must be its own item's, in the order asked.

const CLIENT = 'sandbox-controls'
const OTHER_CLIENT = 'sandbox-controls-other'
let db: Database
const items = { once: randomUUID(), reset: randomUUID(), plain: randomUUID(), other: randomUUID() }
const at = new Date('2026-03-01T12:00:00Z')
const INVALID: ForcedOutcome = { executionStatus: 'INVALID_CREDENTIALS', failingProducts: [], providerMessage: null }

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused'), ($2, 'unused')`, [CLIENT, OTHER_CLIENT])
  await db.pool.query(
    `insert into items (id, client_id, connector_id, status, execution_status, credentials_enc, credentials_hash, created_at, updated_at)
     select i.id, i.client_id, 0, 'UPDATED', 'SUCCESS', 'x', 'x', $5, $5
     from (values ($1::uuid, $6), ($2::uuid, $6), ($3::uuid, $6), ($4::uuid, $7)) as i(id, client_id)`,
    [items.once, items.reset, items.plain, items.other, at, CLIENT, OTHER_CLIENT],
  )
  await saveForcedOutcome(db.pool, { itemId: items.once, clientId: CLIENT, outcome: INVALID, once: true, at })
  await saveLoginReset(db.pool, { itemId: items.reset, clientId: CLIENT, credentialsFingerprint: 'fingerprint', at })
  await db.pool.query(`insert into sandbox_transaction_edits (id, item_id, client_id, edit, created_at) values ($1, $2, $3, $4, $5)`, [
    randomUUID(),
    items.plain,
    CLIENT,
    JSON.stringify({ kind: 'delete', providerId: 'tx-1' }),
    at,
  ])
  await db.pool.query(`insert into sandbox_clock_advances (client_id, at, seconds) values ($1, $2, 3600)`, [CLIENT, at])
  await db.pool.query(`insert into sandbox_outages (client_id, connector_id, mode, delay_ms, created_at) values ($1, 0, 'SLOW', 250, $2)`, [OTHER_CLIENT, at])
  await db.pool.query(`insert into sandbox_users (client_id, name, document, created_at, updated_at) values ($1, 'user-custom', '{"accounts": []}', $2, $2)`, [CLIENT, at])
})
afterAll(() => db?.close())

describe('takeSandboxControls', () => {
  it("answers each execution with its own item's control, edits, clock, outage and custom user, in the order asked", async () => {
    const executions = { once: randomUUID(), reset: randomUUID(), plain: randomUUID(), other: randomUUID(), missing: randomUUID() }
    const answers = await takeSandboxControls(db.pool, [
      { itemId: items.other, executionId: executions.other, userName: 'user-custom' },
      { itemId: items.once, executionId: executions.once, userName: 'user-ok' },
      { itemId: randomUUID(), executionId: executions.missing, userName: 'user-ok' },
      { itemId: items.plain, executionId: executions.plain, userName: 'user-custom' },
      { itemId: items.reset, executionId: executions.reset, userName: 'user-ok' },
    ])
    const [other, once, missing, plain, reset] = answers
    expect(answers).toHaveLength(5)

    // Another client's item: its client's outage, not this client's clock or custom user.
    expect(other).toMatchObject({ control: undefined, transactionEdits: [], clockAdvances: [], outage: { mode: 'SLOW', delayMs: 250 }, customUser: null })

    expect(once.control).toMatchObject({ itemId: items.once, once: true, takenBy: executions.once, outcome: { executionStatus: 'INVALID_CREDENTIALS' } })
    expect(once.clockAdvances).toEqual([{ at: expect.any(String), seconds: 3600 }])
    expect(once).toMatchObject({ transactionEdits: [], outage: null, customUser: null })

    expect(missing).toEqual({ control: undefined, transactionEdits: [], clockAdvances: [], outage: null, customUser: null })

    expect(plain).toMatchObject({ control: undefined, transactionEdits: [{ kind: 'delete', providerId: 'tx-1' }], customUser: { accounts: [] } })

    expect(reset.control).toMatchObject({ itemId: items.reset, loginResetFor: 'fingerprint', takenBy: null })
    expect(reset.control?.loginResetAt).toEqual(at)
  })

  it('leaves a once outcome with the execution that took it: a later execution reads it taken by the first', async () => {
    await saveForcedOutcome(db.pool, { itemId: items.once, clientId: CLIENT, outcome: INVALID, once: true, at })
    const first = randomUUID()
    const [taken] = await takeSandboxControls(db.pool, [{ itemId: items.once, executionId: first, userName: 'user-ok' }])
    expect(taken.control?.takenBy).toBe(first)
    const [later] = await takeSandboxControls(db.pool, [{ itemId: items.once, executionId: randomUUID(), userName: 'user-ok' }])
    expect(later.control?.takenBy).toBe(first)
  })
})
