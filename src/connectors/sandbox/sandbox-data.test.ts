import { describe, expect, it } from 'vitest'
import { HISTORY_DAYS, PENDING_DAYS } from './data/transaction-schedule.ts'
import { createSandboxData, generateSandboxData } from './sandbox-data.ts'

const NOW = new Date('2026-03-15T14:30:00.000Z')

describe('sandbox data', () => {
  it('is deterministic: same user and same day → deep-equal data', () => {
    expect(generateSandboxData({ user: 'user-ok', now: NOW })).toEqual(generateSandboxData({ user: 'user-ok', now: NOW }))
  })

  it('different users get different providerIds', () => {
    const a = generateSandboxData({ user: 'user-ok', now: NOW })
    const b = generateSandboxData({ user: 'user-ok-account-warning', now: NOW })
    const ids = (d: typeof a) =>
      new Set([
        ...d.accounts.map((x) => x.providerId),
        ...d.creditCards.map((x) => x.providerId),
        ...d.transactions.map((x) => x.providerId),
        ...d.investments.map((x) => x.providerId),
        ...d.opportunities.map((x) => x.providerId),
        ...d.loans.map((x) => x.providerId),
        ...d.creditCards.flatMap((c) => c.bills!.map((b) => b.providerId)),
      ])
    const idsA = ids(a)
    for (const id of ids(b)) expect(idsA.has(id)).toBe(false)
    expect(a.identity.document).not.toBe(b.identity.document)
  })

  it('every providerId is unique within a user', () => {
    const d = generateSandboxData({ user: 'user-ok-perf-20', now: NOW })
    for (const list of [[...d.accounts, ...d.creditCards], d.transactions, d.investments, d.investmentTransactions, d.opportunities, d.loans, d.creditCards[0].bills!]) {
      const ids = list.map((x) => x.providerId)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  /** The daily movements (slots, and the executions' batches), which the multiplier multiplies; the monthly ones it does not. */
  const daily = (transactions: { providerId?: string | null }[]) => transactions.filter((t) => /-(tx|live|hold)-/.test(t.providerId!)).length

  it('perf scaling of the daily movements holds on every day of a year', () => {
    const start = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 365; i++) {
      const now = new Date(start + i * 86_400_000)
      const base = daily(createSandboxData({ user: 'user-ok', now }).transactions())
      expect(daily(createSandboxData({ user: 'user-ok-perf-3', now, transactionMultiplier: 3 }).transactions())).toBe(3 * base)
      expect(base).toBeGreaterThanOrEqual(25)
      expect(base).toBeLessThanOrEqual(31)
    }
  })

  it('transactions cover the last 90 days, some PENDING, with transfers and card installments', () => {
    const d = generateSandboxData({ user: 'user-ok', now: NOW })
    const today = Date.UTC(2026, 2, 15)
    for (const t of d.transactions) {
      const time = Date.parse(t.date)
      expect(time).toBeLessThanOrEqual(today)
      expect(time).toBeGreaterThan(today - HISTORY_DAYS * 86_400_000)
      // The reference's sign convention: a card purchase (DEBIT) is positive, a bank debit negative.
      expect(t.amount > 0).toBe(t.accountProviderId.endsWith('-credit-card') ? t.type === 'DEBIT' : t.type === 'CREDIT')
      expect(t.status === 'PENDING').toBe(today - time < PENDING_DAYS * 86_400_000)
    }
    const pending = d.transactions.filter((t) => t.status === 'PENDING')
    expect(pending.length).toBeGreaterThanOrEqual(2)
    expect(pending.length).toBeLessThan(d.transactions.length / 2)
    // Across a few users every kind shows up.
    const many = ['user-ok', 'user-ok-perf-5', 'user-a', 'user-b'].flatMap((user) => generateSandboxData({ user, now: NOW }).transactions)
    const methods = new Set(many.map((t) => t.paymentData?.paymentMethod).filter(Boolean))
    expect(methods.has('PIX')).toBe(true)
    expect(methods.has('TED')).toBe(true)
    expect(many.some((t) => (t.creditCardMetadata?.totalInstallments ?? 0) > 1)).toBe(true)
    expect(many.some((t) => t.merchant?.name)).toBe(true)
    expect(many.some((t) => t.accountProviderId.endsWith('-savings'))).toBe(true)
  })

  it('moves with time: pending transactions post under the same id, and the window slides', () => {
    const day = 86_400_000
    const before = createSandboxData({ user: 'user-ok', now: NOW }).transactions()
    const after = createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + 10 * day) }).transactions()
    const afterById = new Map(after.map((t) => [t.providerId, t]))
    const posted = before.filter((t) => t.status === 'PENDING' && afterById.get(t.providerId)?.status === 'POSTED')
    expect(posted.length).toBeGreaterThan(0)
    // Posting changes the status, the running balance and, on the card, links the bill; nothing else.
    const withoutPosting = ({ status: _s, balance: _b, creditCardMetadata, ...rest }: (typeof before)[number]) => ({
      ...rest,
      creditCardMetadata: creditCardMetadata && { ...creditCardMetadata, billId: undefined },
    })
    for (const t of posted) expect(withoutPosting(afterById.get(t.providerId)!)).toEqual(withoutPosting(t))
    const beforeIds = new Set(before.map((t) => t.providerId))
    expect(after.some((t) => !beforeIds.has(t.providerId))).toBe(true)
    // Over a month some pending purchase is cancelled (disappears while still inside the window).
    let removed = 0
    for (let i = 0; i < 30; i++) {
      const a = createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + i * day) }).transactions()
      const b = new Set(
        createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + (i + 1) * day) })
          .transactions()
          .map((t) => t.providerId),
      )
      const windowStart = Date.parse(new Date(NOW.getTime() + (i + 1) * day).toISOString().slice(0, 10)) - (HISTORY_DAYS - 1) * day
      removed += a.filter((t) => !b.has(t.providerId) && Date.parse(t.date) >= windowStart).length
    }
    expect(removed).toBeGreaterThan(0)
  })

  it('user-ok-perf-5000 has 5000 times the daily movements of user-ok', () => {
    const one = createSandboxData({ user: 'user-ok', now: NOW }).transactions()
    const many = createSandboxData({ user: 'user-ok-perf-5000', now: NOW, transactionMultiplier: 5000 }).transactions()
    expect(daily(many)).toBe(5000 * daily(one))
    expect(many.length).toBeGreaterThanOrEqual(100_000)
  })
})
