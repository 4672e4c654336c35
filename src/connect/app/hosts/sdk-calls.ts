/**
 * What the reference's Connect SDKs (pluggy-connect-sdk, react-pluggy-connect) hear from the page,
 * as calls of their zoid props: the application's callbacks, which the SDK renames `onEventProp`,
 * `onSuccessProp`, `onErrorProp`, `onHideProp` (plain `onError`, `onClose` are zoid's own), and
 * zoid's `hide` / `close`. The argument shapes are the SDK's declared types:
 *
 *   onEvent({ event, timestamp, connector })   SELECTED_INSTITUTION (connector null when deselected)
 *   onEvent({ event, timestamp, item })        LOGIN_SUCCESS, LOGIN_MFA_SUCCESS, LOGIN_STEP_COMPLETED, ITEM_RESPONSE
 *   onEvent({ event, timestamp })              SUBMITTED_LOGIN, SUBMITTED_MFA
 *   onSuccess({ item })   onError({ message, data: { item } })   onHide()
 *
 * Hiding also posts the SDK's CONTINUE_IN_BACKGROUND message (a JSON string) to the parent, on which
 * the SDK gives the application's page its scrolling back; it accepts it only when its `url` is
 * this page's origin alone.
 *
 * onOpen and onClose are the SDK's own: it calls them when zoid shows and closes the frame, so the
 * page calls zoid's `close` and never the callbacks themselves (they would run twice).
 */
import { REFERENCE_EVENTS, type HostMessage, type ReferenceEvent } from '../flow/state.ts'

export type SdkCallName = 'onEventProp' | 'onSuccessProp' | 'onErrorProp' | 'onHideProp' | 'hide' | 'close'

export const CONTINUE_IN_BACKGROUND = JSON.stringify({ type: 'CONTINUE_IN_BACKGROUND' })

export interface SdkCall {
  /** A prop to call, or a message to post to the parent window. */
  name: SdkCallName | 'postMessage'
  /** The argument, when the call takes one. */
  argument?: unknown
}

const isReferenceEvent = (event: string): event is ReferenceEvent => (REFERENCE_EVENTS as readonly string[]).includes(event)

/** The SDK calls one host message makes, in order (none for Tributary's own events). */
export function sdkCalls(message: HostMessage, timestamp: number): SdkCall[] {
  switch (message.type) {
    case 'event': {
      const { event } = message
      if (!isReferenceEvent(event)) return []
      if (event === 'SELECTED_INSTITUTION') return [{ name: 'onEventProp', argument: { event, timestamp, connector: message.connector ?? null } }]
      if (event === 'SUBMITTED_LOGIN' || event === 'SUBMITTED_MFA') return [{ name: 'onEventProp', argument: { event, timestamp } }]
      return [{ name: 'onEventProp', argument: { event, timestamp, item: message.item ?? null } }]
    }
    case 'success':
      return [{ name: 'onSuccessProp', argument: { item: message.item } }]
    case 'error':
      return [{ name: 'onErrorProp', argument: message.item ? { message: message.message, data: { item: message.item } } : { message: message.message } }]
    case 'hide':
      return [{ name: 'onHideProp' }, { name: 'hide' }, { name: 'postMessage', argument: CONTINUE_IN_BACKGROUND }]
    case 'close':
      return [{ name: 'close' }]
    default:
      throw new Error(`unexpected host message ${JSON.stringify(message satisfies never)}`)
  }
}
