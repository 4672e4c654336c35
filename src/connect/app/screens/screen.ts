/** What every screen module shares: how it is mounted and updated, and what it may use. */
import { h, logo } from '../dom.ts'
import type { FlowEvent, Screen } from '../flow/state.ts'
import type { Language, Translate } from '../i18n.ts'
import type { Connector } from '../types.ts'

export interface ScreenContext {
  t: Translate
  language: Language
  /** Tells the flow what the user did. */
  dispatch(event: FlowEvent): void
  /** Says something to screen readers (the polite live region). */
  announce(text: string): void
  /** Server time now, as this browser best knows it (ms). */
  serverNow(): number
  /** Values for credential fields of the same name. */
  prefill: Readonly<Record<string, string>>
}

/** A mounted screen. The shell calls `update` while the screen's key stays the same, else mounts anew. */
export interface ScreenView<S extends Screen = Screen> {
  nodes: (Node | null)[]
  update?(screen: S): void
  dispose?(): void
  /** Where the focus goes once mounted (default: the heading). */
  focus?: HTMLElement
}

export type ScreenOf<N extends Screen['name']> = Extract<Screen, { name: N }>

export function institutionHeader(connector: Connector | null, t: Translate): HTMLElement | null {
  if (!connector) return null
  return h('div', { class: 'institution-header' }, logo(connector, 'large'), connector.isSandbox ? h('span', { class: 'badge' }, t('app.sandbox')) : null)
}
