/**
 * The Connect page's flow as data: what it knows, what can happen to it, and what it asks for.
 *
 * Terminology:
 * - flow state: everything the page knows between two events (never a credential or MFA value).
 * - flow event: something that happened — the user did something, or the API answered.
 * - screen: what the user sees, as data; `screens/` turns it into DOM.
 * - effect: an API call or live-view change the shell performs; its answer comes back as an event.
 * - host message: what the page tells the application that opened it (connect.js or the
 *   reference's Connect SDK); `hosts/` turns it into the host's own protocol.
 *
 * `transition(state, event)` (transition.ts) is the only way the state changes.
 */
import type { Connector, Item, ItemError, ItemState, MfaParameter, UserAction } from '../types.ts'
import type { ErrorAction, ErrorCode } from '../i18n.ts'

/** What the flow needs from the page's options (options.ts reads them from the URL or the SDK). */
export interface FlowOptions {
  hasToken: boolean
  includeSandbox: boolean
  connectorIds: number[]
  connectorTypes: string[]
  countries: string[]
  products: string[]
  /** An item id: update mode. */
  updateItem: string | null
  /** Open this institution's form at once (the list stays one step back). */
  selectedConnectorId: number | null
  /** Update mode starts the update at once when the saved credentials can be used (the reference SDK's default). */
  autoUpdate: boolean
  /** Closing the page while an execution runs hides it instead; the flow goes on. */
  allowConnectInBackground: boolean
  /** The page runs inside an application's page or window: it offers Close and Done. */
  embedded: boolean
}

/** An API refusal as the flow sees it (ApiError in api.ts has this shape). */
export interface ApiFailure {
  status: number
  code: string
  message: string
  details: { parameter?: string; message?: string }[]
  data: Record<string, unknown>
}

export type CredentialsMode = 'create' | 'update' | 'reenter' | 'retry-mfa'

/** Where the flow is; each phase shows one screen. */
export type Phase =
  | { name: 'loading' }
  | { name: 'fatal'; failure: ApiFailure | null }
  | { name: 'institutions' }
  | { name: 'credentials'; mode: CredentialsMode; canGoBack: boolean; busy: boolean; failure: ApiFailure | null }
  | { name: 'progress'; step: string }
  | { name: 'mfa'; parameter: MfaParameter; busy: boolean; failure: ApiFailure | null; notWaiting: boolean }
  | { name: 'authorization'; userAction: UserAction | null; checking: boolean }
  /** The execution ended; the page reads the item once more before it says so (the screen stays). */
  | { name: 'finishing'; outcome: Outcome; under: Phase }
  | { name: 'success' }
  | { name: 'error'; error: ItemError; busy: boolean; failure: ApiFailure | null }

export type Outcome = { ok: true } | { ok: false; error: ItemError }

export interface FlowState {
  options: FlowOptions
  phase: Phase
  connectors: Connector[]
  connector: Connector | null
  /** The newest item the page read (answers and retrievals), or null before there is one. */
  item: Item | null
  mode: 'create' | 'update'
  /** The execution being followed: since the `updatedAt` of the answer that started it. */
  following: { since: string; executionId: string | null; loginCompleted: boolean; submittedMfa: string[] } | null
}

export type FlowEvent =
  | { type: 'start' }
  | { type: 'connectors-loaded'; connectors: Connector[] }
  /** GET /items/{id} answered for update mode ('open') or to follow an execution already running ('attach'). */
  | { type: 'item-loaded'; item: Item; purpose: 'open' | 'attach' }
  | { type: 'request-failed'; request: Effect['type']; failure: ApiFailure }
  | { type: 'institution-chosen'; connector: Connector }
  | { type: 'back' }
  /** Valid values from the form; passed on to the request, never kept. */
  | { type: 'credentials-submitted'; parameters: Record<string, string> }
  /** Run the item again with its saved credentials ("sync now", "try again"). */
  | { type: 'sync-requested' }
  | { type: 'reenter-requested' }
  | { type: 'other-institution-requested' }
  | { type: 'item-answered'; request: 'create-item' | 'update-item' | 'sync-item' | 'send-mfa'; item: Item }
  /** GET /items/{id} answered while following (a poll, a stream event's read, the final read). */
  | { type: 'item-retrieved'; item: Item }
  /** The live view's newest state (stream, poll or answer, in order). */
  | { type: 'live'; state: ItemState; executionId: string | null }
  | { type: 'mfa-submitted'; values: Record<string, string> }
  | { type: 'close-requested' }

export type Effect =
  | { type: 'load-connectors'; query: string }
  | { type: 'load-item'; itemId: string; purpose: 'open' | 'attach' }
  | { type: 'create-item'; body: { connectorId: number; parameters: Record<string, string>; products?: string[] } }
  | { type: 'update-item'; itemId: string; parameters: Record<string, string> }
  | { type: 'sync-item'; itemId: string }
  | { type: 'send-mfa'; itemId: string; values: Record<string, string> }
  /** Start the live view of this item from this answer (stream, polling, a read after each status). */
  | { type: 'follow'; item: Item }
  /** A state the page learnt otherwise, for the live view to order with the rest. */
  | { type: 'offer'; item: Item }
  | { type: 'stop-following' }
  | { type: 'retrieve-item'; itemId: string }

/** The reference SDKs' onEvent names (pluggy-connect-sdk's ConnectEventType). */
export const REFERENCE_EVENTS = [
  'SUBMITTED_CONSENT',
  'SELECTED_INSTITUTION',
  'SUBMITTED_LOGIN',
  'SUBMITTED_MFA',
  'LOGIN_SUCCESS',
  'LOGIN_MFA_SUCCESS',
  'LOGIN_STEP_COMPLETED',
  'ITEM_RESPONSE',
] as const
export type ReferenceEvent = (typeof REFERENCE_EVENTS)[number]

/** Every event the page sends: the reference's (but SUBMITTED_CONSENT: there is no terms screen) and Tributary's own. */
export const CONNECT_EVENTS = [
  'OPEN',
  'SELECTED_INSTITUTION',
  'SUBMITTED_LOGIN',
  'ITEM_RESPONSE',
  'LOGIN_SUCCESS',
  'WAITING_USER_INPUT',
  'SUBMITTED_MFA',
  'LOGIN_MFA_SUCCESS',
  'LOGIN_STEP_COMPLETED',
  'WAITING_USER_ACTION',
  'STEP_CHANGED',
  'CONNECTION_SUCCESS',
  'CONNECTION_ERROR',
  'CLOSE',
] as const
export type ConnectEventName = (typeof CONNECT_EVENTS)[number]

export type HostMessage =
  | { type: 'event'; event: ConnectEventName; connector?: Connector | null; item?: Item | null; step?: string; error?: { code: string; message: string } }
  | { type: 'success'; item: Item | null }
  /** The execution ended in an error (item set), or the page cannot go on (item null). */
  | { type: 'error'; message: string; item: Item | null }
  /** Continue in the background: the application hides the page, which keeps following the item. */
  | { type: 'hide' }
  | { type: 'close' }

export type Screen =
  | { name: 'loading' }
  | { name: 'fatal'; failure: ApiFailure | null }
  | { name: 'institutions'; connectors: Connector[] }
  | { name: 'credentials'; connector: Connector; mode: CredentialsMode; canGoBack: boolean; canSyncAsIs: boolean; busy: boolean; failure: ApiFailure | null }
  | { name: 'progress'; connector: Connector | null; step: string }
  | { name: 'mfa'; connector: Connector | null; parameter: MfaParameter; busy: boolean; failure: ApiFailure | null; notWaiting: boolean }
  | { name: 'authorization'; connector: Connector | null; userAction: UserAction | null; checking: boolean }
  | { name: 'success'; connector: Connector | null; failedProducts: string[]; canClose: boolean }
  | {
      name: 'error'
      connector: Connector | null
      code: ErrorCode
      providerMessage: string | null
      action: ErrorAction
      canChooseAnother: boolean
      canClose: boolean
      busy: boolean
      failure: ApiFailure | null
    }

export interface Transition {
  state: FlowState
  screen: Screen
  messages: HostMessage[]
  effects: Effect[]
}
