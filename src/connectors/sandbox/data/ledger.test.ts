import { describe, expect, it } from 'vitest'
import type { CollectedTransaction } from '../../sdk/index.ts'
import { createSandboxData, generateSandboxData, type SandboxDataOptions } from '../sandbox-data.ts'
import { isValidCnpj, isValidCpf } from './brazilian-documents.ts'
import { dayNumber, isBusinessDay } from './calendar.ts'
import { PLACES, FEMALE_FIRST_NAMES } from './fixtures.ts'
import { HOLD_EVERY } from './live-activity.ts'
import { round2 } from './money.ts'
import { barcodeCheckDigit, mod10 } from './payment-references.ts'

// The sandbox institution's books: money that adds up from one sync to the next, bills that
// exist, and the data problems the reference's consumers tripped on, each pinned.

const NOW = new Date('2026-03-15T14:30:00.000Z')
const DAY = 86_400_000
const sum = (values: number[]) => round2(values.reduce((a, b) => a + b, 0))
const inAccount = (t: CollectedTransaction) => t.amountInAccountCurrency ?? t.amount

function snapshot(options: Partial<SandboxDataOptions> & { now?: Date } = {}) {
  return generateSandboxData({ user: 'user-ok', now: NOW, ...options })
}

describe('money that adds up', () => {
  const users = ['user-ok', 'user-a', 'user-b', 'user-ok-perf-3']
  const perfOf = (user: string) => (user.startsWith('user-ok-perf-') ? Number(user.slice(13)) : 1)

  it('the booked balance moves by exactly the movements that posted since the previous sync (days and executions)', () => {
    for (const user of users) {
      let previous = snapshot({ user, transactionMultiplier: perfOf(user), generation: 1 })
      for (let step = 1; step <= 12; step++) {
        // Every other step a day passes; every step is one more execution of the item.
        const next = snapshot({ user, transactionMultiplier: perfOf(user), generation: 1 + step, now: new Date(NOW.getTime() + Math.floor(step / 2) * DAY) })
        const wasPosted = new Set(previous.transactions.filter((t) => t.status === 'POSTED').map((t) => t.providerId))
        for (const [i, account] of [...next.accounts, ...next.creditCards].entries()) {
          const before = [...previous.accounts, ...previous.creditCards][i]
          const newlyPosted = next.transactions.filter((t) => t.accountProviderId === account.providerId && t.status === 'POSTED' && !wasPosted.has(t.providerId))
          const booked = (a: typeof account, ts: CollectedTransaction[]) =>
            a.bankData?.closingBalance ?? round2(a.balance - sum(ts.filter((t) => t.accountProviderId === a.providerId && t.status === 'PENDING').map(inAccount)))
          expect(booked(account, next.transactions), `${user} step ${step} ${account.subtype}`).toBeCloseTo(booked(before, previous.transactions) + sum(newlyPosted.map(inAccount)), 2)
        }
        previous = next
      }
    }
  })

  it('balance is the booked balance plus pending movements; closingBalance excludes them', () => {
    const d = snapshot()
    for (const account of d.accounts) {
      const pending = d.transactions.filter((t) => t.accountProviderId === account.providerId && t.status === 'PENDING')
      expect(account.balance).toBeCloseTo(account.bankData!.closingBalance! + sum(pending.map(inAccount)), 2)
      if (account.subtype !== 'CHECKING_ACCOUNT') continue
      // The execution's own batch is pending on the checking account: the two balances differ.
      expect(pending.length).toBeGreaterThan(0)
      expect(account.balance).not.toBe(account.bankData!.closingBalance)
    }
  })

  it('every transaction carries the running balance after it, the newest one the account’s balance', () => {
    const d = snapshot({ user: 'user-a', generation: 4 })
    for (const account of [...d.accounts, ...d.creditCards]) {
      const mine = d.transactions.filter((t) => t.accountProviderId === account.providerId)
      if (mine.length === 0) continue
      expect(mine[0].balance).toBe(account.balance)
      for (let i = 0; i + 1 < mine.length; i++) expect(mine[i].balance!).toBeCloseTo(mine[i + 1].balance! + inAccount(mine[i]), 2)
    }
  })

  it('the card follows the reference’s convention: purchases positive, payments negative, the debt positive', () => {
    const d = snapshot()
    const card = d.transactions.filter((t) => t.accountProviderId === d.creditCards[0].providerId)
    expect(card.filter((t) => t.type === 'DEBIT').every((t) => t.amount > 0)).toBe(true)
    expect(card.some((t) => t.type === 'CREDIT' && t.amount < 0 && /PAGAMENTO/.test(t.description))).toBe(true)
    const credit = d.creditCards[0].creditData!
    expect(d.creditCards[0].balance).toBeGreaterThan(0)
    expect(credit.availableCreditLimit).toBeCloseTo(credit.creditLimit! - d.creditCards[0].balance, 2)
  })
})

describe('credit-card bills', () => {
  const d = snapshot({ user: 'user-b', now: new Date('2026-07-20T12:00:00Z') })
  const [card] = d.creditCards
  const bills = card.bills!
  const cardTransactions = d.transactions.filter((t) => t.accountProviderId === card.providerId)

  it('every bill a transaction names exists; posted purchases of closed cycles name theirs; pending ones only forecast', () => {
    const ids = new Set(bills.map((b) => b.providerId))
    for (const t of cardTransactions) {
      const billId = t.creditCardMetadata?.billId
      if (billId) expect(ids.has(billId), billId).toBe(true)
      if (t.status === 'PENDING') expect(billId).toBeUndefined()
    }
    expect(cardTransactions.filter((t) => t.creditCardMetadata?.billId).length).toBeGreaterThan(5)
    expect(cardTransactions.every((t) => /^\d{4}-\d{2}$/.test(t.creditCardMetadata?.billForecastDate ?? '') || t.description.includes('PRE-AUTORIZACAO'))).toBe(true)
  })

  it('a bill’s total is what its cycle charged: purchases, fee and IOF; paid in full on its business-day due date', () => {
    const newest = bills[0]
    const charged = cardTransactions.filter((t) => t.creditCardMetadata?.billId === newest.providerId && t.type === 'DEBIT')
    expect(newest.totalAmount).toBeCloseTo(sum(charged.map(inAccount)), 2)
    for (const bill of bills) {
      expect(isBusinessDay(dayNumber(new Date(bill.dueDate)))).toBe(true)
      expect(bill.minimumPaymentAmount).toBeCloseTo(bill.totalAmount * 0.15, 1)
      const iof = bill.financeCharges!.find((c) => c.type === 'IOF')
      if (iof) expect(cardTransactions.some((t) => t.description.startsWith('IOF') && t.amount === iof.amount)).toBe(true)
      if (Date.parse(bill.dueDate) > Date.parse('2026-07-20')) continue
      expect(bill.payments).toEqual([expect.objectContaining({ valueType: 'FULL_PAYMENT', amount: bill.totalAmount, paymentMode: 'DEBIT_ACCOUNT', paymentDate: bill.dueDate })])
      const debit = d.transactions.find((t) => t.accountProviderId === d.accounts[0].providerId && t.date === bill.dueDate && t.amount === -bill.totalAmount)
      if (Date.parse(bill.dueDate) > Date.parse('2026-07-20') - 89 * DAY) expect(debit, bill.providerId).toBeDefined()
    }
    expect(isBusinessDay(dayNumber(new Date(card.creditData!.balanceDueDate!)))).toBe(true)
    expect(card.creditData!.balanceCloseDate).toMatch(/T00:00:00\.000Z$/)
  })
})

describe('each sync of an item brings the institution’s newest movements, also on the same day', () => {
  it('a second sync the same day sees new transactions and posts the previous sync’s pending ones', () => {
    const first = snapshot({ generation: 1 })
    const second = snapshot({ generation: 2 })
    const before = new Map(first.transactions.map((t) => [t.providerId, t]))
    const created = second.transactions.filter((t) => !before.has(t.providerId))
    expect(created.length).toBeGreaterThan(0)
    expect(created.every((t) => t.status === 'PENDING')).toBe(true)
    const posted = second.transactions.filter((t) => before.get(t.providerId)?.status === 'PENDING' && t.status === 'POSTED')
    expect(posted.map((t) => t.providerId)).toEqual([expect.stringContaining('-live-1-')])
    expect(createSandboxData({ user: 'user-ok', now: NOW, generation: 2 }).transactions()).toEqual(second.transactions)
  })

  it('a batch is dated on the day of the execution that first saw it, and keeps that date', () => {
    const day = (offset: number) => new Date(NOW.getTime() + offset * DAY)
    const live = (d: ReturnType<typeof snapshot>) => new Map(d.transactions.filter((t) => t.providerId!.includes('-live-')).map((t) => [t.providerId, t.date]))
    // Created, synced again six days later, then twice more that day; then a week passes.
    const third = live(snapshot({ now: day(6), generation: 3, executionStarts: [day(0), day(6), day(6)] }))
    expect([...third.values()]).toEqual([day(6), day(6), day(0)].map((d) => `${d.toISOString().slice(0, 10)}T00:00:00.000Z`))
    const later = live(snapshot({ now: day(13), generation: 5, executionStarts: [day(0), day(6), day(6), day(7), day(13)] }))
    for (const [id, date] of third) expect(later.get(id)).toBe(date)
  })

  it('now and then a pending hold disappears at the next sync (every third one holds an amount on the card)', () => {
    const hold = snapshot({ generation: HOLD_EVERY })
    const after = snapshot({ generation: HOLD_EVERY + 1 })
    const holds = hold.transactions.filter((t) => t.providerId!.includes('-hold-'))
    expect(holds).toHaveLength(1)
    expect(holds[0]).toMatchObject({ status: 'PENDING', type: 'DEBIT' })
    const ids = new Set(after.transactions.map((t) => t.providerId))
    expect(ids.has(holds[0].providerId)).toBe(false)
    // Still inside the card's window: a merge deletes it.
    expect(Date.parse(holds[0].date)).toBeGreaterThan(Math.min(...after.transactions.filter((t) => t.accountProviderId === holds[0].accountProviderId).map((t) => Date.parse(t.date))))
  })
})

describe('the data problems consumers met, fixed', () => {
  const many = ['user-ok', 'user-a', 'user-b', 'user-c', 'user-ok-perf-4'].map((user) => snapshot({ user, transactionMultiplier: user.endsWith('-4') ? 4 : 1 }))
  const transactions = many.flatMap((d) => d.transactions)

  it('boletos carry their metadata, with a line and bar code whose check digits hold', () => {
    const boletos = transactions.filter((t) => t.paymentData?.paymentMethod === 'BOLETO')
    expect(boletos.length).toBeGreaterThan(0)
    for (const t of boletos) {
      const { digitableLine, barcode, baseAmount } = t.paymentData!.boletoMetadata!
      expect(baseAmount).toBe(-t.amount)
      expect(Number(barcode![4])).toBe(barcodeCheckDigit(barcode!.slice(0, 4) + barcode!.slice(5)))
      expect(Number(digitableLine![9])).toBe(mod10(digitableLine!.slice(0, 9)))
      expect(t.paymentData!.referenceNumber).toBe(digitableLine)
    }
  })

  it('a PIX end-to-end id names the payer’s institution; its reason is text or absent, never null', () => {
    const pix = transactions.filter((t) => t.paymentData?.paymentMethod === 'PIX')
    expect(pix.some((t) => t.type === 'CREDIT')).toBe(true)
    for (const t of pix) {
      expect(t.paymentData!.referenceNumber!.slice(1, 9)).toBe(t.paymentData!.payer!.routingNumberISPB)
      expect(t.paymentData!.reason === undefined || typeof t.paymentData!.reason === 'string').toBe(true)
    }
  })

  it('every CNPJ and CPF has valid check digits', () => {
    const json = JSON.stringify(many)
    for (const cnpj of json.match(/\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}/g)!) expect(isValidCnpj(cnpj), cnpj).toBe(true)
    for (const cpf of json.match(/\d{3}\.\d{3}\.\d{3}-\d{2}/g)!) expect(isValidCpf(cpf), cpf).toBe(true)
  })

  it('accounts: reserved balances on checking; investments: the original amount apart from today’s; no INTEREST movement', () => {
    for (const d of many) {
      expect(d.accounts[0].bankData).toMatchObject({ hasReservedBalance: true, reservedBalances: [expect.objectContaining({ availableAmounts: [expect.objectContaining({ currencyCode: 'BRL' })] })] })
      for (const i of d.investments) {
        expect(i.balance).toBeCloseTo(i.amount! - i.taxes!, 2)
        expect(i.amountProfit).toBeCloseTo(i.amount! - i.amountOriginal!, 2)
      }
      expect(d.investmentTransactions.every((m) => ['BUY', 'SELL', 'TAX', 'TRANSFER'].includes(m.type!))).toBe(true)
    }
  })

  it('identity: no CPF as tax number, documents on relations, a woman as mother, a complement on the address, the city’s area code', () => {
    for (const d of many) {
      const identity = d.identity
      expect(identity.taxNumber).toBeNull()
      const mother = identity.relations!.find((r) => r.type === 'Mother')!
      expect(FEMALE_FIRST_NAMES).toContain(mother.name!.split(' ')[0])
      for (const relation of identity.relations!) expect(isValidCpf(relation.document!)).toBe(true)
      const [address] = identity.addresses!
      expect(address.additionalInfo).toBeTruthy()
      const place = PLACES.find((p) => p.city === address.city)!
      expect(identity.phoneNumbers![0]).toMatchObject({ areaCode: place.areaCode, value: expect.stringContaining(` ${place.areaCode} `) })
    }
    expect(new Set(many.map((d) => d.identity.phoneNumbers![0].areaCode)).size).toBeGreaterThan(1)
  })
})
