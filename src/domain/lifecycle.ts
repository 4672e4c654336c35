import {
  ERROR_OUTCOME_ITEM_STATUS,
  PRODUCT_STEP,
  STEP_ORDER,
  assertNever,
  errorCodeOf,
  isErrorOutcome,
  isFinalOutcome,
  isRunningStatus,
  isStepStatus,
  isWaitingStatus,
  itemStatusAfter,
  type ErrorOutcome,
  type ExecutionStatus,
  type FinalOutcome,
  type ItemStatus,
  type Product,
  type StepStatus,
} from './statuses.ts'
import { OUTCOME_MESSAGES, USER_ACTION_MESSAGES } from './outcome-messages.ts'

export interface ItemError {
  code: string
  message: string
  providerMessage?: string
}

export interface SelectOption {
  value: string
  label: string
}

/** The value an execution waits for while `WAITING_USER_INPUT` (2-step MFA). */
export interface MfaParameter {
  name: string
  label: string
  type: 'text' | 'password' | 'number' | 'image' | 'select'
  placeholder?: string
  validation?: string
  validationMessage?: string
  assistiveText?: string
  options?: SelectOption[]
  /** For an image or QR challenge: a data URL or text to show. */
  data?: string
  expiresAt: string
}

/**
 * What the user must do outside the application: approve on their device (SPEC §2.5), or
 * authorize at the institution's own page (Open Finance: `attributes.url` is that page).
 */
export interface UserAction {
  /** The reference's values: `qr` (scan a code) or `authorize-access` (approve at the institution). */
  type: string
  instructions: string
  expiresAt: string | null
  /** What the action needs beyond the instructions, e.g. the QR code to scan (`qrCode`, a data URL). */
  attributes?: Record<string, string>
}

/** The part of an item that the lifecycle owns, plus the running execution's failed products. */
export interface LifecycleState {
  status: ItemStatus
  executionStatus: ExecutionStatus
  error: ItemError | null
  parameter: MfaParameter | null
  userAction: UserAction | null
  consecutiveFailedLoginAttempts: number
  /** Products that failed in the running execution; they make its success partial. */
  failedProducts: Product[]
}

/** Outcomes a connector may end an execution with by throwing a typed error. */
export const CONNECTOR_OUTCOMES = [
  'ERROR',
  'SITE_NOT_AVAILABLE',
  'CONNECTION_ERROR',
  'ALREADY_LOGGED_IN',
  'ACCOUNT_NEEDS_ACTION',
  'INVALID_CREDENTIALS',
  'INVALID_CREDENTIALS_MFA',
  'ACCOUNT_LOCKED',
  'ACCOUNT_CREDENTIALS_RESET',
  'USER_NOT_SUPPORTED',
  'USER_AUTHORIZATION_REVOKED',
] as const satisfies readonly ErrorOutcome[]
export type ConnectorOutcome = (typeof CONNECTOR_OUTCOMES)[number]

export type LifecycleEvent =
  | { type: 'EXECUTION_CREATED' }
  | { type: 'STEP_STARTED'; step: StepStatus }
  | { type: 'PRODUCT_FAILED'; product: Product }
  | { type: 'MFA_REQUESTED'; parameter: MfaParameter }
  | { type: 'MFA_SUBMITTED' }
  | { type: 'MFA_TIMED_OUT' }
  | { type: 'AUTHORIZATION_PENDING'; userAction: UserAction }
  | { type: 'AUTHORIZATION_DEADLINE_PASSED' }
  /** Open Finance: the user is sent to the institution's page; the execution waits for the return. */
  | { type: 'USER_ACTION_REQUESTED'; userAction: UserAction }
  /** The institution sent the user back with a grant (or an answer the connector must judge). */
  | { type: 'USER_ACTION_COMPLETED' }
  /** The user declined at the institution's page. */
  | { type: 'USER_ACTION_DENIED' }
  /** The user did not come back before `userAction.expiresAt`. */
  | { type: 'USER_ACTION_EXPIRED' }
  | { type: 'CONNECTOR_FAILED'; outcome: ConnectorOutcome; message?: string; providerMessage?: string }
  /**
   * `firstConnection`: the item never finished an execution successfully before. Its first success
   * is reported as `item/created` — the reference's "created and finished connecting successfully"
   * — and every later one as `item/updated`.
   */
  | { type: 'MERGE_SUCCEEDED'; firstConnection?: boolean }
  | { type: 'MERGE_FAILED' }
  | { type: 'CANCELLED' }
  | { type: 'DEADLINE_EXCEEDED' }
  | { type: 'WORKER_LOST' }
  /**
   * Something the lifecycle does not expect ended the execution: a connector threw an untyped
   * error, reported an outcome outside the steps where it can happen (a login failure while
   * collecting), asked for authorization after login, or a step could not be saved. Ends it as
   * ERROR from any in-progress state; `message` says what happened.
   */
  | { type: 'UNEXPECTED_ERROR'; message?: string }

export { OUTCOME_MESSAGES } from './outcome-messages.ts'

export type LifecycleEventType = LifecycleEvent['type']

/**
 * Where an execution status lies along one execution: the steps in order, WAITING_USER_INPUT
 * between the two login steps, every final status after them all.
 */
export function executionRank(status: ExecutionStatus): number {
  if (isStepStatus(status)) return STEP_ORDER.indexOf(status)
  if (isWaitingStatus(status)) return STEP_ORDER.indexOf('LOGIN_IN_PROGRESS') + 0.5
  return STEP_ORDER.length
}

/** The execution got past its creation: a worker that takes it over resumes it rather than starting it. */
export function hasProgress(status: ExecutionStatus): boolean {
  return executionRank(status) > executionRank('CREATED')
}

/**
 * Whether an execution's timeline shows the login passed with an MFA value: a step after the one
 * an answer starts. A value accepted but not yet checked by the institution (the run stopped in
 * LOGIN_MFA_IN_PROGRESS) does not count: a run that takes the execution over must check it.
 */
export function timelinePassedMfa(statuses: readonly ExecutionStatus[]): boolean {
  const answeredAt = statuses.indexOf('LOGIN_MFA_IN_PROGRESS')
  return answeredAt >= 0 && statuses.slice(answeredAt + 1).some((status) => executionRank(status) > executionRank('LOGIN_MFA_IN_PROGRESS'))
}

/**
 * The state after a product collected again while an execution resumes on another worker failed
 * this time: its step is already past, so it counts among the failed products without a step.
 */
export function withProductFailedOnResume(state: LifecycleState, product: Product): LifecycleState {
  return state.failedProducts.includes(product) ? state : { ...state, failedProducts: [...state.failedProducts, product] }
}

/** The events that start the steps an engine drives, so that it never names a status itself. */
export const LOGIN_STARTED: LifecycleEvent = { type: 'STEP_STARTED', step: 'LOGIN_IN_PROGRESS' }
export const MERGE_STARTED: LifecycleEvent = { type: 'STEP_STARTED', step: 'MERGING' }
export function productStarted(product: Product): LifecycleEvent {
  return { type: 'STEP_STARTED', step: PRODUCT_STEP[product] }
}

export type ItemEventName = 'item/created' | 'item/updated' | 'item/error' | 'item/waiting_user_input' | 'item/waiting_user_action' | 'item/login_succeeded'

/** What the engine must do after saving the next state; the transition itself does none of it. */
export type Effect = { type: 'EMIT'; event: ItemEventName } | { type: 'EXECUTION_FINISHED'; outcome: FinalOutcome }

export type TransitionResult = { ok: true; next: LifecycleState; effects: Effect[] } | { ok: false; reason: string }

const LOGIN_STEPS: readonly ExecutionStatus[] = ['LOGIN_IN_PROGRESS', 'LOGIN_MFA_IN_PROGRESS']

/** An execution is in progress: it runs, or waits for the user (SPEC §2.2). */
export function isRunning(state: Pick<LifecycleState, 'status'>): boolean {
  return isRunningStatus(state.status)
}

function refuse(state: LifecycleState, event: LifecycleEvent): TransitionResult {
  return { ok: false, reason: `${event.type} is not allowed while ${state.status}/${state.executionStatus}` }
}

function finish(
  state: LifecycleState,
  outcome: FinalOutcome,
  error?: { message?: string; providerMessage?: string },
  extra: Partial<LifecycleState> = {},
  successEvent: ItemEventName = 'item/updated',
): TransitionResult {
  const status = itemStatusAfter(outcome)
  const itemError: ItemError | null = isErrorOutcome(outcome)
    ? {
        code: errorCodeOf(outcome),
        message: error?.message?.trim() ? error.message : OUTCOME_MESSAGES[outcome],
        ...(error?.providerMessage ? { providerMessage: error.providerMessage } : {}),
      }
    : null
  const loginFailed = status === 'LOGIN_ERROR'
  const next: LifecycleState = {
    ...state,
    status,
    executionStatus: outcome,
    error: itemError,
    parameter: null,
    userAction: null,
    consecutiveFailedLoginAttempts: loginFailed ? state.consecutiveFailedLoginAttempts + 1 : state.consecutiveFailedLoginAttempts,
    ...extra,
  }
  const effects: Effect[] = [
    { type: 'EXECUTION_FINISHED', outcome },
    { type: 'EMIT', event: itemError ? 'item/error' : successEvent },
  ]
  return { ok: true, next, effects }
}

/**
 * The lifecycle as a pure function: given the item's state and what happened, the next state and
 * the effects the engine must perform. Illegal moves are refused, never applied.
 */
export function transition(state: LifecycleState, event: LifecycleEvent): TransitionResult {
  const running = isRunning(state)
  const current = state.executionStatus
  switch (event.type) {
    case 'EXECUTION_CREATED': {
      if (running) return refuse(state, event)
      return {
        ok: true,
        next: {
          ...state,
          status: 'UPDATING',
          executionStatus: 'CREATED',
          error: null,
          parameter: null,
          userAction: null,
          failedProducts: [],
        },
        effects: [],
      }
    }
    case 'STEP_STARTED': {
      const { step } = event
      // LOGIN_MFA_IN_PROGRESS is entered only by an MFA value; CREATED only by a new execution.
      if (state.status !== 'UPDATING' || !isStepStatus(current)) return refuse(state, event)
      if (step === 'CREATED' || step === 'LOGIN_MFA_IN_PROGRESS') return refuse(state, event)
      if (STEP_ORDER.indexOf(step) <= STEP_ORDER.indexOf(current)) return refuse(state, event)
      if (current === 'CREATED' && step !== 'LOGIN_IN_PROGRESS') return refuse(state, event)
      const loginSucceeded = LOGIN_STEPS.includes(current) && !LOGIN_STEPS.includes(step)
      const next: LifecycleState = {
        ...state,
        executionStatus: step,
        ...(loginSucceeded ? { consecutiveFailedLoginAttempts: 0 } : {}),
      }
      return { ok: true, next, effects: loginSucceeded ? [{ type: 'EMIT', event: 'item/login_succeeded' }] : [] }
    }
    case 'PRODUCT_FAILED': {
      if (state.status !== 'UPDATING' || current !== PRODUCT_STEP[event.product]) return refuse(state, event)
      if (state.failedProducts.includes(event.product)) return refuse(state, event)
      return { ok: true, next: { ...state, failedProducts: [...state.failedProducts, event.product] }, effects: [] }
    }
    case 'MFA_REQUESTED': {
      if (state.status !== 'UPDATING' || !LOGIN_STEPS.includes(current)) return refuse(state, event)
      return {
        ok: true,
        next: { ...state, status: 'WAITING_USER_INPUT', executionStatus: 'WAITING_USER_INPUT', parameter: event.parameter },
        effects: [{ type: 'EMIT', event: 'item/waiting_user_input' }],
      }
    }
    case 'MFA_SUBMITTED': {
      if (state.status !== 'WAITING_USER_INPUT') return refuse(state, event)
      return {
        ok: true,
        next: { ...state, status: 'UPDATING', executionStatus: 'LOGIN_MFA_IN_PROGRESS', parameter: null },
        effects: [],
      }
    }
    case 'MFA_TIMED_OUT': {
      if (state.status !== 'WAITING_USER_INPUT') return refuse(state, event)
      return finish(state, 'USER_INPUT_TIMEOUT')
    }
    case 'USER_ACTION_REQUESTED': {
      // Once, from the first login step: the timeline moves only forward (SPEC §4a.2 allows one backward move, for MFA).
      if (current !== 'LOGIN_IN_PROGRESS') return refuse(state, event)
      return {
        ok: true,
        next: { ...state, status: 'WAITING_USER_ACTION', executionStatus: 'WAITING_USER_ACTION', userAction: event.userAction },
        effects: [{ type: 'EMIT', event: 'item/waiting_user_action' }],
      }
    }
    case 'USER_ACTION_COMPLETED': {
      // The return from the institution is the second login step: the connector exchanges what it brought.
      if (state.status !== 'WAITING_USER_ACTION') return refuse(state, event)
      return { ok: true, next: { ...state, status: 'UPDATING', executionStatus: 'LOGIN_MFA_IN_PROGRESS', userAction: null }, effects: [] }
    }
    case 'USER_ACTION_DENIED':
    case 'USER_ACTION_EXPIRED': {
      if (state.status !== 'WAITING_USER_ACTION') return refuse(state, event)
      const message = event.type === 'USER_ACTION_DENIED' ? USER_ACTION_MESSAGES.denied : USER_ACTION_MESSAGES.expired
      return finish(state, 'USER_AUTHORIZATION_NOT_GRANTED', { message })
    }
    case 'AUTHORIZATION_PENDING': {
      if (state.status !== 'UPDATING' || !LOGIN_STEPS.includes(current)) return refuse(state, event)
      // The follow-up executions are scheduled with the outcome's bookkeeping (execution-outcome.ts).
      return finish(state, 'USER_AUTHORIZATION_PENDING', undefined, { userAction: event.userAction })
    }
    case 'AUTHORIZATION_DEADLINE_PASSED': {
      if (state.status !== 'UPDATING' || !LOGIN_STEPS.includes(current)) return refuse(state, event)
      return finish(state, 'USER_AUTHORIZATION_NOT_GRANTED')
    }
    case 'CONNECTOR_FAILED': {
      // A connector fails during login or collection; once MERGING starts only the merge decides.
      if (state.status !== 'UPDATING' || current === 'CREATED' || current === 'MERGING') return refuse(state, event)
      const loginOnly = ERROR_OUTCOME_ITEM_STATUS[event.outcome] === 'LOGIN_ERROR'
      if (loginOnly && !LOGIN_STEPS.includes(current)) return refuse(state, event)
      return finish(state, event.outcome, event)
    }
    case 'MERGE_SUCCEEDED': {
      if (current !== 'MERGING') return refuse(state, event)
      const outcome = state.failedProducts.length > 0 ? 'PARTIAL_SUCCESS' : 'SUCCESS'
      return finish(state, outcome, undefined, {}, event.firstConnection ? 'item/created' : 'item/updated')
    }
    case 'MERGE_FAILED': {
      if (current !== 'MERGING') return refuse(state, event)
      return finish(state, 'MERGE_ERROR')
    }
    case 'UNEXPECTED_ERROR': {
      if (!running) return refuse(state, event)
      return finish(state, 'ERROR', { message: event.message })
    }
    case 'CANCELLED':
    case 'DEADLINE_EXCEEDED':
    case 'WORKER_LOST': {
      if (!running) return refuse(state, event)
      const message = {
        CANCELLED: 'The execution was cancelled.',
        DEADLINE_EXCEEDED: 'The execution took longer than its deadline and was stopped. Try again later.',
        WORKER_LOST: 'The worker running the execution stopped. Try again later.',
      }[event.type]
      return finish(state, 'ERROR', { message })
    }
    default:
      return assertNever(event)
  }
}

/**
 * The invariants of SPEC §2.2 that hold for every stored item state. Returns the broken ones
 * (empty when the state is valid); the engine refuses to save a state that breaks any.
 */
export function invariantViolations(state: LifecycleState): string[] {
  const violations: string[] = []
  const exec = state.executionStatus
  const expectedStatus: ItemStatus = isStepStatus(exec) ? 'UPDATING' : isWaitingStatus(exec) ? exec : itemStatusAfter(exec)
  if (state.status !== expectedStatus) {
    violations.push(`status ${state.status} does not match executionStatus ${exec} (expected ${expectedStatus})`)
  }
  const errorExpected = isFinalOutcome(exec) && isErrorOutcome(exec)
  if (errorExpected !== (state.error !== null)) {
    violations.push(errorExpected ? `error missing for ${exec}` : `error present while ${exec}`)
  }
  if (state.error && errorExpected && state.error.code !== errorCodeOf(exec as ErrorOutcome)) {
    violations.push(`error.code ${state.error.code} does not match ${exec}`)
  }
  if (state.error && !state.error.message.trim()) violations.push('error.message is empty')
  if (state.parameter !== null && state.status !== 'WAITING_USER_INPUT') {
    violations.push('parameter present while not WAITING_USER_INPUT')
  }
  if (state.status === 'WAITING_USER_INPUT' && state.parameter === null) {
    violations.push('WAITING_USER_INPUT without a parameter')
  }
  if (state.userAction !== null && exec !== 'USER_AUTHORIZATION_PENDING' && exec !== 'WAITING_USER_ACTION') {
    violations.push('userAction present while neither USER_AUTHORIZATION_PENDING nor WAITING_USER_ACTION')
  }
  if (state.status === 'WAITING_USER_ACTION' && state.userAction === null) {
    violations.push('WAITING_USER_ACTION without a userAction')
  }
  if (state.consecutiveFailedLoginAttempts < 0) violations.push('negative consecutiveFailedLoginAttempts')
  return violations
}

/** The state of an item that has never run, before its first execution is created. */
export function initialLifecycleState(): LifecycleState {
  return {
    status: 'UPDATED',
    executionStatus: 'SUCCESS',
    error: null,
    parameter: null,
    userAction: null,
    consecutiveFailedLoginAttempts: 0,
    failedProducts: [],
  }
}
