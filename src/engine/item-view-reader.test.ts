import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initialLifecycleState } from '../domain/lifecycle.ts'
import { upsertClient } from '../store/clients.ts'
import type { Database, Queryable } from '../store/database.ts'
import { insertItems } from '../store/items.ts'
import { openMigratedDatabase } from '../store/open-migrated.ts'
import { ItemViewReader } from './item-view-reader.ts'

let db: Database
beforeAll(async () => {
  db = await openMigratedDatabase({ databaseUrl: null, dataDir: ':memory:' })
})
afterAll(async () => {
  await db?.close()
})

async function itemOf(clientId: string): Promise<string> {
  await upsertClient(db.pool, { id: clientId, secretEnc: 'x' })
  const id = randomUUID()
  const at = new Date('2026-03-02T12:00:00Z')
  await insertItems(db.pool, [
    {
      id,
      clientId,
      connectorId: 0,
      state: initialLifecycleState(),
      currentExecutionId: randomUUID(),
      credentialsEnc: 'x',
      credentialsHash: 'x',
      lastMfaHash: null,
      webhookUrl: null,
      clientUserId: null,
      products: null,
      createdByToken: null,
      at,
    },
  ])
  return id
}

/** The engine's pool, counting the statements sent through it. */
function countingPool(): { pool: Queryable; statements: () => number } {
  let statements = 0
  const pool = {
    query: (text: string, values: unknown[]) => {
      statements++
      return db.pool.query(text, values)
    },
  } as unknown as Queryable
  return { pool, statements: () => statements }
}

describe('reading items for answers', () => {
  it('answers reads asked together with one statement, each with its own item', async () => {
    const [a, b, c] = [await itemOf('client-a'), await itemOf('client-a'), await itemOf('client-b')]
    const { pool, statements } = countingPool()
    const reader = new ItemViewReader(pool)
    const views = await Promise.all([reader.read('client-a', a), reader.read('client-a', b), reader.read('client-b', c), reader.read('client-a', a)])
    expect(views.map((view) => view?.id)).toEqual([a, b, c, a])
    expect(statements()).toBe(1)
    // Idle, a read is a statement of its own.
    expect((await reader.read('client-b', c))?.id).toBe(c)
    expect(statements()).toBe(2)
  })

  it('answers another client’s item, read in the same statement as its owner’s read, as missing', async () => {
    const item = await itemOf('client-a')
    const reader = new ItemViewReader(db.pool)
    const [owner, other, unknown] = await Promise.all([reader.read('client-a', item), reader.read('client-b', item), reader.read('client-a', randomUUID())])
    expect(owner?.clientId).toBe('client-a')
    expect(other).toBeUndefined()
    expect(unknown).toBeUndefined()
  })

  it('fails every read of a statement the database refuses, and reads again afterwards', async () => {
    const item = await itemOf('client-a')
    let refuse = true
    const pool = { query: (text: string, values: unknown[]) => (refuse ? Promise.reject(new Error('connection lost')) : db.pool.query(text, values)) } as unknown as Queryable
    const reader = new ItemViewReader(pool)
    const reads = [reader.read('client-a', item), reader.read('client-a', randomUUID())]
    await expect(Promise.all(reads)).rejects.toThrow('connection lost')
    await expect(reads[1]).rejects.toThrow('connection lost')
    refuse = false
    expect((await reader.read('client-a', item))?.id).toBe(item)
  })
})
