/**
 * Terminology (SPEC §1, §2):
 * - item: one end user's connection to one institution through one connector.
 * - execution: one run of the sync for an item; it moves forward through the steps below.
 * - step: an in-progress execution status; the item's `executionStatus` names it.
 * - outcome: the final execution status; it decides the item status.
 * - product: a kind of data a connector collects.
 */

export const ITEM_STATUSES = ['UPDATING', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION', 'LOGIN_ERROR', 'OUTDATED', 'UPDATED'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

/**
 * Item statuses while an execution is in progress: it runs, waits for an MFA value, or waits while
 * the user authorizes at the institution's own page (Open Finance, SPEC §7.5).
 */
export const RUNNING_ITEM_STATUSES = ['UPDATING', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION'] as const satisfies readonly ItemStatus[]
/** The statuses in which an execution waits for the user: the same name for the item and its execution. */
export const WAITING_STATUSES = ['WAITING_USER_INPUT', 'WAITING_USER_ACTION'] as const satisfies readonly ItemStatus[]
export type WaitingStatus = (typeof WAITING_STATUSES)[number]
export function isWaitingStatus(status: string): status is WaitingStatus {
  return (WAITING_STATUSES as readonly string[]).includes(status)
}
/** Item statuses whose last execution accepted the credentials: the ones auto-sync may start (SPEC §2.4). */
export const CREDENTIALS_ACCEPTED_ITEM_STATUSES = ['UPDATED', 'OUTDATED'] as const satisfies readonly ItemStatus[]

export function isRunningStatus(status: ItemStatus): boolean {
  return (RUNNING_ITEM_STATUSES as readonly ItemStatus[]).includes(status)
}

/** In-progress execution statuses, in the order a full execution passes through them. */
export const STEP_ORDER = [
  'CREATED',
  'LOGIN_IN_PROGRESS',
  'LOGIN_MFA_IN_PROGRESS',
  'ACCOUNTS_IN_PROGRESS',
  'CREDITCARDS_IN_PROGRESS',
  'TRANSACTIONS_IN_PROGRESS',
  'INVESTMENTS_IN_PROGRESS',
  'INVESTMENT_TRANSACTIONS_IN_PROGRESS',
  'PAYMENT_DATA_IN_PROGRESS',
  'IDENTITY_IN_PROGRESS',
  'OPPORTUNITIES_IN_PROGRESS',
  // The reference's own steps for its products beyond the seed's, after every seed step (see
  // docs/architecture.md, "Status diagram").
  'LOANS_IN_PROGRESS',
  'ACCOUNT_STATEMENTS_IN_PROGRESS',
  'MERGING',
] as const
export type StepStatus = (typeof STEP_ORDER)[number]

export const SUCCESS_OUTCOMES = ['SUCCESS', 'PARTIAL_SUCCESS'] as const
export type SuccessOutcome = (typeof SUCCESS_OUTCOMES)[number]

/** Error outcomes and the item status each one leaves (SPEC §2.2). */
export const ERROR_OUTCOME_ITEM_STATUS = {
  ERROR: 'OUTDATED',
  MERGE_ERROR: 'OUTDATED',
  SITE_NOT_AVAILABLE: 'OUTDATED',
  CONNECTION_ERROR: 'OUTDATED',
  ALREADY_LOGGED_IN: 'OUTDATED',
  ACCOUNT_NEEDS_ACTION: 'OUTDATED',
  USER_INPUT_TIMEOUT: 'OUTDATED',
  USER_AUTHORIZATION_PENDING: 'OUTDATED',
  USER_AUTHORIZATION_NOT_GRANTED: 'OUTDATED',
  INVALID_CREDENTIALS: 'LOGIN_ERROR',
  INVALID_CREDENTIALS_MFA: 'LOGIN_ERROR',
  ACCOUNT_LOCKED: 'LOGIN_ERROR',
  ACCOUNT_CREDENTIALS_RESET: 'LOGIN_ERROR',
  USER_NOT_SUPPORTED: 'LOGIN_ERROR',
  USER_AUTHORIZATION_REVOKED: 'LOGIN_ERROR',
} as const satisfies Record<string, 'OUTDATED' | 'LOGIN_ERROR'>
export type ErrorOutcome = keyof typeof ERROR_OUTCOME_ITEM_STATUS
export const ERROR_OUTCOMES = Object.keys(ERROR_OUTCOME_ITEM_STATUS) as ErrorOutcome[]

/** `error.code` for each error outcome: the outcome's own name, except ERROR. */
export function errorCodeOf(outcome: ErrorOutcome): string {
  return outcome === 'ERROR' ? 'UNEXPECTED_ERROR' : outcome
}

export const FINAL_OUTCOMES = [...SUCCESS_OUTCOMES, ...ERROR_OUTCOMES] as const
export type FinalOutcome = SuccessOutcome | ErrorOutcome

export const EXECUTION_STATUSES = [...STEP_ORDER, ...WAITING_STATUSES, ...FINAL_OUTCOMES] as const
export type ExecutionStatus = StepStatus | WaitingStatus | FinalOutcome
/** Unfinished execution statuses in which the execution waits for the user, not for the engine. */
export const USER_WAIT_EXECUTION_STATUSES = WAITING_STATUSES satisfies readonly ExecutionStatus[]

export function isStepStatus(status: string): status is StepStatus {
  return (STEP_ORDER as readonly string[]).includes(status)
}
export function isFinalOutcome(status: string): status is FinalOutcome {
  return (FINAL_OUTCOMES as readonly string[]).includes(status)
}
export function isErrorOutcome(status: string): status is ErrorOutcome {
  return Object.hasOwn(ERROR_OUTCOME_ITEM_STATUS, status)
}

export function isSuccessOutcome(status: string): status is SuccessOutcome {
  return (SUCCESS_OUTCOMES as readonly string[]).includes(status)
}

/** The item status a final outcome leaves. */
export function itemStatusAfter(outcome: FinalOutcome): 'UPDATED' | 'OUTDATED' | 'LOGIN_ERROR' {
  return isSuccessOutcome(outcome) ? 'UPDATED' : ERROR_OUTCOME_ITEM_STATUS[outcome]
}

export const PRODUCTS = ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'INVESTMENTS', 'INVESTMENTS_TRANSACTIONS', 'PAYMENT_DATA', 'IDENTITY', 'OPPORTUNITIES', 'LOANS', 'ACCOUNT_STATEMENTS'] as const
export type Product = (typeof PRODUCTS)[number]

/** The step that collects each product, and its key in `item.statusDetail`. */
export const PRODUCT_STEP = {
  ACCOUNTS: 'ACCOUNTS_IN_PROGRESS',
  CREDIT_CARDS: 'CREDITCARDS_IN_PROGRESS',
  TRANSACTIONS: 'TRANSACTIONS_IN_PROGRESS',
  INVESTMENTS: 'INVESTMENTS_IN_PROGRESS',
  INVESTMENTS_TRANSACTIONS: 'INVESTMENT_TRANSACTIONS_IN_PROGRESS',
  PAYMENT_DATA: 'PAYMENT_DATA_IN_PROGRESS',
  IDENTITY: 'IDENTITY_IN_PROGRESS',
  OPPORTUNITIES: 'OPPORTUNITIES_IN_PROGRESS',
  LOANS: 'LOANS_IN_PROGRESS',
  ACCOUNT_STATEMENTS: 'ACCOUNT_STATEMENTS_IN_PROGRESS',
} as const satisfies Record<Product, StepStatus>

export const PRODUCT_DETAIL_KEY = {
  ACCOUNTS: 'accounts',
  CREDIT_CARDS: 'creditCards',
  TRANSACTIONS: 'transactions',
  INVESTMENTS: 'investments',
  INVESTMENTS_TRANSACTIONS: 'investmentTransactions',
  PAYMENT_DATA: 'paymentData',
  IDENTITY: 'identity',
  OPPORTUNITIES: 'opportunities',
  LOANS: 'loans',
  ACCOUNT_STATEMENTS: 'accountStatements',
} as const satisfies Record<Product, string>
export type StatusDetailKey = (typeof PRODUCT_DETAIL_KEY)[Product]

/** Products in the order their steps run. */
export const PRODUCTS_IN_STEP_ORDER: readonly Product[] = [...PRODUCTS].sort((a, b) => STEP_ORDER.indexOf(PRODUCT_STEP[a]) - STEP_ORDER.indexOf(PRODUCT_STEP[b]))

/** The products an execution collects: the requested ones (all when none were asked) that the connector supports, in step order. */
export function productsToCollect(supported: readonly Product[], requested: readonly Product[] | null): Product[] {
  return PRODUCTS_IN_STEP_ORDER.filter((p) => supported.includes(p) && (!requested || requested.includes(p)))
}

export const TRIGGERS = ['CLIENT', 'USER', 'SYNC', 'INTERNAL'] as const
export type Trigger = (typeof TRIGGERS)[number]

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
