/**
 * The INVESTMENTS_TRANSACTIONS product: the purchases of the positions, three monthly interest
 * payments of the CDB, and a partial fund redemption with its income tax.
 */
import type { CollectedInvestmentTransaction } from '../../sdk/index.ts'
import { dateOnlyOfDay, monthStart } from './calendar.ts'
import { generateInvestments, investedDay } from './investments.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** `investmentProviderIds`, when given, keeps only movements of those positions. */
export function generateInvestmentTransactions(user: SandboxUser, investmentProviderIds?: ReadonlySet<string>): CollectedInvestmentTransaction[] {
  const [cdb, fund, stock] = generateInvestments(user)
  const bought = investedDay(user)
  const rng = user.rng('investmentTransactions')
  const out: CollectedInvestmentTransaction[] = [
    {
      providerId: `${cdb.providerId}-buy`,
      investmentProviderId: cdb.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: 1,
      value: cdb.amount,
      amount: cdb.amount ?? 0,
      netAmount: cdb.amount,
      date: user.iso(bought),
      tradeDate: user.iso(bought),
      description: 'Aplicação CDB',
    },
  ]
  for (let monthsBack = 3; monthsBack >= 1; monthsBack--) {
    const day = monthStart(user.today, monthsBack - 1)
    if (day <= bought) continue
    const amount = rng.money(20, 90)
    out.push({
      providerId: `${cdb.providerId}-interest-${dateOnlyOfDay(day).slice(0, 7)}`,
      investmentProviderId: cdb.providerId,
      type: 'INTEREST',
      movementType: 'CREDIT',
      amount,
      netAmount: amount,
      date: user.iso(day),
      tradeDate: user.iso(day),
      description: 'Rendimento CDB',
    })
  }
  // Bought at 1.10 a quota; part redeemed later at today's quota value; the rest is the position.
  const soldQuantity = round2(1_000 / (fund.value ?? 1))
  const boughtQuantity = round2((fund.quantity ?? 0) + soldQuantity)
  out.push(
    {
      providerId: `${fund.providerId}-buy`,
      investmentProviderId: fund.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: boughtQuantity,
      value: 1.1,
      amount: round2(boughtQuantity * 1.1),
      netAmount: round2(boughtQuantity * 1.1),
      date: user.iso(bought + 7),
      tradeDate: user.iso(bought + 7),
      description: 'Aplicação em fundo',
    },
    {
      providerId: `${fund.providerId}-sell`,
      investmentProviderId: fund.providerId,
      type: 'SELL',
      movementType: 'DEBIT',
      quantity: soldQuantity,
      value: fund.value,
      amount: 1_000,
      netAmount: 985,
      date: user.iso(bought + 60),
      tradeDate: user.iso(bought + 60),
      description: 'Resgate parcial',
    },
    {
      providerId: `${fund.providerId}-tax`,
      investmentProviderId: fund.providerId,
      type: 'TAX',
      movementType: 'DEBIT',
      amount: 15,
      date: user.iso(bought + 60),
      description: 'IR sobre resgate',
    },
    {
      providerId: `${stock.providerId}-buy`,
      investmentProviderId: stock.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: stock.quantity,
      value: round2((stock.amount ?? 0) / (stock.quantity ?? 1)),
      amount: stock.amount ?? 0,
      netAmount: stock.amount,
      date: user.iso(bought + 14),
      tradeDate: user.iso(bought + 12),
      description: 'Compra de ações SBXB3',
    },
  )
  return investmentProviderIds ? out.filter((t) => investmentProviderIds.has(t.investmentProviderId)) : out
}
