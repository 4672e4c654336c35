import { bulkInvariantViolations, transitionBulkPayment, type BulkPaymentEvent, type BulkPaymentState } from './bulk-payment.ts'
import { moveIntent, startIntent, type IntentMove, type IntentOwner } from './intent-moves.ts'
import { BULK_LIFECYCLE, INTENT_LIFECYCLE, REQUEST_LIFECYCLE } from './lifecycle-catalog.ts'
import type { LifecycleSpec } from './lifecycle-walk.ts'
import { intentInvariantViolations, type PaymentIntentEvent, type PaymentIntentState } from './payment-intent.ts'
import { INTENT_KIND_OF, createdRequest, requestInvariantViolations, transitionRequest, type PaymentRequestEvent, type PaymentRequestState, type RequestKind } from './payment-request.ts'
import { isFinalIntentStatus } from './statuses.ts'
import { accept, type Transition } from './transition.ts'

/**
 * A payment request (or a bulk payment) together with its latest intent, driven as the engine
 * drives them: a payer starts an intent, the intent moves and its owner follows, the owner has
 * events of its own. Walking these flows shows the statuses a request really passes through, and
 * checks that an owner and its intent never disagree.
 */
export interface FlowState<O> {
  owner: O
  intent: PaymentIntentState | null
}

export type FlowEvent<OE> = { type: 'INTENT_STARTED' } | { type: 'INTENT'; event: PaymentIntentEvent } | { type: 'OWN'; event: OE }

function applyMove<O>(result: IntentMove, unwrap: (owner: IntentOwner) => O): Transition<FlowState<O>> {
  if (!result.ok) return result
  return accept({ owner: unwrap(result.owner.next), intent: result.intent.next }, [...result.intent.effects, ...result.owner.effects])
}

function flowSpec<O, OE extends { type: string }>(options: {
  name: string
  initial: O[]
  ownerEvents: OE[]
  wrap(owner: O): IntentOwner
  unwrap(owner: IntentOwner): O
  own(owner: O, event: OE): Transition<O>
  invariants(owner: O): string[]
  status(owner: O): string
  inProgress(owner: O): boolean
  amountCents: number
  /** The intents started are Pix QR top-ups issued at this instant. */
  pixQrAt?: string
}): LifecycleSpec<FlowState<O>, FlowEvent<OE>> {
  return {
    name: options.name,
    initial: options.initial.map((owner) => ({ owner, intent: null })),
    events: [
      { type: 'INTENT_STARTED' },
      ...INTENT_LIFECYCLE.events.map((event): FlowEvent<OE> => ({ type: 'INTENT', event })),
      ...options.ownerEvents.map((event): FlowEvent<OE> => ({ type: 'OWN', event })),
    ],
    transition(state, event) {
      switch (event.type) {
        case 'INTENT_STARTED':
          return applyMove(startIntent(options.wrap(state.owner), options.amountCents, options.pixQrAt), options.unwrap)
        case 'INTENT':
          if (!state.intent) return { ok: false, reason: `${event.event.type} is not allowed: no intent was started` }
          return applyMove(moveIntent(options.wrap(state.owner), state.intent, event.event), options.unwrap)
        case 'OWN': {
          const result = options.own(state.owner, event.event)
          return result.ok ? accept({ ...state, owner: result.next }, result.effects) : result
        }
      }
    },
    invariants(state) {
      const violations = [...options.invariants(state.owner), ...(state.intent ? intentInvariantViolations(state.intent) : [])]
      const running = state.intent !== null && !isFinalIntentStatus(state.intent.status)
      if (options.inProgress(state.owner) !== running)
        violations.push(`the owner says an intent is ${options.inProgress(state.owner) ? '' : 'not '}in progress; its intent is ${state.intent?.status ?? 'absent'}`)
      return violations
    },
    status: (state) => options.status(state.owner),
    label: (event) => (event.type === 'INTENT' || event.type === 'OWN' ? event.event.type : event.type),
  }
}

/** The request's own events (not the ones its intent drives). */
const REQUEST_OWN_EVENTS = REQUEST_LIFECYCLE.events.filter((e) => e.type !== 'INTENT_STARTED' && e.type !== 'INTENT_MOVED')

export function requestFlow(kind: RequestKind, inBulk = false): LifecycleSpec<FlowState<PaymentRequestState>, FlowEvent<PaymentRequestEvent>> {
  return flowSpec<PaymentRequestState, PaymentRequestEvent>({
    name: `${inBulk ? 'bulk member' : kind} payment request`,
    initial: [createdRequest(kind, inBulk)],
    ownerEvents: REQUEST_OWN_EVENTS,
    wrap: (state) => ({ type: 'REQUEST', state }),
    unwrap: (owner) => owner.state as PaymentRequestState,
    own: transitionRequest,
    invariants: (request) => {
      const violations = requestInvariantViolations(request)
      if (request.kind !== kind) violations.push(`the request became ${request.kind}`)
      return violations
    },
    status: (request) => request.status,
    inProgress: (request) => request.intentInProgress,
    amountCents: INTENT_KIND_OF[kind] === 'AUTOMATIC_PIX' ? 0 : 10_000,
  })
}

const bulkFlowOptions = {
  initial: BULK_LIFECYCLE.initial,
  ownerEvents: BULK_LIFECYCLE.events.filter((e) => e.type !== 'INTENT_STARTED' && e.type !== 'INTENT_MOVED'),
  wrap: (state: BulkPaymentState): IntentOwner => ({ type: 'BULK', state }),
  unwrap: (owner: IntentOwner) => owner.state as BulkPaymentState,
  own: transitionBulkPayment,
  invariants: bulkInvariantViolations,
  status: (bulk: BulkPaymentState) => bulk.status,
  inProgress: (bulk: BulkPaymentState) => bulk.intentInProgress,
  amountCents: 3_500,
}

export const BULK_FLOW = flowSpec<BulkPaymentState, BulkPaymentEvent>({ name: 'bulk payment', ...bulkFlowOptions })

/** A bulk payment topped up by a Pix QR code (no consent), as the sandbox pays it at the start of the walk's day. */
export const BULK_PIX_QR_FLOW = flowSpec<BulkPaymentState, BulkPaymentEvent>({ name: 'bulk payment by Pix QR', ...bulkFlowOptions, pixQrAt: '2026-03-02T12:00:00.000Z' })

/** Every flow, in the order docs/payments.md presents their diagrams. */
export const PAYMENT_FLOWS = [requestFlow('ONE_OFF'), requestFlow('SCHEDULED'), requestFlow('AUTOMATIC_PIX'), requestFlow('ONE_OFF', true), BULK_FLOW, BULK_PIX_QR_FLOW] as const
