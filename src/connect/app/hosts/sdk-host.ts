/**
 * The page as the child of the reference's Connect SDKs (pluggy-connect-sdk 2.14.2 and
 * react-pluggy-connect 2.12.0): the SDK renders it in an iframe with zoid, under the tag
 * `pluggy-connect-widget`, and keeps that iframe hidden until the child completes zoid's handshake.
 * zoid itself (the version the SDK pins: a zoid child refuses a parent of another version) does the
 * handshake and hands over the application's options and callbacks as `window.xprops`.
 */
import { create } from 'zoid/dist/zoid.frame.js'
import type { HostMessage } from '../flow/state.ts'
import type { Host } from './host.ts'
import { sdkCalls, type SdkCallName } from './sdk-calls.ts'

export const SDK_TAG = 'pluggy-connect-widget'

/** zoid names the frame it renders `__zoid__<tag, with underscores>__<payload>`. */
export function isSdkChild(windowName: string): boolean {
  return windowName.startsWith(`__zoid__${SDK_TAG.replace(/-/g, '_')}__`)
}

/** The SDK's props (options, renamed callbacks) and zoid's own helpers, as the page receives them. */
export type SdkProps = Record<string, unknown> & Partial<Record<SdkCallName, (argument?: unknown) => unknown>>

/** Completes zoid's handshake with the SDK (the SDK then shows the frame) and returns its props. */
export function connectToSdk(): SdkProps {
  const component = create({ tag: SDK_TAG, url: () => window.location.href })
  if (!component.xprops) throw new Error('The Connect SDK did not pass its options.')
  return component.xprops as SdkProps
}

export class SdkHost implements Host {
  readonly embedded = true

  constructor(private readonly props: SdkProps) {}

  send(message: HostMessage): void {
    for (const call of sdkCalls(message, Date.now())) {
      if (call.name === 'postMessage') {
        const parentDomain = typeof this.props.getParentDomain === 'function' ? this.props.getParentDomain() : null
        if (typeof parentDomain === 'string') window.parent.postMessage(call.argument, parentDomain)
        continue
      }
      const target = this.props[call.name]
      if (typeof target !== 'function') continue
      try {
        // Cross-window calls answer with a promise; what the application's callback does is its own business.
        const answer = 'argument' in call ? target(call.argument) : target()
        if (answer && typeof (answer as Promise<unknown>).catch === 'function') (answer as Promise<unknown>).catch(() => undefined)
      } catch {
        // Same: a callback that throws must not stop the page.
      }
    }
  }
}
