/**
 * The sandbox control API's rules (SPEC §7.6), pure: what an application may ask a sandbox
 * institution to do with an item's next execution, and how the institution does it.
 *
 * Terminology:
 * - forced outcome: the final execution status an item's next execution (`once`) or every
 *   execution until cleared ends with. The sandbox institution produces it as a real one would —
 *   by refusing the login, failing a product, sending data that cannot be stored, asking a code it
 *   never gets, requesting an authorization — and the lifecycle decides the statuses as usual.
 * - login reset: the password "changed at the bank"; every login fails with the stored
 *   credentials until the item is updated with credentials again.
 * - instructions: what the engine hands a sandbox connector for one execution.
 */
import type { ConnectorOutcome } from './lifecycle.ts'
import type { CustomSandboxUser } from './sandbox-user-document.ts'
import { FINAL_OUTCOMES, errorCodeOf, type FinalOutcome, type Product } from './statuses.ts'

/** Every outcome may be forced: the final execution statuses. */
export const FORCEABLE_OUTCOMES = FINAL_OUTCOMES

export interface ForcedOutcome {
  executionStatus: FinalOutcome
  /** With a partial success: the products that fail (each among the execution's products to count). */
  failingProducts: Product[]
  /** The institution's own words: on the item's error, or on the failing products' warnings. */
  providerMessage: string | null
}

/** A transaction the application added to a sandbox account. */
export interface AddedTransaction {
  providerId: string
  accountProviderId: string
  /** Midnight UTC of its day, as an ISO timestamp. */
  date: string
  description: string
  amount: number
  status: 'PENDING' | 'POSTED'
  type: 'DEBIT' | 'CREDIT'
}

/** What happened at the institution to one of an item's transactions (applied in order, on every later execution). */
export type TransactionEdit =
  | { kind: 'add'; transaction: AddedTransaction }
  | { kind: 'change'; providerId: string; amount?: number; type?: 'DEBIT' | 'CREDIT'; description?: string; date?: string }
  | { kind: 'post'; providerId: string }
  /** The institution reports the transaction under a new id. */
  | { kind: 'restate'; providerId: string; newProviderId: string }
  | { kind: 'remove'; providerId: string }

export type TransactionEditKind = TransactionEdit['kind']

/**
 * DEBIT or CREDIT from an amount's sign, by the reference's convention: on a bank account money
 * in is positive; on a credit card a purchase (DEBIT) is positive.
 */
export function transactionTypeOf(accountType: 'BANK' | 'CREDIT', amount: number): 'DEBIT' | 'CREDIT' {
  const positive = amount >= 0
  return accountType === 'CREDIT' ? (positive ? 'DEBIT' : 'CREDIT') : positive ? 'CREDIT' : 'DEBIT'
}

/** What a sandbox connector is told for one execution. */
export interface SandboxInstructions {
  /** The outcome to produce, or null for the user's own scenario. */
  outcome: ForcedOutcome | null
  /** The password changed at the institution: the login fails until new credentials are given. */
  loginReset: boolean
  /** Changes to the item's transactions, oldest first. */
  transactionEdits: TransactionEdit[]
  /** Every time the item's client moved its sandbox clock forward, oldest first (see sandboxTime). */
  clockAdvances: ClockAdvance[]
  /** The institution's outage for the item's client, if it put it in one. */
  outage: Outage | null
  /** The custom sandbox user the item logs in as, if its user name is one. */
  customUser: CustomSandboxUser | null
}

/**
 * A sandbox institution's outage modes (for one client's items):
 * - SLOW: every step takes `delayMs` longer; executions succeed, late.
 * - FAILING: every other execution of an item cannot reach the institution (CONNECTION_ERROR).
 * - SITE_NOT_AVAILABLE: every login meets the institution in maintenance.
 * - OFFLINE: every login fails to reach the institution (CONNECTION_ERROR).
 */
export const OUTAGE_MODES = ['SLOW', 'FAILING', 'SITE_NOT_AVAILABLE', 'OFFLINE'] as const
export type OutageMode = (typeof OUTAGE_MODES)[number]

export interface Outage {
  mode: OutageMode
  delayMs: number
}

/** What the institution in an outage does at an item's `execution`-th execution's login: wait longer on every step, or refuse with an outcome. */
export function outageEffect(outage: Outage, execution: number): { kind: 'slow'; delayMs: number } | { kind: 'refuse'; outcome: ConnectorOutcome } | { kind: 'none' } {
  switch (outage.mode) {
    case 'SLOW':
      return { kind: 'slow', delayMs: outage.delayMs }
    case 'FAILING':
      return execution % 2 === 1 ? { kind: 'refuse', outcome: 'CONNECTION_ERROR' } : { kind: 'none' }
    case 'SITE_NOT_AVAILABLE':
      return { kind: 'refuse', outcome: 'SITE_NOT_AVAILABLE' }
    case 'OFFLINE':
      return { kind: 'refuse', outcome: 'CONNECTION_ERROR' }
    default: {
      const unreachable: never = outage.mode
      throw new Error(`unknown outage mode ${String(unreachable)}`)
    }
  }
}

/** The client moved its sandbox clock `seconds` forward at the engine's instant `at` (ISO). */
export interface ClockAdvance {
  at: string
  seconds: number
}

/**
 * The instant the sandbox institution sees for the engine's instant `t`: `t` plus every advance
 * made up to `t`. What happened before an advance keeps its date; what happens after it is dated
 * as far ahead as all the advances so far.
 */
export function sandboxTime(t: Date, advances: readonly ClockAdvance[]): Date {
  const shift = advances.reduce((sum, advance) => (Date.parse(advance.at) <= t.getTime() ? sum + advance.seconds : sum), 0)
  return shift === 0 ? t : new Date(t.getTime() + shift * 1000)
}

/** How a sandbox institution brings a forced outcome about. */
export type OutcomePlan =
  /** Log in without any check and collect everything. */
  | { kind: 'collect' }
  /** Log in and collect, failing these products. */
  | { kind: 'fail-products'; products: Product[] }
  /** Log in and return an account twice under one id: the merge fails and rolls back. */
  | { kind: 'conflicting-data' }
  /** Refuse at login with this outcome. */
  | { kind: 'refuse'; outcome: ConnectorOutcome }
  /** Ask the user for a code at login and never accept one: the wait expires. */
  | { kind: 'ask-until-timeout' }
  /** Request device authorization at login (on every execution while the outcome lasts). */
  | { kind: 'request-authorization' }

/** The products that fail by default in a forced partial success (as the `user-ok-account-error` user). */
export const DEFAULT_FAILING_PRODUCTS: readonly Product[] = ['CREDIT_CARDS']

const PARTIAL: FinalOutcome = 'PARTIAL_SUCCESS'

export function planOutcome(outcome: ForcedOutcome): OutcomePlan {
  const status = outcome.executionStatus
  switch (status) {
    case 'SUCCESS':
      return { kind: 'collect' }
    case 'PARTIAL_SUCCESS':
      return { kind: 'fail-products', products: outcome.failingProducts.length > 0 ? outcome.failingProducts : [...DEFAULT_FAILING_PRODUCTS] }
    case 'MERGE_ERROR':
      return { kind: 'conflicting-data' }
    case 'USER_INPUT_TIMEOUT':
      return { kind: 'ask-until-timeout' }
    case 'USER_AUTHORIZATION_PENDING':
    case 'USER_AUTHORIZATION_NOT_GRANTED':
      return { kind: 'request-authorization' }
    case 'ERROR':
    case 'SITE_NOT_AVAILABLE':
    case 'CONNECTION_ERROR':
    case 'ALREADY_LOGGED_IN':
    case 'ACCOUNT_NEEDS_ACTION':
    case 'INVALID_CREDENTIALS':
    case 'INVALID_CREDENTIALS_MFA':
    case 'ACCOUNT_LOCKED':
    case 'ACCOUNT_CREDENTIALS_RESET':
    case 'USER_NOT_SUPPORTED':
    case 'USER_AUTHORIZATION_REVOKED':
      return { kind: 'refuse', outcome: status }
    default: {
      const unreachable: never = status
      throw new Error(`no plan for ${String(unreachable)}`)
    }
  }
}

/** Why a requested forced outcome cannot be kept, in a sentence; null when it can. */
export function forcedOutcomeProblem(request: { executionStatus: FinalOutcome; failingProducts: readonly Product[]; once: boolean }): { field: string; problem: string } | null {
  if (request.failingProducts.length > 0 && request.executionStatus !== PARTIAL) {
    return { field: 'failingProducts', problem: `failingProducts go only with executionStatus ${PARTIAL}; remove them or force ${PARTIAL}.` }
  }
  if (request.executionStatus === 'USER_AUTHORIZATION_NOT_GRANTED' && request.once) {
    return {
      field: 'once',
      problem: 'USER_AUTHORIZATION_NOT_GRANTED is reached when the authorization deadline passes, across the follow-up executions: force it with once: false (then move the clock past the deadline).',
    }
  }
  return null
}

/** The stored control of one item, as the engine reads it when an execution starts. */
export interface ItemControl {
  outcome: ForcedOutcome | null
  once: boolean
  /** The execution that took a `once` outcome; it applies to that execution only. */
  takenBy: string | null
  /** Fingerprint of the credentials the login was reset for; null when not reset. */
  loginResetFor: string | null
}

/**
 * The instructions for `executionId`: a `once` outcome applies to the execution that took it (a
 * run taking the execution over gets it again), a lasting one to every execution; a login reset
 * lasts while the item keeps the credentials it was reset for.
 */
export function instructionsFor(
  control: ItemControl | null,
  executionId: string,
  credentialsFingerprint: string,
  transactionEdits: TransactionEdit[] = [],
  clockAdvances: ClockAdvance[] = [],
  outage: Outage | null = null,
  customUser: CustomSandboxUser | null = null,
): SandboxInstructions | null {
  const outcome = control?.outcome && (!control.once || control.takenBy === executionId) ? control.outcome : null
  const loginReset = control?.loginResetFor != null && control.loginResetFor === credentialsFingerprint
  const any = outcome || loginReset || transactionEdits.length > 0 || clockAdvances.length > 0 || outage || customUser
  return any ? { outcome, loginReset, transactionEdits, clockAdvances, outage, customUser } : null
}

/** The error a fired `item/error` carries when the item has none of its own. */
export const FIRED_ITEM_ERROR = {
  code: errorCodeOf('ERROR'),
  message: 'An error fired through the sandbox control API (the item itself has none).',
} as const
