/**
 * What the user did in each booked slot (see transaction-schedule.ts): a card purchase (at home
 * or abroad), a debit-card purchase, a PIX, a TED received, a bill paid by boleto, or savings
 * interest. (The salary is monthly: payroll.ts.)
 *
 * A slot's record is drafted first — its kind, account and amount, every random draw made — and
 * built into a transaction only when the institution shows it: the ledger (ledger.ts) drafts
 * years of slots to know the balances, and builds the last 90 days.
 *
 * Sign convention (the reference's): on the bank accounts money in is positive and money out
 * negative; on the credit card a purchase (DEBIT) is positive — it adds to what is owed.
 */
import type { CollectedTransaction, CreditCardMetadata, PaymentData, PaymentParticipant } from '../../sdk/index.ts'
import { businessDayOnOrAfter } from './calendar.ts'
import { BILLERS, FOREIGN_MERCHANTS, MERCHANTS, PIX_REASONS, SANDBOX_BANK_ISPB, USD_BRL, type MerchantFixture } from './fixtures.ts'
import { round2 } from './money.ts'
import { boleto, pixEndToEndId } from './payment-references.ts'
import type { Rng } from './random-source.ts'
import type { SandboxUser } from './sandbox-user.ts'

export type AccountKey = 'checking' | 'savings' | 'card'

/** A slot's record before it is built: what the ledger needs to know its balances. */
export interface SlotDraft {
  day: number
  index: number
  account: AccountKey
  /** In the account's currency, with the account's sign convention. */
  amount: number
  kind: 'card' | 'foreign-card' | 'debit' | 'pix' | 'ted' | 'boleto' | 'interest'
  rng: Rng
  merchant?: MerchantFixture
  foreign?: (typeof FOREIGN_MERCHANTS)[number]
  /** For a foreign purchase: its amount in dollars. */
  usd?: number
  installments?: { number: number; total: number }
  contact?: PaymentParticipant
  biller?: (typeof BILLERS)[number]
}

/** The `index`th record of a slot, every draw made; build it with {@link buildSlot}. */
export function draftSlot(user: SandboxUser, day: number, index: number): SlotDraft {
  // Object literals only, one shape: the ledger drafts years of slots, and a spread costs here
  // about twenty times a literal (measured).
  const rng = user.rng('transactions', day, index)
  const draft: SlotDraft = {
    day,
    index,
    account: 'checking',
    amount: 0,
    kind: 'debit',
    rng,
    merchant: undefined,
    foreign: undefined,
    usd: undefined,
    installments: undefined,
    contact: undefined,
    biller: undefined,
  }
  const roll = rng.next()
  if (roll < 0.33) {
    draft.kind = 'card'
    draft.account = 'card'
    draft.merchant = rng.pick(MERCHANTS)
    const total = rng.chance(0.3) ? rng.int(2, 10) : 1
    draft.installments = { number: total > 1 ? rng.int(1, total) : 1, total }
    draft.amount = rng.money(12, 650)
  } else if (roll < 0.36) {
    draft.kind = 'foreign-card'
    draft.account = 'card'
    draft.foreign = rng.pick(FOREIGN_MERCHANTS)
    draft.usd = rng.money(3, 60)
    draft.amount = round2(draft.usd * USD_BRL)
  } else if (roll < 0.5) {
    draft.amount = -rng.money(8, 350)
    draft.merchant = rng.pick(MERCHANTS)
  } else if (roll < 0.8) {
    draft.kind = 'pix'
    const outgoing = rng.chance(0.6)
    draft.contact = rng.pick(user.profile.contacts)
    const amount = rng.money(15, 900)
    draft.amount = outgoing ? -amount : amount
  } else if (roll < 0.88) {
    draft.kind = 'ted'
    draft.amount = rng.money(100, 1_500)
    draft.contact = rng.pick(user.profile.contacts)
  } else if (roll < 0.95) {
    draft.kind = 'boleto'
    draft.amount = -rng.money(60, 480)
    draft.biller = rng.pick(BILLERS)
  } else {
    draft.kind = 'interest'
    draft.account = 'savings'
    draft.amount = rng.money(5, 120)
  }
  return draft
}

/** Where a card transaction stands with its bill: the bill's id once it is charged, else the bill it is expected on. */
export interface BillLink {
  billId: string | null
  /** `YYYY-MM` of the bill's closing. */
  forecast: string
}

/** A transaction as the institution shows it, before its kind's own fields. */
interface Shell {
  providerId: string
  accountProviderId: string
  date: string
  status: 'PENDING' | 'POSTED'
  balance: number
}

/** The transaction a draft becomes, as the institution shows it today, with its running balance. */
export function buildSlot(user: SandboxUser, draft: SlotDraft, status: 'PENDING' | 'POSTED', bill: BillLink | null, balance: number): CollectedTransaction {
  const { day, rng } = draft
  const date = user.iso(day)
  const p = user.profile
  const shell: Shell = {
    providerId: `${user.idPrefix}-tx-${day}-${draft.index}`,
    accountProviderId: draft.account === 'card' ? user.creditCardId : draft.account === 'savings' ? user.savingsId : user.checkingId,
    date,
    status,
    balance,
  }
  switch (draft.kind) {
    case 'card': {
      const merchant = draft.merchant!
      const { number, total } = draft.installments!
      const description = total > 1 ? `${merchant.description} ${number}/${total}` : merchant.description
      const creditCardMetadata = linked(
        {
          installmentNumber: number,
          totalInstallments: total,
          totalAmount: round2(draft.amount * total),
          purchaseDate: user.iso(day - (number - 1) * 30),
          payeeMCC: merchant.mcc,
          cardNumber: p.cardLast4,
        },
        bill,
      )
      return transaction(shell, description, `${description} BR`, 'BRL', draft.amount, 'DEBIT', 'OUTROS', { creditCardMetadata, merchant: merchant.record })
    }
    case 'foreign-card': {
      const foreign = draft.foreign!
      const usd = draft.usd!
      const creditCardMetadata = linked({ installmentNumber: 1, totalInstallments: 1, totalAmount: usd, purchaseDate: date, payeeMCC: foreign.mcc, cardNumber: p.cardLast4 }, bill)
      return transaction(shell, foreign.description, `${foreign.description} US`, 'USD', usd, 'DEBIT', 'OUTROS', { amountInAccountCurrency: draft.amount, creditCardMetadata })
    }
    case 'debit': {
      const merchant = draft.merchant!
      return transaction(shell, `COMPRA CARTAO DEBITO ${merchant.description}`, `COMPRA CARTAO DEB ${merchant.description}`, 'BRL', draft.amount, 'DEBIT', 'OUTROS', {
        operationTypeAdditionalInfo: 'COMPRA COM CARTAO DE DEBITO',
        merchant: merchant.record,
      })
    }
    case 'pix':
      return pixTransfer(user, rng, shell, draft.amount, draft.contact!)
    case 'ted': {
      const other = draft.contact!
      const name = (other.name ?? '').toUpperCase()
      const paymentData: PaymentData = { payer: other, receiver: p.self, paymentMethod: 'TED', referenceNumber: rng.digits(9) }
      return transaction(shell, `TED RECEBIDA ${name}`, `TED REC ${name}`, 'BRL', draft.amount, 'CREDIT', 'TED', { paymentData })
    }
    case 'boleto': {
      const biller = draft.biller!
      // The slip is due a few days after it is paid; its base amount is what was paid.
      const slip = boleto(rng, biller.bankCode, businessDayOnOrAfter(day + rng.int(0, 5)), -draft.amount)
      const paymentData: PaymentData = {
        payer: { name: user.holderName, documentNumber: { type: p.company ? 'CNPJ' : 'CPF', value: user.holderDocument } },
        receiver: { name: biller.name, documentNumber: { type: 'CNPJ', value: biller.cnpj } },
        paymentMethod: 'BOLETO',
        referenceNumber: slip.digitableLine,
        boletoMetadata: { digitableLine: slip.digitableLine, barcode: slip.barcode, baseAmount: -draft.amount, penaltyAmount: 0, interestAmount: 0, discountAmount: 0 },
      }
      return transaction(shell, biller.description, `${biller.description} ${rng.digits(6)}`, 'BRL', draft.amount, 'DEBIT', 'BOLETO', { paymentData })
    }
    case 'interest':
      return transaction(shell, 'RENDIMENTO POUPANCA', 'REND POUP', 'BRL', draft.amount, 'CREDIT', 'OUTROS', {
        operationTypeAdditionalInfo: 'RENDIMENTO',
        // The bank classifies its own interest.
        category: 'Proceeds interests and dividends',
        categoryId: '03060000',
      })
  }
}

/** A card transaction's metadata with its bill: the bill's id once charged, the bill it is expected on always. */
function linked(metadata: CreditCardMetadata, bill: BillLink | null): CreditCardMetadata {
  if (bill?.billId) metadata.billId = bill.billId
  if (bill) metadata.billForecastDate = bill.forecast
  return metadata
}

/** The transaction, from its shell and its fields (the object assembled once, without spreads). */
function transaction(
  shell: Shell,
  description: string,
  descriptionRaw: string,
  currencyCode: string,
  amount: number,
  type: 'DEBIT' | 'CREDIT',
  operationType: string,
  extra: Partial<CollectedTransaction>,
): CollectedTransaction {
  return Object.assign(
    {
      providerId: shell.providerId,
      accountProviderId: shell.accountProviderId,
      date: shell.date,
      description,
      descriptionRaw,
      currencyCode,
      amount,
      balance: shell.balance,
      status: shell.status,
      type,
      operationType,
    },
    extra,
  )
}

/**
 * A PIX sent to or received from a contact. The end-to-end id names the payer's institution; a
 * transfer that paid a merchant's QR code carries the receiver's reference.
 */
export function pixTransfer(user: SandboxUser, rng: Rng, shell: Shell, amount: number, other: PaymentParticipant): CollectedTransaction {
  const outgoing = amount < 0
  const me = user.profile.self
  const paymentData: PaymentData = {
    payer: outgoing ? me : other,
    receiver: outgoing ? other : me,
    paymentMethod: 'PIX',
    referenceNumber: pixEndToEndId(rng, shell.date, outgoing ? SANDBOX_BANK_ISPB : (other.routingNumberISPB ?? SANDBOX_BANK_ISPB)),
  }
  if (rng.chance(0.6)) paymentData.reason = rng.pick(PIX_REASONS)
  if (outgoing && rng.chance(0.2)) paymentData.receiverReferenceId = `PEDIDO${rng.digits(8)}`
  const name = (other.name ?? '').toUpperCase()
  return transaction(shell, outgoing ? `PIX ENVIADO ${name}` : `PIX RECEBIDO ${name}`, outgoing ? `PIX TRANSF ${name}` : `PIX REC ${name}`, 'BRL', amount, outgoing ? 'DEBIT' : 'CREDIT', 'PIX', {
    paymentData,
  })
}
