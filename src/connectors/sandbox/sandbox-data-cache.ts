import type { CollectedTransaction } from '../sdk/index.ts'
import { dayNumber } from './data/calendar.ts'
import type { SandboxDataOptions } from './data/sandbox-user.ts'
import { createSandboxData, type SandboxData } from './sandbox-data.ts'

/** What the sandbox connectors read of a user's data on one day. */
export type SandboxProducts = Pick<
  SandboxData,
  'accounts' | 'creditCards' | 'transactions' | 'investments' | 'investmentTransactions' | 'paymentData' | 'identity' | 'opportunities' | 'loans' | 'accountStatements'
>

/** Datasets kept: far more than the distinct sandbox users a worker runs at once. */
const MAX_DATASETS = 64
/** `user-ok-perf-<n>` beyond this is built at each step instead of kept: one-off measurements, large. */
const MAX_KEPT_MULTIPLIER = 10

const kept = new Map<string, KeptProducts>()

/**
 * A user's sandbox data on one day. It is a pure function of its options and every step of
 * every execution asks for it again, so the last datasets asked for are kept, each
 * product built once and frozen: with institutions that answer at once, building it at every step
 * had been a fifth of a worker's time — the test institution's cost, not the engine's. Arrays
 * are handed out as copies (a connector may add to them); their rows are shared and frozen.
 */
export function sandboxProducts(options: SandboxDataOptions): SandboxProducts {
  const multiplier = options.transactionMultiplier ?? 1
  if (multiplier > MAX_KEPT_MULTIPLIER) return createSandboxData(options)
  const history = (options.executionStarts ?? []).map(dayNumber).join(',')
  const key = `${dayNumber(options.now)}|${options.generation ?? 1}|${history}|${multiplier}|${options.kind ?? 'personal'}|${options.joint ?? false}|${options.user}`
  let products = kept.get(key)
  if (products) {
    // Most recently used last, so that the first one is the one to let go.
    kept.delete(key)
  } else {
    products = new KeptProducts(createSandboxData(options))
    if (kept.size >= MAX_DATASETS) kept.delete(kept.keys().next().value!)
  }
  kept.set(key, products)
  return products
}

class KeptProducts implements SandboxProducts {
  private readonly built = new Map<string, unknown>()

  constructor(private readonly data: SandboxData) {}

  private once<T>(name: string, build: () => T): T {
    if (!this.built.has(name)) this.built.set(name, deepFreeze(build()))
    return this.built.get(name) as T
  }

  accounts() {
    return [...this.once('accounts', () => this.data.accounts())]
  }

  creditCards() {
    return [...this.once('creditCards', () => this.data.creditCards())]
  }

  transactions(accountProviderIds?: ReadonlySet<string>) {
    return this.once('transactions', () => this.data.transactions()).filter((t) => !accountProviderIds || accountProviderIds.has(t.accountProviderId))
  }

  investments() {
    return [...this.once('investments', () => this.data.investments())]
  }

  investmentTransactions(investmentProviderIds?: ReadonlySet<string>) {
    return this.once('investmentTransactions', () => this.data.investmentTransactions()).filter((t) => !investmentProviderIds || investmentProviderIds.has(t.investmentProviderId))
  }

  paymentData(transactions: readonly CollectedTransaction[]) {
    return this.data.paymentData(transactions)
  }

  identity() {
    return this.once('identity', () => this.data.identity())
  }

  opportunities() {
    return [...this.once('opportunities', () => this.data.opportunities())]
  }

  loans() {
    return [...this.once('loans', () => this.data.loans())]
  }

  accountStatements(accountProviderIds?: ReadonlySet<string>) {
    return this.once('accountStatements', () => this.data.accountStatements()).filter((s) => !accountProviderIds || accountProviderIds.has(s.accountProviderId))
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const member of Object.values(value)) deepFreeze(member)
  }
  return value
}
