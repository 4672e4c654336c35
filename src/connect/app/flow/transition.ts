/**
 * The Connect page's flow: `transition(state, event) → { state, screen, messages, effects }`, a pure
 * function (no DOM, no network, no clock) in the shape of the engine's own lifecycle. The shell
 * (connect-app.ts) performs the effects, renders the screen and hands the messages to the host.
 *
 * institutions → credentials → progress ⇄ MFA / device authorization → success | error
 *
 * Host events follow the reference Connect SDK's meanings: SUBMITTED_LOGIN / SUBMITTED_MFA when the
 * user sends a form, LOGIN_SUCCESS / LOGIN_MFA_SUCCESS when the API accepted it, ITEM_RESPONSE for
 * every item the page reads, LOGIN_STEP_COMPLETED once per execution when the institution accepted
 * the login.
 */
import { STEP_ORDER } from '../../../domain/statuses.ts'
import { ERROR_SCREENS, type ErrorCode } from '../i18n.ts'
import type { Connector, Item, ItemState } from '../types.ts'
import type { ApiFailure, ConnectEventName, CredentialsMode, Effect, FlowEvent, FlowOptions, FlowState, HostMessage, Outcome, Screen, Transition } from './state.ts'

const IN_PROGRESS: ReadonlySet<string> = new Set(STEP_ORDER)
/** Reaching one of these means the institution accepted the login. */
const AFTER_LOGIN: ReadonlySet<string> = new Set([...STEP_ORDER.slice(STEP_ORDER.indexOf('ACCOUNTS_IN_PROGRESS')), 'SUCCESS', 'PARTIAL_SUCCESS'])

/** The host hears this when the page has no token (the API's own sentences cover everything else). */
export const NO_TOKEN_MESSAGE = 'The Connect page was opened without a connect token.'

interface Output {
  messages: HostMessage[]
  effects: Effect[]
}

export function initialState(options: FlowOptions): FlowState {
  return { options, phase: { name: 'loading' }, connectors: [], connector: null, item: null, mode: 'create', following: null }
}

export function transition(state: FlowState, event: FlowEvent): Transition {
  const out: Output = { messages: [], effects: [] }
  const next = reduce(state, event, out)
  return { state: next, screen: screenOf(next), messages: out.messages, effects: out.effects }
}

function reduce(s: FlowState, e: FlowEvent, out: Output): FlowState {
  switch (e.type) {
    case 'start':
      return start(s, out)
    case 'connectors-loaded':
      return connectorsLoaded(s, e.connectors, out)
    case 'item-loaded':
      return itemLoaded(s, e.item, e.purpose, out)
    case 'request-failed':
      return requestFailed(s, e.request, e.failure, out)
    case 'institution-chosen':
      return s.phase.name === 'institutions' ? choose(s, e.connector, true, out) : s
    case 'back':
      if (s.phase.name !== 'credentials' || !s.phase.canGoBack || s.phase.busy) return s
      out.messages.push(hostEvent('SELECTED_INSTITUTION', { connector: null }))
      return { ...s, connector: null, phase: { name: 'institutions' } }
    case 'credentials-submitted':
      return submitCredentials(s, e.parameters, out)
    case 'sync-requested':
      return sync(s, out)
    case 'reenter-requested':
      return s.connector ? credentials(s, 'reenter') : s
    case 'other-institution-requested':
      stopFollowing(s, out)
      return { ...s, item: null, connector: null, following: null, mode: 'create', phase: { name: 'institutions' } }
    case 'item-answered':
      return itemAnswered(s, e.request, e.item, out)
    case 'item-retrieved':
      return itemRetrieved(s, e.item, out)
    case 'live':
      return live(s, e.state, e.executionId, out)
    case 'mfa-submitted':
      if (s.phase.name !== 'mfa' || s.phase.busy || !s.item) return s
      out.messages.push(hostEvent('SUBMITTED_MFA', { item: s.item }))
      out.effects.push({ type: 'send-mfa', itemId: s.item.id, values: e.values })
      return { ...s, phase: { ...s.phase, busy: true, failure: null, notWaiting: false } }
    case 'close-requested':
      return close(s, out)
    default:
      return exhaustive(e)
  }
}

function start(s: FlowState, out: Output): FlowState {
  if (!s.options.hasToken) return fatal(s, null, out)
  out.messages.push(hostEvent('OPEN'))
  if (s.options.updateItem) {
    out.effects.push({ type: 'load-item', itemId: s.options.updateItem, purpose: 'open' })
    return { ...s, mode: 'update' }
  }
  out.effects.push({ type: 'load-connectors', query: connectorQuery(s.options) })
  return s
}

/** GET /connectors query for the options (the products filter is applied to the answer). */
export function connectorQuery(options: FlowOptions): string {
  const query = new URLSearchParams()
  if (options.includeSandbox) query.set('sandbox', 'true')
  if (options.connectorIds.length) query.set('ids', options.connectorIds.join(','))
  if (options.connectorTypes.length) query.set('types', options.connectorTypes.join(','))
  if (options.countries.length) query.set('countries', options.countries.join(','))
  return query.toString()
}

function connectorsLoaded(s: FlowState, loaded: Connector[], out: Output): FlowState {
  const { products, connectorIds, selectedConnectorId } = s.options
  // Live institutions first, then A–Z (Tributary keeps no usage ranking).
  const connectors = loaded.filter((c) => products.every((p) => c.products.includes(p))).sort((a, b) => Number(a.isSandbox) - Number(b.isSandbox) || a.name.localeCompare(b.name))
  const next = { ...s, connectors }
  if (connectors.length === 1 && connectorIds.length === 1) return choose(next, connectors[0]!, false, out)
  const selected = connectors.find((c) => c.id === selectedConnectorId)
  if (selected) return choose(next, selected, connectors.length > 1, out)
  return { ...next, phase: { name: 'institutions' } }
}

function choose(s: FlowState, connector: Connector, canGoBack: boolean, out: Output): FlowState {
  out.messages.push(hostEvent('SELECTED_INSTITUTION', { connector }))
  return { ...s, connector, phase: { name: 'credentials', mode: 'create', canGoBack, busy: false, failure: null } }
}

function itemLoaded(s: FlowState, item: Item, purpose: 'open' | 'attach', out: Output): FlowState {
  out.messages.push(hostEvent('ITEM_RESPONSE', { item }))
  const next = { ...s, item, connector: item.connector ?? s.connector }
  if (!next.connector) return fatal(next, { status: 404, code: 'CONNECTOR_NOT_FOUND', message: 'The item’s institution is not available.', details: [], data: {} }, out)
  if (purpose === 'attach' || item.status === 'UPDATING' || item.status === 'WAITING_USER_INPUT') return follow(next, item, out)
  if (s.options.autoUpdate && canSyncAsIs(item, next.connector)) {
    out.effects.push({ type: 'sync-item', itemId: item.id })
    return { ...next, phase: { name: 'progress', step: 'CREATED' } }
  }
  return credentials(next, 'update')
}

function credentials(s: FlowState, mode: CredentialsMode): FlowState {
  return { ...s, phase: { name: 'credentials', mode, canGoBack: false, busy: false, failure: null } }
}

function submitCredentials(s: FlowState, parameters: Record<string, string>, out: Output): FlowState {
  const phase = s.phase
  if (phase.name !== 'credentials' || phase.busy || !s.connector) return s
  out.messages.push(hostEvent('SUBMITTED_LOGIN', { connector: s.connector }))
  if (phase.mode === 'create' && !s.item) {
    const products = s.options.products
    out.effects.push({ type: 'create-item', body: { connectorId: s.connector.id, parameters, ...(products.length ? { products } : {}) } })
  } else if (s.item) {
    out.effects.push({ type: 'update-item', itemId: s.item.id, parameters })
  }
  return { ...s, phase: { ...phase, busy: true, failure: null } }
}

/** "Try again" / "Sync now": the same item with its saved credentials, unless its connector needs a fresh 1-step code. */
function sync(s: FlowState, out: Output): FlowState {
  const phase = s.phase
  if ((phase.name !== 'error' && phase.name !== 'credentials') || phase.busy || !s.item) return s
  if (phase.name === 'error' && s.connector?.credentials.some((f) => f.mfa)) return credentials(s, 'retry-mfa')
  out.effects.push({ type: 'sync-item', itemId: s.item.id })
  return { ...s, phase: { ...phase, busy: true, failure: null } }
}

function canSyncAsIs(item: Item, connector: Connector): boolean {
  return (item.status === 'UPDATED' || item.status === 'OUTDATED') && !connector.credentials.some((f) => f.mfa)
}

function itemAnswered(s: FlowState, request: 'create-item' | 'update-item' | 'sync-item' | 'send-mfa', item: Item, out: Output): FlowState {
  out.messages.push(hostEvent('ITEM_RESPONSE', { item }))
  if (request === 'send-mfa') {
    out.messages.push(hostEvent('LOGIN_MFA_SUCCESS', { item }))
    // Through the live view: the stream may already have told something newer than this answer.
    out.effects.push({ type: 'offer', item })
    const following = s.following && s.phase.name === 'mfa' ? { ...s.following, submittedMfa: [...s.following.submittedMfa, mfaKey(s.phase.parameter)] } : s.following
    return { ...s, item: newer(s.item, item), following }
  }
  if (request !== 'sync-item') out.messages.push(hostEvent('LOGIN_SUCCESS', { item }))
  return follow(s, item, out)
}

/** Follows the execution that this answer started (or that was already running). */
function follow(s: FlowState, item: Item, out: Output): FlowState {
  out.effects.push({ type: 'follow', item })
  return { ...s, item, connector: item.connector ?? s.connector, following: { since: item.updatedAt, executionId: null, loginCompleted: false, submittedMfa: [] } }
}

function itemRetrieved(s: FlowState, item: Item, out: Output): FlowState {
  out.messages.push(hostEvent('ITEM_RESPONSE', { item }))
  let next: FlowState = { ...s, item: newer(s.item, item) }
  const following = s.following
  if (following && !following.loginCompleted && item.updatedAt >= following.since && AFTER_LOGIN.has(item.executionStatus)) {
    out.messages.push(hostEvent('LOGIN_STEP_COMPLETED', { item }))
    next = { ...next, following: { ...following, loginCompleted: true } }
  }
  return s.phase.name === 'finishing' ? finish(next, s.phase.outcome, out) : next
}

function live(s: FlowState, state: ItemState, executionId: string | null, out: Output): FlowState {
  let following = s.following
  const phase = s.phase
  // Not following: the execution ended (or never started); finishing: its end is being told.
  if (!following || phase.name === 'finishing') return s
  if (executionId && executionId !== following.executionId) {
    // A new execution (the engine's follow-up after a device authorization) logs in anew.
    following = following.executionId === null ? { ...following, executionId } : { ...following, executionId, loginCompleted: false, submittedMfa: [] }
  }
  const next = { ...s, following }
  const status = state.executionStatus
  if (status === 'WAITING_USER_INPUT' && state.parameter) {
    const key = mfaKey(state.parameter)
    if (following.submittedMfa.includes(key) || (phase.name === 'mfa' && mfaKey(phase.parameter) === key)) return next
    out.messages.push(hostEvent('WAITING_USER_INPUT', { item: s.item }))
    return { ...next, phase: { name: 'mfa', parameter: state.parameter, busy: false, failure: null, notWaiting: false } }
  }
  // Open Finance: the user goes to the institution's own page; the execution waits for the return.
  if (status === 'WAITING_USER_ACTION') {
    if (phase.name !== 'authorization') out.messages.push(hostEvent('WAITING_USER_ACTION', { item: s.item }))
    return { ...next, phase: { name: 'authorization', userAction: state.userAction, checking: false } }
  }
  if (status === 'USER_AUTHORIZATION_PENDING') {
    if (phase.name !== 'authorization') out.messages.push(hostEvent('WAITING_USER_ACTION', { item: s.item }))
    return { ...next, phase: { name: 'authorization', userAction: state.userAction, checking: false } }
  }
  if (IN_PROGRESS.has(status) || status === 'WAITING_USER_INPUT') {
    // The engine's follow-up execution logs in again: stay on the approval screen meanwhile.
    if (phase.name === 'authorization' && (status === 'CREATED' || status === 'LOGIN_IN_PROGRESS')) return { ...next, phase: { ...phase, checking: true } }
    if (phase.name !== 'progress' || phase.step !== status) out.messages.push(hostEvent('STEP_CHANGED', { step: status }))
    return { ...next, phase: { name: 'progress', step: status } }
  }
  const outcome: Outcome =
    status === 'SUCCESS' || status === 'PARTIAL_SUCCESS' ? { ok: true } : { ok: false, error: state.error ?? { code: status === 'ERROR' ? 'UNEXPECTED_ERROR' : status, message: status } }
  // The item is read once more before the outcome is told, so the host gets it whole.
  out.effects.push({ type: 'stop-following' })
  if (s.item) out.effects.push({ type: 'retrieve-item', itemId: s.item.id })
  const finishing: FlowState = { ...next, phase: { name: 'finishing', outcome, under: phase } }
  return s.item ? finishing : finish(finishing, outcome, out)
}

function finish(s: FlowState, outcome: Outcome, out: Output): FlowState {
  const item = s.item
  if (outcome.ok) {
    out.messages.push(hostEvent('CONNECTION_SUCCESS', { item }), { type: 'success', item })
    return { ...s, following: null, phase: { name: 'success' } }
  }
  const { error } = outcome
  out.messages.push(hostEvent('CONNECTION_ERROR', { item, error: { code: error.code, message: error.message } }), { type: 'error', message: error.message, item })
  return { ...s, following: null, phase: { name: 'error', error, busy: false, failure: null } }
}

function requestFailed(s: FlowState, request: Effect['type'], failure: ApiFailure, out: Output): FlowState {
  const phase = s.phase
  if (request === 'load-connectors' || request === 'load-item' || failure.status === 401) return fatal(s, failure, out)
  if (request === 'retrieve-item') return phase.name === 'finishing' ? finish(s, phase.outcome, out) : s
  if (failure.code === 'ITEM_ALREADY_UPDATING' && s.item) {
    // Someone else started an execution meanwhile: follow that one.
    out.effects.push({ type: 'load-item', itemId: s.item.id, purpose: 'attach' })
    return s
  }
  if (request === 'send-mfa') {
    if (phase.name !== 'mfa') return s
    if (failure.code !== 'ITEM_NOT_WAITING_USER_INPUT') return { ...s, phase: { ...phase, busy: false, failure } }
    // The question is over (answered elsewhere, or expired): do not ask it again; the live view moves on.
    const following = s.following ? { ...s.following, submittedMfa: [...s.following.submittedMfa, mfaKey(phase.parameter)] } : null
    return { ...s, following, phase: { ...phase, busy: false, failure: null, notWaiting: true } }
  }
  if (request === 'sync-item' && s.connector && (failure.code === 'PARAMETERS_NOT_PROVIDED' || failure.code === 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR')) {
    return credentials(s, failure.code === 'PARAMETERS_NOT_PROVIDED' ? 'reenter' : 'retry-mfa')
  }
  if (phase.name === 'credentials' || phase.name === 'error') return { ...s, phase: { ...phase, busy: false, failure } }
  // An update started by the page itself (update mode) was refused: ask for credentials, saying why.
  if (s.connector) return { ...s, phase: { name: 'credentials', mode: 'update', canGoBack: false, busy: false, failure } }
  return fatal(s, failure, out)
}

function fatal(s: FlowState, failure: ApiFailure | null, out: Output): FlowState {
  stopFollowing(s, out)
  out.messages.push({ type: 'error', message: failure ? failure.message : NO_TOKEN_MESSAGE, item: null })
  return { ...s, following: null, phase: { name: 'fatal', failure } }
}

function close(s: FlowState, out: Output): FlowState {
  const running = s.phase.name === 'progress' || s.phase.name === 'mfa' || s.phase.name === 'authorization' || s.phase.name === 'finishing'
  if (s.options.allowConnectInBackground && s.following && running) {
    out.messages.push({ type: 'hide' })
    return s
  }
  stopFollowing(s, out)
  out.messages.push(hostEvent('CLOSE'), { type: 'close' })
  return { ...s, following: null }
}

function stopFollowing(s: FlowState, out: Output): void {
  if (s.following) out.effects.push({ type: 'stop-following' })
}

function hostEvent(event: ConnectEventName, extra: Omit<Extract<HostMessage, { type: 'event' }>, 'type' | 'event'> = {}): HostMessage {
  return { type: 'event', event, ...extra }
}

/** The newer of two reads of one item (answers and reads may arrive out of order). */
function newer(current: Item | null, candidate: Item): Item {
  return current && current.id === candidate.id && current.updatedAt > candidate.updatedAt ? current : candidate
}

const mfaKey = (parameter: { name: string; expiresAt?: string | null }) => `${parameter.name}|${parameter.expiresAt ?? ''}`

// biome-ignore lint/suspicious/noPrototypeBuiltins: Object.hasOwn is missing from the older mobile web views the Connect page runs in
const isErrorCode = (code: string): code is ErrorCode => Object.prototype.hasOwnProperty.call(ERROR_SCREENS, code)

export function screenOf(s: FlowState): Screen {
  const phase = s.phase
  const connector = s.connector
  switch (phase.name) {
    case 'loading':
    case 'institutions':
      return phase.name === 'loading' ? { name: 'loading' } : { name: 'institutions', connectors: s.connectors }
    case 'fatal':
      return { name: 'fatal', failure: phase.failure }
    case 'credentials':
      if (!connector) return { name: 'loading' }
      return {
        name: 'credentials',
        connector,
        mode: phase.mode,
        canGoBack: phase.canGoBack,
        canSyncAsIs: phase.mode === 'update' && s.item !== null && canSyncAsIs(s.item, connector),
        busy: phase.busy,
        failure: phase.failure,
      }
    case 'progress':
      return { name: 'progress', connector, step: phase.step }
    case 'mfa':
      return { name: 'mfa', connector, parameter: phase.parameter, busy: phase.busy, failure: phase.failure, notWaiting: phase.notWaiting }
    case 'authorization':
      return { name: 'authorization', connector, userAction: phase.userAction, checking: phase.checking }
    case 'finishing':
      return screenOf({ ...s, phase: phase.under })
    case 'success': {
      const failedProducts = Object.entries(s.item?.statusDetail ?? {})
        .filter(([, detail]) => detail && !detail.isUpdated)
        .map(([product]) => product)
      return { name: 'success', connector, failedProducts, canClose: s.options.embedded }
    }
    case 'error': {
      const code = isErrorCode(phase.error.code) ? phase.error.code : 'UNEXPECTED_ERROR'
      return {
        name: 'error',
        connector,
        code,
        providerMessage: phase.error.providerMessage ?? null,
        action: ERROR_SCREENS[code].action,
        canChooseAnother: s.mode === 'create' && s.connectors.length > 1,
        canClose: s.options.embedded,
        busy: phase.busy,
        failure: phase.failure,
      }
    }
    default:
      return exhaustive(phase)
  }
}

function exhaustive(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`)
}
