/**
 * The LOANS product: a personal loan, and for some users a vehicle financing, each repaid in
 * monthly installments debited from the checking account (French amortisation, "Tabela Price").
 * Contracts are fixed per user; what was paid, what is due and the outstanding balance follow the
 * day.
 */
import type { CollectedLoan, CollectedTransaction } from '../../sdk/index.ts'
import { businessDayOnOrAfter, dayOf } from './calendar.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

interface Contract {
  providerId: string
  productName: string
  /** Open Finance product subtype. */
  type: string
  kind: CollectedLoan['kind']
  contractDay: number
  principal: number
  /** Monthly rate (0.0249 = 2.49% a month). */
  monthlyRate: number
  count: number
  installment: number
  /** The due day of installment k (1-based), on a business day. */
  dueDays: number[]
  vehicle: boolean
}

/** The user's contracts taken on or before today. */
export function contractsOf(user: SandboxUser): Contract[] {
  const rng = user.rng('loans')
  const drawn: Contract[] = []
  const personal = { day: dayOf(2024, 6, 1) + rng.int(0, 420), principal: rng.int(6, 40) * 500, rate: rng.int(179, 349) / 10_000, count: 24 }
  drawn.push(contract(user, 'personal', 'Crédito Pessoal Sandbox', 'CREDITO_PESSOAL_SEM_CONSIGNACAO', 'LOAN', personal))
  const hasVehicle = rng.chance(0.4)
  const vehicle = { day: dayOf(2023, 9, 1) + rng.int(0, 500), principal: rng.int(30, 90) * 1_000, rate: rng.int(109, 189) / 10_000, count: 48 }
  if (hasVehicle) drawn.push(contract(user, 'vehicle', 'Financiamento de Veículo Sandbox', 'AQUISICAO_BENS_VEICULOS_AUTOMOTORES', 'FINANCING', vehicle))
  return drawn.filter((c) => c.contractDay <= user.today)
}

function contract(user: SandboxUser, key: string, productName: string, type: string, kind: CollectedLoan['kind'], terms: { day: number; principal: number; rate: number; count: number }): Contract {
  const start = new Date(terms.day * 86_400_000)
  const dueDays = Array.from({ length: terms.count }, (_, k) => businessDayOnOrAfter(dayOf(start.getUTCFullYear(), start.getUTCMonth() + 2 + k, Math.min(start.getUTCDate(), 28))))
  const installment = round2((terms.principal * terms.rate) / (1 - (1 + terms.rate) ** -terms.count))
  return {
    providerId: `${user.idPrefix}-loan-${key}`,
    productName,
    type,
    kind,
    contractDay: terms.day,
    principal: terms.principal,
    monthlyRate: terms.rate,
    count: terms.count,
    installment,
    dueDays,
    vehicle: key === 'vehicle',
  }
}

/** The installment debits on the checking account, as the ledger shows them. */
export function installmentTransaction(user: SandboxUser, c: Contract, k: number): Omit<CollectedTransaction, 'status' | 'balance'> {
  return {
    providerId: `${c.providerId}-installment-${k}`,
    accountProviderId: user.checkingId,
    date: user.iso(c.dueDays[k - 1]),
    description: `${c.vehicle ? 'PARCELA FINANCIAMENTO VEICULO' : 'PARCELA EMPRESTIMO PESSOAL'} ${k}/${c.count}`,
    currencyCode: 'BRL',
    amount: -c.installment,
    type: 'DEBIT',
    operationType: 'OPERACAO_CREDITO',
  }
}

/** What remains to pay after `paid` installments: the present value of the ones left. */
function outstanding(c: Contract, paid: number): number {
  const left = c.count - paid
  return left <= 0 ? 0 : round2((c.installment * (1 - (1 + c.monthlyRate) ** -left)) / c.monthlyRate)
}

/** The contract as the institution reports it today. */
export function loanOf(user: SandboxUser, c: Contract): CollectedLoan {
  const paid = c.dueDays.filter((d) => d <= user.today).length
  const annual = round2((1 + c.monthlyRate) ** 12 - 1)
  const tac = c.vehicle ? 850 : 0
  return {
    providerId: c.providerId,
    contractNumber: `${c.vehicle ? 'FV' : 'CP'}${String(user.seed % 100_000_000).padStart(8, '0')}`,
    ipocCode: `99999999${c.vehicle ? '0301' : '0203'}${user.iso(c.contractDay).slice(0, 10).replaceAll('-', '')}${String(user.seed % 1_000_000).padStart(6, '0')}`,
    productName: c.productName,
    type: c.type,
    kind: c.kind,
    date: user.iso(user.today),
    contractDate: user.iso(c.contractDay),
    disbursementDates: [user.iso(c.contractDay)],
    settlementDate: paid === c.count ? user.iso(c.dueDays[c.count - 1]) : null,
    contractAmount: c.principal,
    currencyCode: 'BRL',
    dueDate: user.iso(c.dueDays[c.count - 1]),
    installmentPeriodicity: 'MONTHLY',
    installmentPeriodicityAdditionalInfo: null,
    firstInstallmentDueDate: user.iso(c.dueDays[0]),
    CET: round2(annual + 0.03),
    amortizationScheduled: 'PRICE',
    amortizationScheduledAdditionalInfo: null,
    cnpjConsignee: null,
    interestRates: [
      {
        taxType: 'EFFECTIVE',
        interestRateType: 'COMPOUND',
        taxPeriodicity: 'YEARLY',
        calculation: '21/252',
        referentialRateIndexerType: 'PRE_FIXADO',
        referentialRateIndexerSubType: null,
        referentialRateIndexerAdditionalInfo: null,
        preFixedRate: annual,
        postFixedRate: null,
        additionalInfo: null,
      },
    ],
    contractedFees: tac > 0 ? [{ name: 'Tarifa de cadastro', code: 'CADASTRO', chargeType: 'UNIQUE', charge: 'FIXED', amount: tac, rate: null }] : [],
    contractedFinanceCharges: [
      { type: 'JUROS_REMUNERATORIOS_POR_ATRASO', additionalInfo: null, rate: round2(c.monthlyRate) },
      { type: 'MULTA_ATRASO_PAGAMENTO', additionalInfo: null, rate: 0.02 },
    ],
    warranties: c.vehicle ? [{ currencyCode: 'BRL', type: 'CESSAO_DIREITOS_CREDITORIOS', subtype: 'VEICULOS', amount: round2(c.principal * 1.25) }] : [],
    installments: {
      typeNumberOfInstallments: 'MONTH',
      totalNumberOfInstallments: c.count,
      typeContractRemaining: paid === c.count ? 'WITHOUT REMAINING PERIOD' : 'MONTH',
      contractRemainingNumber: c.count - paid,
      paidInstallments: paid,
      dueInstallments: c.count - paid,
      pastDueInstallments: 0,
      balloonPayments: null,
    },
    payments: {
      contractOutstandingBalance: outstanding(c, paid),
      releases: c.dueDays.slice(0, paid).map((d, k) => ({
        isOverParcelPayment: false,
        installmentId: `${c.providerId}-installment-${k + 1}`,
        paidDate: user.iso(d),
        currencyCode: 'BRL',
        paidAmount: c.installment,
        overParcel: null,
      })),
    },
  }
}
