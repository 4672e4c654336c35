/**
 * The sandbox institution's books for one user: every movement of the checking, savings and
 * card accounts since they were opened, the balances they leave, and what the institution shows
 * of them (the last HISTORY_DAYS days, with a running balance on each).
 *
 * Money adds up: an account's booked balance is its opening balance plus every posted movement
 * (so a later day or a later execution moves it by exactly the movements that posted); its
 * available balance adds the pending ones; each shown transaction's running balance is the
 * available balance after it, in date order. On the card, amounts follow the reference's
 * convention — a purchase is positive, a payment negative — so the same sums give the debt.
 *
 * Movements: the slots (transactions.ts), the card's fees, IOF and bill payments (card-cycles.ts),
 * the salary (payroll.ts), the loan installments (loans.ts) and the live batches of the item's
 * executions (live-activity.ts).
 */
import type { CollectedCreditCardBill, CollectedTransaction } from '../../sdk/index.ts'
import { dayOf } from './calendar.ts'
import { billIdOf, billOf, cycleCloseOf, dueDayOf, feeTransaction, iofOf, iofTransaction, monthOf, paymentTransactions, annualFeeInstallment, type CycleCharges } from './card-cycles.ts'
import { liveHold, liveMovement } from './live-activity.ts'
import { contractsOf, installmentTransaction } from './loans.ts'
import { paydays, salaryOf, salaryTransaction } from './payroll.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'
import { HISTORY_DAYS, PENDING_DAYS, isCancelledSlot, isSlot } from './transaction-schedule.ts'
import { buildSlot, draftSlot, type AccountKey } from './transactions.ts'

export interface Balances {
  /** Opening balance plus posted movements: the bank's closing balance; the card's billed debt. */
  booked: number
  /** Booked plus pending movements: what can be spent; the card's whole debt. */
  available: number
}

export interface OpenCycle {
  close: number
  due: number
  /** What the open cycle charged so far, in reais. */
  charged: number
  /** Of it, bought abroad, in dollars. */
  foreignUsd: number
}

export interface Ledger {
  /** What the institution shows: the last HISTORY_DAYS days, newest first, each with its running balance. */
  transactions: CollectedTransaction[]
  balances: Record<AccountKey, Balances>
  /** The closed bills whose cycles the shown days reach, newest first. */
  bills: CollectedCreditCardBill[]
  openCycle: OpenCycle
}

/** A movement shown by the institution, before its running balance is known. */
interface Shown {
  account: AccountKey
  day: number
  /** Order within a day: slots, then scheduled movements, then the live batches. */
  order: number
  amount: number
  build: (balance: number) => CollectedTransaction
}

/** The day the user's accounts were opened (fixed per user, at least five months before today) and their opening balances. */
export function accountOpening(user: SandboxUser): { day: number; checking: number; savings: number } {
  const rng = user.rng('accountOpening')
  const fixed = dayOf(2023, 7, 1) + rng.int(0, 300)
  return { day: Math.min(fixed, user.today - HISTORY_DAYS - 60), checking: rng.money(1_500, 25_000), savings: rng.money(3_000, 60_000) }
}

export function buildLedger(user: SandboxUser): Ledger {
  const today = user.today
  const windowStart = today - HISTORY_DAYS + 1
  const opening = accountOpening(user)
  const booked: Record<AccountKey, number> = { checking: opening.checking, savings: opening.savings, card: 0 }
  const pending: Record<AccountKey, number> = { checking: 0, savings: 0, card: 0 }
  const shown: Shown[] = []
  const cycles = new Map<number, CycleCharges>()
  const cycleOf = (close: number) => {
    let cycle = cycles.get(close)
    if (!cycle) cycles.set(close, (cycle = { close, purchases: 0, foreign: 0, fee: 0 }))
    return cycle
  }
  const isPending = (day: number) => today - day < PENDING_DAYS
  /** A movement of `day`: history before the window, shown inside it. */
  const record = (account: AccountKey, day: number, order: number, amount: number, isPendingNow: boolean, build: (status: 'PENDING' | 'POSTED', balance: number) => CollectedTransaction) => {
    if (isPendingNow) pending[account] += amount
    else booked[account] += amount
    if (day >= windowStart) shown.push({ account, day, order, amount, build: (balance) => build(isPendingNow ? 'PENDING' : 'POSTED', balance) })
  }
  const cardLink = (day: number, status: 'PENDING' | 'POSTED') => {
    const close = cycleCloseOf(user, day)
    return { billId: status === 'POSTED' && close < today ? billIdOf(user, close) : null, forecast: monthOf(user, close) }
  }

  // Slots: years of them drafted for the balances (the old part kept between days), the window built.
  const checkpoint = opening.day + Math.floor((windowStart - opening.day) / HISTORY_STEP) * HISTORY_STEP
  const before = slotHistory(user, opening.day, checkpoint)
  for (const account of ['checking', 'savings', 'card'] as const) booked[account] += before.sums[account]
  for (const [close, charges] of before.cycles) Object.assign(cycleOf(close), { purchases: charges.purchases, foreign: charges.foreign })
  const openClose = cycleCloseOf(user, today)
  let openUsd = 0
  for (let day = checkpoint; day <= today; day++) {
    if (!isSlot(day)) continue
    const cancelled = isCancelledSlot(day)
    // A cancelled slot shows while pending and is gone once it would have posted.
    if (cancelled && !isPending(day)) continue
    for (let index = 0; index < user.transactionMultiplier; index++) {
      const draft = draftSlot(user, day, index)
      if (draft.account === 'card' && !cancelled) addPurchase(cycleOf(cycleCloseOf(user, day)), draft.amount, draft.usd)
      if (draft.usd !== undefined && cycleCloseOf(user, day) === openClose) openUsd += draft.usd
      record(draft.account, day, index, draft.amount, isPending(day), (status, balance) => buildSlot(user, draft, status, draft.account === 'card' ? cardLink(day, status) : null, balance))
    }
  }

  // The card's cycles since the accounts were opened: fee, IOF and the bill's payment.
  const fee = annualFeeInstallment(user)
  const bills: CollectedCreditCardBill[] = []
  let start = opening.day
  for (let close = cycleCloseOf(user, opening.day); start <= today; start = close + 1, close = cycleCloseOf(user, close + 1)) {
    const cycle = cycleOf(close)
    cycle.fee = fee
    const feeDay = start
    const feeLine = feeTransaction(user, cycle, feeDay)
    record('card', feeDay, 1e6, fee, isPending(feeDay), (status, balance) => ({
      ...feeLine,
      status,
      balance,
      creditCardMetadata: { ...feeLine.creditCardMetadata, ...linkFields(cardLink(feeDay, status)) },
    }))
    if (close >= today) break
    if (iofOf(cycle) > 0) {
      const iofLine = iofTransaction(user, cycle)
      record('card', close, 1e6 + 1, iofLine.amount, isPending(close), (status, balance) => ({
        ...iofLine,
        status,
        balance,
        creditCardMetadata: { ...iofLine.creditCardMetadata, ...linkFields(cardLink(close, status)) },
      }))
    }
    if (close >= windowStart - 40) bills.unshift(billOf(user, cycle, today))
    const due = dueDayOf(close)
    if (due > today) continue
    const payment = paymentTransactions(user, cycle)
    record('card', due, 1e6 + 2, payment.card.amount, isPending(due), (status, balance) => ({
      ...payment.card,
      status,
      balance,
      creditCardMetadata: { ...payment.card.creditCardMetadata, ...linkFields(cardLink(due, status)) },
    }))
    record('checking', due, 1e6 + 2, payment.checking.amount, isPending(due), (status, balance) => ({ ...payment.checking, status, balance }))
  }

  // The salary, and the loan installments it pays.
  for (const day of paydays(opening.day, today)) {
    const line = salaryTransaction(user, day, salaryOf(user, day), day)
    record('checking', day, 1e6 + 4, line.amount, isPending(day), (status, balance) => ({ ...line, status, balance }))
  }
  for (const contract of contractsOf(user)) {
    contract.dueDays.forEach((day, k) => {
      if (day > today || day < opening.day) return
      const line = installmentTransaction(user, contract, k + 1)
      record('checking', day, 1e6 + 3, line.amount, isPending(day), (status, balance) => ({ ...line, status, balance }))
    })
  }

  // The live batches of the item's executions; the newest one pending.
  for (let generation = 1; generation <= user.generation; generation++) {
    for (let index = 0; index < user.transactionMultiplier; index++) {
      const live = liveMovement(user, generation, index)
      record('checking', live.day, 2e6 + generation * 10_000 + index, live.amount, !live.posted, live.build)
    }
  }
  for (let index = 0; index < user.transactionMultiplier; index++) {
    const hold = liveHold(user, index)
    if (hold) record('card', today, 3e6 + index, hold.amount, true, (_status, balance) => ({ ...hold, balance }))
  }

  const open = cycleOf(openClose)
  const balances = {} as Record<AccountKey, Balances>
  for (const account of ['checking', 'savings', 'card'] as const) {
    balances[account] = { booked: round2(booked[account]), available: round2(booked[account] + pending[account]) }
  }
  return {
    transactions: withRunningBalances(shown, balances),
    balances,
    bills,
    openCycle: { close: open.close, due: dueDayOf(open.close), charged: round2(open.purchases + open.fee), foreignUsd: round2(openUsd) },
  }
}

function addPurchase(cycle: CycleCharges, amount: number, usd: number | undefined): void {
  cycle.purchases = round2(cycle.purchases + amount)
  if (usd !== undefined) cycle.foreign = round2(cycle.foreign + amount)
}

function linkFields(link: { billId: string | null; forecast: string }) {
  return { ...(link.billId ? { billId: link.billId } : {}), billForecastDate: link.forecast }
}

/** The shown transactions, newest first, each with the available balance after it in date order. */
function withRunningBalances(shown: Shown[], balances: Record<AccountKey, Balances>): CollectedTransaction[] {
  shown.sort((a, b) => b.day - a.day || b.order - a.order)
  const after: Record<AccountKey, number> = { checking: balances.checking.available, savings: balances.savings.available, card: balances.card.available }
  return shown.map((s) => {
    const balance = round2(after[s.account])
    after[s.account] -= s.amount
    return s.build(balance)
  })
}

interface SlotHistory {
  sums: Record<AccountKey, number>
  cycles: Map<number, { purchases: number; foreign: number }>
}

/** Slot histories are kept in steps of this many days: each day's build drafts at most one step more. */
const HISTORY_STEP = 30
/** Slot histories kept: their days are long past, and drafting years of slots for a large multiplier costs. */
const histories = new Map<string, SlotHistory>()

/**
 * Every slot of [from, until) (all posted: the window starts after it), summed per account and per
 * card cycle. Built step by step on the kept history of [from, until − HISTORY_STEP).
 */
function slotHistory(user: SandboxUser, from: number, until: number): SlotHistory {
  const key = `${user.seed}|${user.transactionMultiplier}|${from}|${until}`
  let history = histories.get(key)
  if (history) return history
  const start = Math.max(from, until - HISTORY_STEP)
  const previous = start > from ? slotHistory(user, from, start) : undefined
  history = { sums: { ...(previous?.sums ?? { checking: 0, savings: 0, card: 0 }) }, cycles: new Map([...(previous?.cycles ?? [])].map(([close, c]) => [close, { ...c }])) }
  for (let day = start; day < until; day++) {
    if (!isSlot(day) || isCancelledSlot(day)) continue
    for (let index = 0; index < user.transactionMultiplier; index++) {
      const draft = draftSlot(user, day, index)
      history.sums[draft.account] += draft.amount
      if (draft.account !== 'card') continue
      const close = cycleCloseOf(user, day)
      let cycle = history.cycles.get(close)
      if (!cycle) history.cycles.set(close, (cycle = { purchases: 0, foreign: 0 }))
      cycle.purchases = round2(cycle.purchases + draft.amount)
      if (draft.usd !== undefined) cycle.foreign = round2(cycle.foreign + draft.amount)
    }
  }
  if (histories.size >= 256) histories.delete(histories.keys().next().value!)
  histories.set(key, history)
  return history
}
