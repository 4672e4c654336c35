/**
 * The INVESTMENTS_TRANSACTIONS product: the purchases of the positions (the CDB at its agreed
 * rate, the stock on a brokerage note with its fees), and a partial fund redemption with its
 * income tax. Types are the reference's (BUY, SELL, TAX, TRANSFER): a CDB's interest accrues in the
 * position and is not a movement.
 */
import type { CollectedInvestmentTransaction } from '../../sdk/index.ts'
import { FUND_QUOTA_AT_PURCHASE, generateInvestments, investedDay } from './investments.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** `investmentProviderIds`, when given, keeps only movements of those positions. */
export function generateInvestmentTransactions(user: SandboxUser, investmentProviderIds?: ReadonlySet<string>): CollectedInvestmentTransaction[] {
  const [cdb, fund, stock] = generateInvestments(user)
  const bought = investedDay(user)
  const rng = user.rng('investmentTransactions')
  // Bought at FUND_QUOTA_AT_PURCHASE a quota; part redeemed later at today's quota value; the rest is the position.
  const soldQuantity = round2(1_000 / (fund.value ?? 1))
  const boughtQuantity = round2((fund.quantity ?? 0) + soldQuantity)
  const redemptionTax = round2(Math.max(0, 1_000 - soldQuantity * FUND_QUOTA_AT_PURCHASE) * 0.15)
  const stockAmount = stock.amountOriginal ?? 0
  const brokerageFee = 4.9
  const settlementFee = round2(stockAmount * 0.00025)
  const stockExchangeFee = round2(stockAmount * 0.00005)
  const none = {
    serviceTax: null,
    brokerageFee: null,
    incomeTax: null,
    other: null,
    tradingAssetsNoticeFee: null,
    maintenanceFee: null,
    settlementFee: null,
    clearingFee: null,
    stockExchangeFee: null,
    custodyFee: null,
    operatingFee: null,
  }
  const out: CollectedInvestmentTransaction[] = [
    {
      providerId: `${cdb.providerId}-buy`,
      investmentProviderId: cdb.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: 1,
      value: cdb.amountOriginal,
      amount: cdb.amountOriginal ?? 0,
      netAmount: cdb.amountOriginal,
      date: user.iso(bought),
      tradeDate: user.iso(bought),
      description: 'Aplicação CDB',
      brokerageNumber: null,
      expenses: null,
      agreedRate: cdb.rate,
    },
    {
      providerId: `${fund.providerId}-buy`,
      investmentProviderId: fund.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: boughtQuantity,
      value: FUND_QUOTA_AT_PURCHASE,
      amount: round2(boughtQuantity * FUND_QUOTA_AT_PURCHASE),
      netAmount: round2(boughtQuantity * FUND_QUOTA_AT_PURCHASE),
      date: user.iso(bought + 7),
      tradeDate: user.iso(bought + 7),
      description: 'Aplicação em fundo',
      brokerageNumber: null,
      expenses: null,
      agreedRate: null,
    },
    {
      providerId: `${fund.providerId}-sell`,
      investmentProviderId: fund.providerId,
      type: 'SELL',
      movementType: 'DEBIT',
      quantity: soldQuantity,
      value: fund.value,
      amount: 1_000,
      netAmount: round2(1_000 - redemptionTax),
      date: user.iso(bought + 60),
      tradeDate: user.iso(bought + 61),
      description: 'Resgate parcial',
      brokerageNumber: null,
      expenses: { ...none, incomeTax: redemptionTax },
      agreedRate: null,
    },
    {
      providerId: `${fund.providerId}-tax`,
      investmentProviderId: fund.providerId,
      type: 'TAX',
      movementType: 'DEBIT',
      amount: redemptionTax,
      netAmount: redemptionTax,
      date: user.iso(bought + 60),
      tradeDate: user.iso(bought + 61),
      description: 'IR sobre resgate',
      brokerageNumber: null,
      expenses: null,
      agreedRate: null,
    },
    {
      providerId: `${stock.providerId}-buy`,
      investmentProviderId: stock.providerId,
      type: 'BUY',
      movementType: 'CREDIT',
      quantity: stock.quantity,
      value: round2(stockAmount / (stock.quantity ?? 1)),
      amount: stockAmount,
      netAmount: round2(stockAmount + brokerageFee + settlementFee + stockExchangeFee),
      date: user.iso(bought + 12),
      tradeDate: user.iso(bought + 12),
      description: 'Compra de ações SBXB3',
      brokerageNumber: rng.digits(7),
      expenses: { ...none, brokerageFee, settlementFee, stockExchangeFee },
      agreedRate: null,
    },
  ]
  return investmentProviderIds ? out.filter((t) => investmentProviderIds.has(t.investmentProviderId)) : out
}
