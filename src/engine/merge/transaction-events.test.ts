import { describe, expect, it } from 'vitest'
import type { Queryable } from '../../store/database.ts'
import { TRANSACTION_IDS_PER_EVENT, transactionEvents } from './transaction-events.ts'

// SPEC §7.1: transactions/updated (and /deleted) name at most 400 ids each, as the reference sends them.

const noDatabase = {} as Queryable
const scope = { itemId: 'i', clientId: 'c', at: new Date('2026-01-02T03:04:05.678Z'), products: [], failedProducts: [], triggeredBy: 'SYNC', clientUserId: null, webhookUrl: null } as const
const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`)

describe('transactions/* events', () => {
  it('splits 1,001 updated ids into blocks of at most 400, every id once, in order, with the account and client', async () => {
    expect(TRANSACTION_IDS_PER_EVENT).toBe(400)
    const updated = ids(1001, 'u')
    const events = await transactionEvents(noDatabase, { ...scope }, new Map([['acc', { created: [], updated, deleted: ids(3, 'd') }]]))
    const blocks = events.filter((e) => e.type === 'transactions/updated').map((e) => e.payload as { transactionIds: string[]; accountId: string; clientId: string })
    expect(blocks.map((b) => b.transactionIds.length)).toEqual([400, 400, 201])
    expect(blocks.flatMap((b) => b.transactionIds)).toEqual(updated)
    for (const block of blocks) expect(block).toMatchObject({ accountId: 'acc', clientId: 'c' })
    expect(events.filter((e) => e.type === 'transactions/deleted').map((e) => (e.payload as { transactionIds: string[] }).transactionIds)).toEqual([ids(3, 'd')])
  })
})
