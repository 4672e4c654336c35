import { describe, expect, it } from 'vitest'
import type { CollectedAccount, CollectedTransaction } from '../../connectors/sdk/index.ts'
import { PRODUCTS, type Product } from '../../domain/statuses.ts'
import type { CollectedData, MergeScope } from './merge-types.ts'
import { prepareEntry, transactionKeysOf } from './prepare.ts'

// The merge's preparation, without a database: what reaches the statements, and what fails first.

const CHECKING: CollectedAccount = { providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '1', name: 'Checking', balance: 100, currencyCode: 'BRL' }
const CARD: CollectedAccount = { providerId: 'card-1', type: 'CREDIT', subtype: 'CREDIT_CARD', number: '2', name: 'Card', balance: 10, currencyCode: 'BRL' }

const tx = (accountProviderId: string, date: string, description: string, amount: number, extra: Partial<CollectedTransaction> = {}): CollectedTransaction => ({
  accountProviderId,
  date,
  description,
  amount,
  currencyCode: 'BRL',
  type: amount < 0 ? 'DEBIT' : 'CREDIT',
  status: 'POSTED',
  ...extra,
})

function scope(products: readonly Product[] = PRODUCTS, failedProducts: readonly Product[] = []): MergeScope {
  return { itemId: '00000000-0000-4000-8000-000000000001', clientId: 'c', at: new Date('2030-01-02T03:04:05.000Z'), products, failedProducts }
}

const collected = (extra: Partial<CollectedData> = {}): CollectedData => ({ accounts: [CHECKING], creditCards: [CARD], transactions: [], investments: [], ...extra })

describe('prepareEntry', () => {
  it('keeps only the products the execution collected: a failed or unrequested product changes nothing', () => {
    const prepared = prepareEntry({ scope: scope(['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS'], ['CREDIT_CARDS']), collected: collected({ identity: { fullName: 'Ana' } as never }) })
    expect(prepared.accounts.map((a) => a.providerId)).toEqual(['acc-1'])
    expect(prepared.identity).toBeNull()
    expect(prepared.investments).toBeNull()
    expect(prepared.transactions?.transactions).toEqual([])
  })

  it('drops transactions of accounts this merge does not store', () => {
    const prepared = prepareEntry({
      scope: scope(['ACCOUNTS', 'TRANSACTIONS']),
      collected: collected({ transactions: [tx('acc-1', '2030-01-01', 'Coffee', -5), tx('card-1', '2030-01-01', 'Book', -30)] }),
    })
    expect(prepared.transactions?.transactions.map((t) => t.accountProviderId)).toEqual(['acc-1'])
  })

  it('fails on data no merge can keep stable: two accounts under one institution id, a product that is not a list', () => {
    expect(() => prepareEntry({ scope: scope(), collected: collected({ accounts: [CHECKING, { ...CHECKING }] }) })).toThrow(/two accounts with providerId "acc-1"/)
    expect(() => prepareEntry({ scope: scope(['ACCOUNTS', 'TRANSACTIONS']), collected: collected({ transactions: null as never }) })).toThrow(/transactions that are not a list \(null\)/)
    expect(() => prepareEntry({ scope: scope(['IDENTITY']), collected: collected() })).toThrow(/no identity object/)
  })

  it('turns a date-only value into that day at 00:00 UTC and refuses an unreadable date', () => {
    const prepared = prepareEntry({ scope: scope(['IDENTITY']), collected: collected({ identity: { fullName: 'Ana', birthDate: '1990-05-17' } as never }) })
    expect(prepared.identity?.birthDate).toBe('1990-05-17T00:00:00.000Z')
    expect(() => prepareEntry({ scope: scope(['IDENTITY']), collected: collected({ identity: { fullName: 'Ana', birthDate: 'someday' } as never }) })).toThrow(/date that cannot be read/)
  })

  it('numbers investment movements without an institution id by their day, type, amount and description', () => {
    const movement = { investmentProviderId: 'inv-1', type: 'BUY', amount: 100, date: '2030-01-01', description: 'Aplicação' }
    const prepared = prepareEntry({
      scope: scope(['INVESTMENTS_TRANSACTIONS']),
      collected: collected({ investmentTransactions: [movement, { ...movement }, { ...movement, providerId: 'm-9' }, { ...movement, providerId: 'm-9' }] as never }),
    })
    expect(prepared.movements?.map((m) => m.matchKey)).toEqual(['f:2030-01-01|BUY|100|aplicação#1', 'f:2030-01-01|BUY|100|aplicação#2', 'p:m-9'])
  })
})

describe('transactionKeysOf', () => {
  it('gives each collected transaction a key and a content hash, and keeps one of a transaction listed twice', () => {
    const listedTwice = tx('acc-1', '2030-01-01', 'Coffee', -5, { providerId: 'p-1' })
    const entry = prepareEntry({ scope: scope(['ACCOUNTS', 'TRANSACTIONS']), collected: collected({ transactions: [listedTwice, { ...listedTwice }, tx('acc-1', '2030-01-01', 'Tea', -4)] }) })
    const { keys, rows } = transactionKeysOf([entry.transactions!])
    expect(keys).toHaveLength(2)
    expect(new Set(keys.map((k) => k.matchKey)).size).toBe(2)
    for (const key of keys) {
      expect(key.date).toBe('2030-01-01T00:00:00.000Z')
      expect(rows.get(key.ord)?.contentHash).toBe(key.contentHash)
    }
    // Same content, same hash; other content, another hash.
    const again = transactionKeysOf([prepareEntry({ scope: scope(['ACCOUNTS', 'TRANSACTIONS']), collected: collected({ transactions: [listedTwice] }) }).transactions!])
    expect(again.keys[0].contentHash).toBe(keys[0].contentHash)
    expect(keys[1].contentHash).not.toBe(keys[0].contentHash)
  })
})
