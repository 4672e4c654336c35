/** The CREDIT_CARDS product: one Mastercard, and the bill each purchase falls in. */
import type { CollectedAccount } from '../../sdk/index.ts'
import { dateOnlyOfDay, nextDayOfMonth } from './calendar.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateCreditCards(user: SandboxUser): CollectedAccount[] {
  const p = user.profile
  const rng = user.rng('creditCards')
  const creditLimit = rng.int(5, 40) * 1_000
  const used = rng.money(300, creditLimit * 0.6)
  const closeDay = nextDayOfMonth(user.today, p.cardCloseDay)
  return [
    {
      providerId: user.creditCardId,
      type: 'CREDIT',
      subtype: 'CREDIT_CARD',
      number: `xxxx${p.cardLast4}`,
      name: 'Mastercard Black',
      marketingName: 'SANDBOX BANK MASTERCARD BLACK',
      balance: used,
      currencyCode: 'BRL',
      owner: p.fullName,
      taxNumber: p.cpf,
      creditData: {
        level: 'BLACK',
        brand: 'MASTERCARD',
        balanceCloseDate: dateOnlyOfDay(closeDay),
        balanceDueDate: dateOnlyOfDay(closeDay + 10),
        availableCreditLimit: round2(creditLimit - used),
        balanceForeignCurrency: 0,
        minimumPayment: round2(used * 0.15),
        creditLimit,
        isLimitFlexible: false,
        status: 'ACTIVE',
        holderType: 'MAIN',
      },
    },
  ]
}

/** The id of the card bill a purchase of `day` falls in, named by the month of its closing date. */
export function billIdOfDay(user: SandboxUser, day: number): string {
  return `${user.idPrefix}-bill-${user.iso(nextDayOfMonth(day, user.profile.cardCloseDay)).slice(0, 7)}`
}
