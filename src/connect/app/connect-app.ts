/**
 * The shell around the pure flow: it feeds events to `transition`, renders the screen it returns,
 * hands its messages to the host, and performs its effects (API calls, the live view), whose
 * answers come back as events. Nothing here decides what happens next.
 */
import { Api, ApiError, LiveItem } from './api.ts'
import { h, icon } from './dom.ts'
import type { ApiFailure, Effect, FlowEvent, FlowState, Screen } from './flow/state.ts'
import { initialState, transition } from './flow/transition.ts'
import type { Host } from './hosts/host.ts'
import { translator, type Translate } from './i18n.ts'
import { itemIdOfToken, type ConnectOptions } from './options.ts'
import { mountScreen, screenKey } from './screens/mount.ts'
import type { ScreenContext, ScreenView } from './screens/screen.ts'
import type { Connector, Item, Page } from './types.ts'

export class ConnectApp {
  private state: FlowState
  private readonly queue: FlowEvent[] = []
  private dispatching = false
  private readonly api: Api
  private live: LiveItem | null = null
  private view: { key: string; instance: ScreenView } | null = null
  private readonly t: Translate
  private readonly context: ScreenContext
  private readonly screen: HTMLElement
  private readonly backButton: HTMLButtonElement
  private readonly announcer: HTMLElement

  constructor(
    root: HTMLElement,
    options: ConnectOptions,
    private readonly host: Host,
  ) {
    const token = options.connectToken
    this.api = new Api(token ?? '')
    this.t = translator(options.language)
    this.state = initialState({
      hasToken: Boolean(token),
      includeSandbox: options.includeSandbox,
      connectorIds: options.connectorIds,
      connectorTypes: options.connectorTypes,
      countries: options.countries,
      products: options.products,
      updateItem: options.updateItem ?? (token ? itemIdOfToken(token) : null),
      selectedConnectorId: options.selectedConnectorId,
      autoUpdate: options.autoUpdate,
      allowConnectInBackground: options.allowConnectInBackground,
      embedded: host.embedded,
    })
    this.context = {
      t: this.t,
      language: options.language,
      dispatch: (event) => this.dispatch(event),
      announce: (text) => this.announce(text),
      serverNow: () => this.api.serverNow(),
      prefill: options.prefill,
    }

    document.documentElement.lang = options.language
    if (options.theme === 'dark') document.documentElement.dataset.theme = 'dark'
    document.title = this.t('app.title')
    const close = () => this.dispatch({ type: 'close-requested' })
    this.backButton = h('button', { type: 'button', class: 'icon-button back', 'aria-label': this.t('app.back'), hidden: true, onclick: () => this.dispatch({ type: 'back' }) }, icon('back'))
    const closeButton = host.embedded ? h('button', { type: 'button', class: 'icon-button close', 'aria-label': this.t('app.close'), onclick: close }, icon('close')) : null
    this.screen = h('main', { class: 'screen', id: 'screen' })
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' })
    root.replaceChildren(
      h('div', { class: 'topbar' }, this.backButton, h('span', { class: 'brand' }, this.t('app.title')), closeButton ?? h('span', { class: 'icon-spacer' })),
      this.screen,
      h('footer', { class: 'footer' }, icon('lock', 'icon icon-small'), h('span', {}, this.t('app.secured'))),
      this.announcer,
    )
    if (host.embedded) {
      document.addEventListener('keydown', (event) => {
        const target = event.target
        // Escape inside a select or a filled search box belongs to that control.
        if (event.key !== 'Escape' || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'search' && target.value)) return
        close()
      })
    }
  }

  start(): void {
    this.dispatch({ type: 'start' })
  }

  /** Events raised while one is being handled (a live update from an offer) wait their turn. */
  private dispatch(event: FlowEvent): void {
    this.queue.push(event)
    if (this.dispatching) return
    this.dispatching = true
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const result = transition(this.state, next)
        this.state = result.state
        this.show(result.screen)
        for (const message of result.messages) this.host.send(message)
        for (const effect of result.effects) this.perform(effect)
      }
    } finally {
      this.dispatching = false
    }
  }

  private show(screen: Screen): void {
    this.backButton.hidden = !(screen.name === 'credentials' && screen.canGoBack)
    const key = screenKey(screen)
    if (this.view?.key === key) {
      this.view.instance.update?.(screen)
      return
    }
    this.view?.instance.dispose?.()
    const instance = mountScreen(screen, this.context)
    this.view = { key, instance }
    this.screen.dataset.screen = screen.name
    this.screen.replaceChildren(...instance.nodes.filter((node): node is Node => node !== null))
    // Keyboard and screen-reader users start on the new screen's heading (or its one question).
    const heading = this.screen.querySelector('h1')
    heading?.setAttribute('tabindex', '-1')
    ;(instance.focus ?? heading)?.focus({ preventScroll: true })
    this.screen.scrollTop = 0
    window.scrollTo(0, 0)
  }

  private announce(text: string): void {
    this.announcer.textContent = ''
    window.setTimeout(() => {
      this.announcer.textContent = text
    }, 50)
  }

  private perform(effect: Effect): void {
    const path = (itemId: string, rest = '') => `/items/${encodeURIComponent(itemId)}${rest}`
    switch (effect.type) {
      case 'load-connectors':
        return this.call(effect, this.api.request<Page<Connector>>('GET', `/connectors?${effect.query}`), (page) => ({ type: 'connectors-loaded', connectors: page.results }))
      case 'load-item':
        return this.call(effect, this.api.request<Item>('GET', path(effect.itemId)), (item) => ({ type: 'item-loaded', item, purpose: effect.purpose }))
      case 'create-item':
        return this.call(effect, this.api.request<Item>('POST', '/items', effect.body), (item) => ({ type: 'item-answered', request: effect.type, item }))
      case 'update-item':
        return this.call(effect, this.api.request<Item>('PATCH', path(effect.itemId), { parameters: effect.parameters }), (item) => ({ type: 'item-answered', request: effect.type, item }))
      case 'sync-item':
        return this.call(effect, this.api.request<Item>('PATCH', path(effect.itemId), {}), (item) => ({ type: 'item-answered', request: effect.type, item }))
      case 'send-mfa':
        return this.call(effect, this.api.request<Item>('POST', path(effect.itemId, '/mfa'), effect.values), (item) => ({ type: 'item-answered', request: effect.type, item }))
      case 'retrieve-item':
        return this.call(effect, this.api.request<Item>('GET', path(effect.itemId)), (item) => ({ type: 'item-retrieved', item }))
      case 'follow': {
        this.live?.stop()
        const live = new LiveItem(this.api, effect.item.id, effect.item.updatedAt, {
          onUpdate: (update) => this.dispatch({ type: 'live', state: update.state, executionId: update.executionId }),
          onItem: (item) => this.dispatch({ type: 'item-retrieved', item }),
        })
        this.live = live
        live.offer(effect.item)
        live.start()
        return
      }
      case 'offer':
        this.live?.offer(effect.item)
        return
      case 'stop-following':
        this.live?.stop()
        this.live = null
        return
      default:
        throw new Error(`unexpected effect ${JSON.stringify(effect satisfies never)}`)
    }
  }

  private call<T>(effect: Effect, request: Promise<T>, toEvent: (answer: T) => FlowEvent): void {
    request.then(
      (answer) => this.dispatch(toEvent(answer)),
      (error: unknown) => this.dispatch({ type: 'request-failed', request: effect.type, failure: asFailure(error) }),
    )
  }
}

function asFailure(error: unknown): ApiFailure {
  if (error instanceof ApiError) return error
  return { status: 0, code: 'UNEXPECTED', message: 'The Connect page met an unexpected problem.', details: [], data: {} }
}
