import { describe, expect, it } from 'vitest'
import { sandboxProducts } from './sandbox-data-cache.ts'
import { createSandboxData } from './sandbox-data.ts'

const NOW = new Date('2026-05-04T12:00:00Z')
const DAY_MS = 86_400_000

describe('kept sandbox data', () => {
  it('is the data the generator builds, product by product', () => {
    const kept = sandboxProducts({ user: 'user-ok', now: NOW })
    const built = createSandboxData({ user: 'user-ok', now: NOW })
    const accountIds = new Set([...built.accounts(), ...built.creditCards()].map((a) => a.providerId))
    const investmentIds = new Set(built.investments().map((i) => i.providerId))
    expect(kept.accounts()).toEqual(built.accounts())
    expect(kept.creditCards()).toEqual(built.creditCards())
    expect(kept.transactions(accountIds)).toEqual(built.transactions(accountIds))
    expect(kept.transactions(new Set([built.checkingId]))).toEqual(built.transactions(new Set([built.checkingId])))
    expect(kept.investments()).toEqual(built.investments())
    expect(kept.investmentTransactions(investmentIds)).toEqual(built.investmentTransactions(investmentIds))
    expect(kept.paymentData(kept.transactions(accountIds))).toEqual(built.paymentData(built.transactions(accountIds)))
    expect(kept.identity()).toEqual(built.identity())
    expect(kept.opportunities()).toEqual(built.opportunities())
  })

  it('is shared between steps, with rows frozen and lists of their own', () => {
    const first = sandboxProducts({ user: 'user-ok', now: NOW }).accounts()
    first.push({ ...first[0], providerId: 'added-by-a-connector' })
    const again = sandboxProducts({ user: 'user-ok', now: new Date(NOW.getTime() + 60_000) }).accounts()
    expect(again.map((a) => a.providerId)).not.toContain('added-by-a-connector')
    expect(again[0]).toBe(first[0])
    expect(Object.isFrozen(again[0])).toBe(true)
    expect(() => {
      ;(again[0] as { balance: number }).balance = 0
    }).toThrow(TypeError)
  })

  it('moves with the day, and tells users and multipliers apart', () => {
    const today = sandboxProducts({ user: 'user-ok', now: NOW }).transactions(
      new Set(
        createSandboxData({ user: 'user-ok', now: NOW })
          .accounts()
          .map((a) => a.providerId),
      ),
    )
    const later = createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + 9 * DAY_MS) })
    const laterIds = new Set(later.accounts().map((a) => a.providerId))
    expect(sandboxProducts({ user: 'user-ok', now: new Date(NOW.getTime() + 9 * DAY_MS) }).transactions(laterIds)).toEqual(later.transactions(laterIds))
    expect(later.transactions(laterIds)).not.toEqual(today)
    expect(sandboxProducts({ user: 'user-ok-2', now: NOW }).identity()).toEqual(createSandboxData({ user: 'user-ok-2', now: NOW }).identity())
    const perf2 = createSandboxData({ user: 'user-ok', now: NOW, transactionMultiplier: 2 })
    const ids = new Set(perf2.accounts().map((a) => a.providerId))
    expect(sandboxProducts({ user: 'user-ok', now: NOW, transactionMultiplier: 2 }).transactions(ids)).toEqual(perf2.transactions(ids))
  })

  it('lets the least recently used dataset go once 64 others are kept', () => {
    const kept = sandboxProducts({ user: 'user-ok-evicted', now: NOW }).identity()
    for (let i = 0; i < 63; i++) sandboxProducts({ user: `user-ok-other-${i}`, now: NOW })
    expect(sandboxProducts({ user: 'user-ok-evicted', now: NOW }).identity()).toBe(kept)
    for (let i = 0; i < 64; i++) sandboxProducts({ user: `user-ok-another-${i}`, now: NOW })
    const rebuilt = sandboxProducts({ user: 'user-ok-evicted', now: NOW }).identity()
    expect(rebuilt).not.toBe(kept)
    expect(rebuilt).toEqual(kept)
  })
})
