/** The OPPORTUNITIES product: two pre-approved offers, dated the first day of the current month. */
import type { CollectedOpportunity } from '../../sdk/index.ts'
import { monthStart } from './calendar.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateOpportunities(user: SandboxUser): CollectedOpportunity[] {
  const rng = user.rng('opportunities')
  const date = user.iso(monthStart(user.today, 0))
  const cardLimit = rng.int(2, 20) * 1_000
  const loanLimit = rng.int(5, 50) * 1_000
  return [
    {
      providerId: `${user.idPrefix}-opp-card`,
      name: 'Cartão Sandbox Platinum',
      description: 'Cartão de crédito pré-aprovado, sem anuidade no primeiro ano.',
      type: 'CREDIT_CARD',
      interestRate: 12.9,
      rateType: 'MONTHLY',
      totalLimit: cardLimit,
      availableLimit: cardLimit,
      date,
    },
    {
      providerId: `${user.idPrefix}-opp-loan`,
      name: 'Empréstimo pessoal pré-aprovado',
      description: 'Crédito pessoal em até 24 parcelas.',
      type: 'PERSONAL_LOAN',
      interestRate: 2.49,
      rateType: 'MONTHLY',
      totalLimit: loanLimit,
      availableLimit: round2(loanLimit * 0.8),
      date,
    },
  ]
}
