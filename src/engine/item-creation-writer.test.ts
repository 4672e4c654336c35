import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initialLifecycleState } from '../domain/lifecycle.ts'
import { statusEvent } from '../events/item-events.ts'
import { upsertClient } from '../store/clients.ts'
import type { Database } from '../store/database.ts'
import type { NewItem } from '../store/items.ts'
import { openMigratedDatabase } from '../store/open-migrated.ts'
import { ItemCreationWriter, type ItemCreation } from './item-creation-writer.ts'

let db: Database
beforeAll(async () => {
  db = await openMigratedDatabase({ databaseUrl: null, dataDir: ':memory:' })
  await upsertClient(db.pool, { id: 'client-a', secretEnc: 'x' })
})
afterAll(async () => {
  await db?.close()
})

const at = new Date('2026-03-02T12:00:00Z')

function creation(overrides: Partial<NewItem> = {}): ItemCreation {
  const item: NewItem = {
    id: randomUUID(),
    clientId: 'client-a',
    connectorId: 0,
    state: initialLifecycleState(),
    currentExecutionId: randomUUID(),
    credentialsEnc: 'sealed',
    credentialsHash: 'hash',
    lastMfaHash: null,
    webhookUrl: null,
    clientUserId: 'user-1',
    products: ['ACCOUNTS', 'TRANSACTIONS'],
    createdByToken: null,
    at,
    ...overrides,
  }
  return {
    item,
    execution: {
      id: item.currentExecutionId,
      itemId: item.id,
      clientId: item.clientId,
      connectorId: item.connectorId,
      status: item.state.executionStatus,
      triggeredBy: 'CLIENT',
      products: ['ACCOUNTS', 'TRANSACTIONS'],
      deadlineAt: new Date(at.getTime() + 60_000),
      at,
    },
    event: statusEvent(item, item.state, item.currentExecutionId, 'CLIENT', at),
  }
}

describe('creating items together', () => {
  it('saves each item with its execution, its job and its first status event, and answers each with its own row', async () => {
    const creations = [creation(), creation({ clientUserId: 'user-2' }), creation({ products: null })]
    const writer = new ItemCreationWriter(db)
    const rows = await Promise.all(creations.map((c) => writer.save(c)))
    expect(rows.map((row) => [row.id, row.clientUserId, row.products])).toEqual(creations.map((c) => [c.item.id, c.item.clientUserId, c.item.products]))
    expect(rows.every((row) => row.executionsStarted === 1 && row.createdAt.getTime() === at.getTime())).toBe(true)

    const ids = creations.map((c) => c.execution.id)
    const { rows: executions } = await db.pool.query(`select id, status, triggered_by, steps, products from executions where id = any($1::uuid[])`, [ids])
    expect(executions).toHaveLength(3)
    for (const execution of executions) {
      expect(execution.steps).toEqual([{ status: execution.status, startedAt: at.toISOString(), finishedAt: null }])
      expect(execution.products).toEqual(['ACCOUNTS', 'TRANSACTIONS'])
    }
    const { rows: jobs } = await db.pool.query(`select key from graphile_worker.jobs where key = any($1::text[])`, [ids.map((id) => `execution:${id}`)])
    expect(jobs).toHaveLength(3)
    const { rows: events } = await db.pool.query(`select item_id from events where type = 'item/status' and item_id = any($1::uuid[])`, [creations.map((c) => c.item.id)])
    expect(events).toHaveLength(3)
  })

  it('fails only the creation the database refuses, not the ones that shared its transaction', async () => {
    const writer = new ItemCreationWriter(db)
    const refused = creation({ clientId: 'no-such-client' })
    const results = await Promise.allSettled([writer.save(creation()), writer.save(refused), writer.save(creation())])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const { rows } = await db.pool.query(`select count(*)::int as n from items where id = $1`, [refused.item.id])
    expect(rows[0].n).toBe(0)
  })
})
