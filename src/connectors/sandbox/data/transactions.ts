/**
 * The TRANSACTIONS product: what the user did in each booked slot (see transaction-schedule.ts),
 * across the checking, savings and credit-card accounts.
 *
 * Sign convention: `amount` is negative for `DEBIT` and positive for `CREDIT`, on bank and
 * credit-card accounts alike.
 */
import type { CollectedTransaction, PaymentData } from '../../sdk/index.ts'
import { billIdOfDay } from './credit-cards.ts'
import { BILLERS, MERCHANTS, PIX_REASONS } from './fixtures.ts'
import { round2 } from './money.ts'
import { boletoLine, pixEndToEndId } from './payment-references.ts'
import type { SandboxUser } from './sandbox-user.ts'
import { bookedSlots } from './transaction-schedule.ts'

/** A slot with what its transactions share: the ISO date and the card bill purchases fall in. */
interface Slot {
  day: number
  date: string
  pending: boolean
  billId: string
}

/**
 * Transactions of the last HISTORY_DAYS days (today included), newest first.
 * `accountProviderIds`, when given, keeps only transactions of those accounts.
 */
export function generateTransactions(user: SandboxUser, accountProviderIds?: ReadonlySet<string>): CollectedTransaction[] {
  const out: CollectedTransaction[] = []
  for (const { day, pending } of bookedSlots(user.today)) {
    const slot: Slot = { day, date: user.iso(day), pending, billId: billIdOfDay(user, day) }
    for (let index = 0; index < user.transactionMultiplier; index++) {
      const tx = transaction(user, slot, index)
      if (accountProviderIds && !accountProviderIds.has(tx.accountProviderId)) continue
      out.push(tx)
    }
  }
  return out
}

/** The `index`th transaction of a slot: a card purchase, a debit purchase, a PIX, a salary, a bill or interest. */
function transaction(user: SandboxUser, slot: Slot, index: number): CollectedTransaction {
  const { day, date, pending } = slot
  const rng = user.rng('transactions', day, index)
  const p = user.profile
  const providerId = `${user.idPrefix}-tx-${day}-${index}`
  const status = pending ? 'PENDING' : 'POSTED'
  const roll = rng.next()
  if (roll < 0.36) {
    // Credit-card purchase, sometimes in installments.
    const merchant = rng.pick(MERCHANTS)
    const totalInstallments = rng.chance(0.3) ? rng.int(2, 10) : 1
    const installmentNumber = totalInstallments > 1 ? rng.int(1, totalInstallments) : 1
    const installmentAmount = rng.money(12, 650)
    const description = totalInstallments > 1 ? `${merchant.description} ${installmentNumber}/${totalInstallments}` : merchant.description
    return {
      providerId,
      accountProviderId: user.creditCardId,
      date,
      description,
      descriptionRaw: `${description} BR`,
      currencyCode: 'BRL',
      amount: -installmentAmount,
      category: merchant.record.category,
      status,
      type: 'DEBIT',
      creditCardMetadata: {
        installmentNumber,
        totalInstallments,
        totalAmount: round2(installmentAmount * totalInstallments),
        purchaseDate: user.iso(day - (installmentNumber - 1) * 30),
        payeeMCC: merchant.mcc,
        cardNumber: p.cardLast4,
        billId: slot.billId,
      },
      merchant: merchant.record,
    }
  }
  if (roll < 0.5) {
    // Debit-card purchase on the checking account.
    const merchant = rng.pick(MERCHANTS)
    return {
      providerId,
      accountProviderId: user.checkingId,
      date,
      description: `COMPRA CARTAO DEBITO ${merchant.description}`,
      descriptionRaw: `COMPRA CARTAO DEB ${merchant.description}`,
      currencyCode: 'BRL',
      amount: -rng.money(8, 350),
      category: merchant.record.category,
      status,
      type: 'DEBIT',
      merchant: merchant.record,
    }
  }
  if (roll < 0.8) {
    // PIX sent or received.
    const outgoing = rng.chance(0.6)
    const other = rng.pick(p.contacts)
    const me = p.self
    const paymentData: PaymentData = {
      payer: outgoing ? me : other,
      receiver: outgoing ? other : me,
      paymentMethod: 'PIX',
      referenceNumber: pixEndToEndId(rng, date),
      reason: rng.pick(PIX_REASONS),
    }
    const name = (other.name ?? '').toUpperCase()
    return {
      providerId,
      accountProviderId: user.checkingId,
      date,
      description: outgoing ? `PIX ENVIADO ${name}` : `PIX RECEBIDO ${name}`,
      descriptionRaw: outgoing ? `PIX TRANSF ${name}` : `PIX REC ${name}`,
      currencyCode: 'BRL',
      amount: outgoing ? -rng.money(15, 900) : rng.money(15, 900),
      category: 'Transfer - PIX',
      status,
      type: outgoing ? 'DEBIT' : 'CREDIT',
      paymentData,
    }
  }
  if (roll < 0.88) {
    // Salary by TED from the employer.
    const employer = p.employer
    const paymentData: PaymentData = {
      payer: p.employerAccount,
      receiver: p.self,
      paymentMethod: 'TED',
      referenceNumber: rng.digits(9),
      reason: 'Salário',
    }
    return {
      providerId,
      accountProviderId: user.checkingId,
      date,
      description: `TED RECEBIDA ${employer.name.toUpperCase()}`,
      descriptionRaw: `TED REC ${employer.cnpj}`,
      currencyCode: 'BRL',
      amount: rng.money(2_500, 9_500),
      category: 'Salary',
      status,
      type: 'CREDIT',
      paymentData,
    }
  }
  if (roll < 0.95) {
    // A bill paid by boleto.
    const biller = rng.pick(BILLERS)
    return {
      providerId,
      accountProviderId: user.checkingId,
      date,
      description: biller.description,
      descriptionRaw: `${biller.description} ${rng.digits(6)}`,
      currencyCode: 'BRL',
      amount: -rng.money(60, 480),
      category: biller.category,
      status,
      type: 'DEBIT',
      paymentData: {
        payer: { name: p.fullName, documentNumber: { type: 'CPF', value: p.cpf } },
        receiver: { name: biller.name, documentNumber: { type: 'CNPJ', value: biller.cnpj } },
        paymentMethod: 'BOLETO',
        referenceNumber: boletoLine(rng),
      },
    }
  }
  // Savings interest.
  return {
    providerId,
    accountProviderId: user.savingsId,
    date,
    description: 'RENDIMENTO POUPANCA',
    descriptionRaw: 'REND POUP',
    currencyCode: 'BRL',
    amount: rng.money(5, 120),
    category: 'Proceeds interests and dividends',
    status,
    type: 'CREDIT',
  }
}
