/**
 * What happened at the institution since the item's previous sync: every execution (generation)
 * brings a batch of new movements on the checking account, pending until the next execution
 * posts them. Every third batch also holds an amount on the card for a pre-authorisation (a fuel
 * pump, a hotel), which disappears at the next execution, when the real purchase replaces it.
 * So a second sync on the same day sees new transactions, some pending ones posted and, now and
 * then, one removed — from the item's own history, not only from the calendar.
 *
 * Batch j is dated on the day the item's j-th execution started (ctx.item.recentExecutionStarts):
 * a batch keeps its date whatever happens later. (Without the history — older executions than it
 * keeps, or data generated outside an execution — the executions are taken to be a day apart.)
 */
import type { CollectedTransaction } from '../../sdk/index.ts'
import { MERCHANTS } from './fixtures.ts'
import type { SandboxUser } from './sandbox-user.ts'
import { pixTransfer } from './transactions.ts'

/** Every HOLD_EVERY-th batch holds an amount on the card. */
export const HOLD_EVERY = 3

export interface LiveDraft {
  generation: number
  index: number
  day: number
  amount: number
  posted: boolean
  build: (status: 'PENDING' | 'POSTED', balance: number) => CollectedTransaction
}

/** The checking-account movement of batch `generation`, `index`th of it (the multiplier makes more). */
export function liveMovement(user: SandboxUser, generation: number, index: number): LiveDraft {
  const rng = user.rng('live', generation, index)
  const day = user.executionDay(generation)
  const shell = (status: 'PENDING' | 'POSTED', balance: number) => ({
    providerId: `${user.idPrefix}-live-${generation}-${index}`,
    accountProviderId: user.checkingId,
    date: user.iso(day),
    status,
    balance,
  })
  const posted = generation < user.generation
  if (rng.chance(0.6)) {
    const contact = rng.pick(user.profile.contacts)
    const amount = rng.chance(0.5) ? -rng.money(10, 400) : rng.money(10, 400)
    return { generation, index, day, amount, posted, build: (status, balance) => pixTransfer(user, rng, shell(status, balance), amount, contact) }
  }
  const merchant = rng.pick(MERCHANTS)
  const amount = -rng.money(5, 200)
  return {
    generation,
    index,
    day,
    amount,
    posted,
    build: (status, balance) => ({
      ...shell(status, balance),
      description: `COMPRA CARTAO DEBITO ${merchant.description}`,
      descriptionRaw: `COMPRA CARTAO DEB ${merchant.description}`,
      currencyCode: 'BRL',
      amount,
      type: 'DEBIT',
      operationType: 'OUTROS',
      operationTypeAdditionalInfo: 'COMPRA COM CARTAO DE DEBITO',
      merchant: merchant.record,
    }),
  }
}

/** The card pre-authorisation of the newest batch, when it has one (pending; gone at the next execution). */
export function liveHold(user: SandboxUser, index: number): Omit<CollectedTransaction, 'balance'> | null {
  const generation = user.generation
  if (generation % HOLD_EVERY !== 0) return null
  const rng = user.rng('live', generation, 1_000_000 + index)
  const merchant = MERCHANTS[2]
  return {
    providerId: `${user.idPrefix}-hold-${generation}-${index}`,
    accountProviderId: user.creditCardId,
    date: user.iso(user.today),
    description: `${merchant.description} PRE-AUTORIZACAO`,
    currencyCode: 'BRL',
    amount: rng.money(50, 300),
    status: 'PENDING',
    type: 'DEBIT',
    operationType: 'OUTROS',
    creditCardMetadata: { payeeMCC: merchant.mcc, cardNumber: user.profile.cardLast4, billForecastDate: null },
    merchant: merchant.record,
  }
}
