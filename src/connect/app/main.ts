/**
 * The Connect page (GET /connect): the end user's side of the item lifecycle (SPEC §2).
 *
 * institutions → credentials → progress ⇄ MFA / device authorization → success | error
 *
 * Every screen is built from the API's own descriptions (connector credential fields, the item's
 * `parameter` and `userAction`, `error.code`), in the user's language. Live updates come from the
 * item's event stream, with polling as a fallback. Credentials exist only in the form's inputs
 * until they are sent in a request body: never in storage, a URL, a log, or a message to the host.
 */
import { STEP_ORDER } from '../../domain/statuses.ts'
import { Api, ApiError, IN_PROGRESS, LiveItem, type LiveUpdate } from './api.ts'
import { h, icon, logo } from './dom.ts'
import { buildField, showServerErrors, validateAll, valuesOf, type FieldControl } from './fields.ts'
import { ERROR_SCREENS, STEP_KEYS, translator, type ErrorCode, type MessageKey, type Translate } from './i18n.ts'
import { Messenger } from './messages.ts'
import { itemIdOfToken, parseOrigin, readOptions, urlWithoutToken, type ConnectOptions } from './options.ts'
import type { Connector, CredentialField, Item, ItemError, ItemState, MfaParameter, Page, UserAction } from './types.ts'

type ScreenName = 'loading' | 'institutions' | 'credentials' | 'progress' | 'mfa' | 'authorization' | 'success' | 'error' | 'fatal'
type CredentialsMode = 'create' | 'update' | 'reenter' | 'retry-mfa'

const PRODUCT_KEYS: Record<string, MessageKey> = {
  accounts: 'product.accounts',
  creditCards: 'product.creditCards',
  transactions: 'product.transactions',
  investments: 'product.investments',
  investmentTransactions: 'product.investmentTransactions',
  paymentData: 'product.paymentData',
  identity: 'product.identity',
  opportunities: 'product.opportunities',
}

const TYPE_KEYS: Record<string, MessageKey> = {
  PERSONAL_BANK: 'type.PERSONAL_BANK',
  BUSINESS_BANK: 'type.BUSINESS_BANK',
  INVESTMENT: 'type.INVESTMENT',
  TELECOMMUNICATION: 'type.TELECOMMUNICATION',
  DIGITAL_ECONOMY: 'type.DIGITAL_ECONOMY',
  PAYMENT_ACCOUNT: 'type.PAYMENT_ACCOUNT',
  OTHER: 'type.OTHER',
}

/** Steps after the login: reaching one means the institution accepted the credentials. */
const AFTER_LOGIN: ReadonlySet<string> = new Set(STEP_ORDER.slice(STEP_ORDER.indexOf('ACCOUNTS_IN_PROGRESS')))
const STEPS: readonly string[] = STEP_ORDER

const isErrorCode = (code: string): code is ErrorCode => Object.prototype.hasOwnProperty.call(ERROR_SCREENS, code)

/** The item as the host page sees it: no credentials exist in it, but keep it small anyway. */
function summary(item: Item | null) {
  if (!item) return null
  return {
    id: item.id,
    status: item.status,
    executionStatus: item.executionStatus,
    error: item.error,
    connector: item.connector ? { id: item.connector.id, name: item.connector.name } : null,
    statusDetail: item.statusDetail,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    lastUpdatedAt: item.lastUpdatedAt,
    clientUserId: item.clientUserId,
  }
}

class ConnectApp {
  private readonly t: Translate
  private readonly api: Api
  private readonly messenger: Messenger
  private readonly screen: HTMLElement
  private readonly backButton: HTMLButtonElement
  private readonly announcer: HTMLElement
  private current: ScreenName = 'loading'
  private cleanups: (() => void)[] = []

  private connectors: Connector[] = []
  private connector: Connector | null = null
  private item: Item | null = null
  private mode: 'create' | 'update' = 'create'
  private live: LiveItem | null = null
  private executionId: string | null = null
  private loginReported = false
  private mfaSubmitted = false
  private authorizationPending = false
  private shownMfa: string | null = null
  private readonly submittedMfa = new Set<string>()
  private progressView: { bar: HTMLElement; status: HTMLElement } | null = null
  private authorizationStatus: HTMLElement | null = null

  constructor(
    root: HTMLElement,
    private readonly options: ConnectOptions,
  ) {
    this.t = translator(options.language)
    this.api = new Api(options.connectToken ?? '')
    // Embedded in an iframe, or opened as a popup by connect.js: messages go to that window.
    const host: Window | null = window.parent !== window ? window.parent : ((window.opener as Window | null) ?? null)
    const parentOrigin = host ? (options.parentOrigin ?? parseOrigin(document.referrer)) : null
    this.messenger = new Messenger(host, parentOrigin)

    document.documentElement.lang = options.language
    document.title = this.t('app.title')
    this.backButton = h('button', { type: 'button', class: 'icon-button back', 'aria-label': this.t('app.back'), hidden: true }, icon('back'))
    const closeButton = this.messenger.embedded
      ? h('button', { type: 'button', class: 'icon-button close', 'aria-label': this.t('app.close'), onclick: () => this.messenger.close() }, icon('close'))
      : null
    this.screen = h('main', { class: 'screen', id: 'screen' })
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' })
    root.replaceChildren(
      h('div', { class: 'topbar' }, this.backButton, h('span', { class: 'brand' }, this.t('app.title')), closeButton ?? h('span', { class: 'icon-spacer' })),
      this.screen,
      h('footer', { class: 'footer' }, icon('lock', 'icon icon-small'), h('span', {}, this.t('app.secured'))),
      this.announcer,
    )
    if (this.messenger.embedded) {
      document.addEventListener('keydown', (event) => {
        const target = event.target
        // Escape inside a select or a filled search box belongs to that control.
        if (event.key !== 'Escape' || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'search' && target.value)) return
        this.messenger.close()
      })
    }
  }

  // -------------------------------------------------------------------------------------------
  // Screens

  private render(name: ScreenName, back: (() => void) | null, ...children: (Node | null)[]): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.current = name
    this.progressView = null
    this.authorizationStatus = null
    if (name !== 'mfa') this.shownMfa = null
    this.screen.dataset.screen = name
    this.screen.replaceChildren(...children.filter((c): c is Node => c !== null))
    this.backButton.hidden = back === null
    this.backButton.onclick = back
    // Move focus to the new screen's heading, so keyboard and screen-reader users start there.
    const heading = this.screen.querySelector('h1')
    if (heading) {
      heading.setAttribute('tabindex', '-1')
      heading.focus({ preventScroll: true })
    }
    window.scrollTo(0, 0)
  }

  private announce(text: string): void {
    this.announcer.textContent = ''
    window.setTimeout(() => {
      this.announcer.textContent = text
    }, 50)
  }

  private institutionHeader(connector: Connector): HTMLElement {
    return h('div', { class: 'institution-header' }, logo(connector, 'large'), connector.isSandbox ? h('span', { class: 'badge' }, this.t('app.sandbox')) : null)
  }

  private showLoading(): void {
    this.render('loading', null, h('div', { class: 'center' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('h1', { class: 'sr-only' }, this.t('app.loading')), h('p', { role: 'status' }, this.t('app.loading'))))
  }

  private showFatal(message: string): void {
    this.stopLive()
    this.render('fatal', null, h('div', { class: 'center' }, h('div', { class: 'status-icon status-error' }, icon('alert')), h('h1', {}, this.t('fatal.title')), h('p', { role: 'alert' }, message)))
  }

  private apiMessage(error: unknown): string {
    if (!(error instanceof ApiError)) return this.t('api.unknown', { code: 'UNEXPECTED' })
    switch (error.code) {
      case 'NETWORK_ERROR':
        return this.t('api.NETWORK_ERROR')
      case 'API_KEY_EXPIRED':
      case 'API_KEY_INVALID':
      case 'API_KEY_MISSING':
        return this.t('api.SESSION_EXPIRED')
      case 'FORBIDDEN_FOR_CONNECT_TOKEN':
        return this.t('api.FORBIDDEN')
      case 'ITEM_USER_ALREADY_EXISTS':
      case 'RATE_LIMIT_EXCEEDED':
      case 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR':
      case 'ITEM_NOT_FOUND':
      case 'CONNECTOR_NOT_FOUND':
        return this.t(`api.${error.code}`)
      case 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES': {
        const after = typeof error.data.canRetryAfterDate === 'string' ? new Date(error.data.canRetryAfterDate) : null
        const time = after && !Number.isNaN(after.getTime()) ? after.toLocaleTimeString(this.options.language, { hour: '2-digit', minute: '2-digit' }) : '—'
        return this.t('api.TOO_MANY_CONSECUTIVE_LOGIN_FAILURES', { time })
      }
      case 'CONNECTOR_VALIDATION_ERROR':
      case 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR':
      case 'VALIDATION_ERROR':
        return this.t('credentials.fixErrors')
      default:
        return this.options.language === 'en' && error.message ? error.message : this.t('api.unknown', { code: error.code })
    }
  }

  private isSessionError(error: unknown): boolean {
    return error instanceof ApiError && error.status === 401
  }

  // -------------------------------------------------------------------------------------------
  // Start

  async start(): Promise<void> {
    if (!this.options.connectToken) return this.showFatal(this.t('fatal.noToken'))
    this.showLoading()
    this.messenger.event('OPEN')
    const updateItem = this.options.updateItem ?? itemIdOfToken(this.options.connectToken)
    if (updateItem) return this.startUpdate(updateItem)
    return this.loadInstitutions()
  }

  private async loadInstitutions(): Promise<void> {
    const query = new URLSearchParams()
    if (this.options.includeSandbox) query.set('sandbox', 'true')
    if (this.options.connectorIds.length) query.set('ids', this.options.connectorIds.join(','))
    if (this.options.connectorTypes.length) query.set('types', this.options.connectorTypes.join(','))
    if (this.options.countries.length) query.set('countries', this.options.countries.join(','))
    try {
      const page = await this.api.request<Page<Connector>>('GET', `/connectors?${query}`)
      const products = this.options.products
      this.connectors = page.results
        .filter((c) => products.every((p) => c.products.includes(p)))
        .sort((a, b) => Number(a.isSandbox) - Number(b.isSandbox) || a.name.localeCompare(b.name))
    } catch (error) {
      return this.showFatal(this.apiMessage(error))
    }
    if (this.connectors.length === 1 && this.options.connectorIds.length === 1) return this.selectConnector(this.connectors[0]!, false)
    this.showInstitutions()
  }

  private async startUpdate(itemId: string): Promise<void> {
    this.mode = 'update'
    let item: Item
    try {
      item = await this.api.request<Item>('GET', `/items/${encodeURIComponent(itemId)}`)
    } catch (error) {
      return this.showFatal(this.apiMessage(error))
    }
    this.item = item
    this.connector = item.connector
    if (!this.connector) return this.showFatal(this.t('api.CONNECTOR_NOT_FOUND'))
    if (item.status === 'UPDATING' || item.status === 'WAITING_USER_INPUT') return this.follow(item, false)
    this.showCredentials(this.connector, 'update')
  }

  // -------------------------------------------------------------------------------------------
  // Institutions

  private showInstitutions(): void {
    const t = this.t
    const types = [...new Set(this.connectors.map((c) => c.type))].sort()
    const search = h('input', {
      id: 'institution-search',
      type: 'search',
      placeholder: t('institutions.searchPlaceholder'),
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-controls': 'institution-list',
    })
    const typeFilter = h('select', { id: 'institution-type', 'aria-controls': 'institution-list' }, h('option', { value: '' }, t('institutions.allTypes')), ...types.map((type) => h('option', { value: type }, TYPE_KEYS[type] ? t(TYPE_KEYS[type]!) : type)))
    const list = h('ul', { id: 'institution-list', class: 'institution-list', 'aria-label': t('institutions.title') })
    const count = h('p', { class: 'count', 'aria-live': 'polite' })
    const normalize = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()

    const update = () => {
      const words = normalize(search.value.trim())
      const type = typeFilter.value
      const shown = this.connectors.filter((c) => (!type || c.type === type) && (!words || normalize(c.name).includes(words)))
      list.replaceChildren(
        ...shown.map((connector) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'institution', onclick: () => this.selectConnector(connector, true) },
              logo(connector),
              h('span', { class: 'institution-name' }, connector.name),
              connector.isSandbox ? h('span', { class: 'badge', title: t('institutions.sandboxHint') }, t('app.sandbox')) : null,
            ),
          ),
        ),
      )
      count.textContent = shown.length === 0 ? t('institutions.none') : shown.length === 1 ? t('institutions.countOne') : t('institutions.count', { count: shown.length })
    }
    search.addEventListener('input', update)
    typeFilter.addEventListener('change', update)
    update()
    this.render(
      'institutions',
      null,
      h('h1', {}, t('institutions.title')),
      h(
        'div',
        { class: 'filters', role: 'search' },
        h('div', { class: 'field search-field' }, h('label', { for: 'institution-search', class: 'field-label' }, t('institutions.search')), h('div', { class: 'input-with-icon' }, icon('search'), search)),
        types.length > 1 ? h('div', { class: 'field type-field' }, h('label', { for: 'institution-type', class: 'field-label' }, t('institutions.type')), typeFilter) : null,
      ),
      count,
      list,
    )
  }

  private selectConnector(connector: Connector, fromList: boolean): void {
    this.connector = connector
    this.messenger.event('SELECTED_INSTITUTION', { connector: { id: connector.id, name: connector.name } })
    this.showCredentials(connector, 'create', fromList ? () => this.showInstitutions() : null)
  }

  // -------------------------------------------------------------------------------------------
  // Credentials

  private showCredentials(connector: Connector, mode: CredentialsMode, back: (() => void) | null = null): void {
    const t = this.t
    const fields = mode === 'retry-mfa' ? connector.credentials.filter((f) => f.mfa) : connector.credentials
    const controls = fields.map((field) => buildField(field, t, { institution: connector.name, oneTimeCode: Boolean(field.mfa) }))
    const formError = h('div', { class: 'form-error', role: 'alert' })
    const isUpdate = mode !== 'create'
    const submit = h('button', { type: 'submit', class: 'primary' }, t(isUpdate ? 'credentials.submitUpdate' : 'credentials.submit'))
    const form = h('form', { class: 'credentials-form', novalidate: true, method: 'post', action: '', autocomplete: 'off' }, ...controls.map((c) => c.element), formError, submit)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.submitCredentials(connector, mode, controls, submit, formError)
    })
    // The summary goes once every field is fine again.
    form.addEventListener('input', () => {
      if (formError.textContent && controls.every((c) => c.validate(false) === null)) formError.textContent = ''
    })
    const title: MessageKey = mode === 'create' ? 'credentials.title' : mode === 'retry-mfa' ? 'credentials.retryTitle' : 'credentials.updateTitle'
    const intro: MessageKey = mode === 'create' ? 'credentials.intro' : mode === 'retry-mfa' ? 'credentials.retryIntro' : 'credentials.updateIntro'
    // Nothing to re-enter: an item whose credentials were accepted can run again as it is.
    const canSyncAsIs = mode === 'update' && this.item && (this.item.status === 'UPDATED' || this.item.status === 'OUTDATED') && !connector.credentials.some((f) => f.mfa)
    const syncNow = canSyncAsIs
      ? h(
          'div',
          { class: 'secondary-block' },
          h('p', {}, t('credentials.orSync')),
          h('button', { type: 'button', class: 'secondary', onclick: () => void this.runAgain(formError) }, t('credentials.syncNow')),
        )
      : null
    this.render(
      'credentials',
      back,
      this.institutionHeader(connector),
      h('h1', {}, t(title, { name: connector.name })),
      h('p', { class: 'intro' }, t(intro, { name: connector.name })),
      form,
      syncNow,
    )
  }

  private async submitCredentials(connector: Connector, mode: CredentialsMode, controls: FieldControl[], submit: HTMLButtonElement, formError: HTMLElement): Promise<void> {
    formError.textContent = ''
    if (!validateAll(controls)) {
      formError.textContent = this.t('credentials.fixErrors')
      return
    }
    const parameters = valuesOf(controls)
    submit.disabled = true
    submit.textContent = this.t('credentials.sending')
    this.messenger.event('SUBMITTED_LOGIN', { connector: { id: connector.id, name: connector.name } })
    try {
      const item =
        mode === 'create' && !this.item
          ? await this.api.request<Item>('POST', '/items', { connectorId: connector.id, parameters, ...(this.options.products.length ? { products: this.options.products } : {}) })
          : await this.api.request<Item>('PATCH', `/items/${encodeURIComponent(this.item!.id)}`, { parameters })
      this.follow(item, true)
    } catch (error) {
      submit.disabled = false
      submit.textContent = this.t(mode === 'create' ? 'credentials.submit' : 'credentials.submitUpdate')
      if (this.isSessionError(error)) return this.showFatal(this.apiMessage(error))
      if (error instanceof ApiError && error.code === 'ITEM_ALREADY_UPDATING' && this.item) return this.attach(this.item.id)
      if (error instanceof ApiError && error.details.length) showServerErrors(controls, error.details)
      if (error instanceof ApiError && typeof error.data.parameter === 'string') {
        const control = controls.find((c) => c.field.name === error.data.parameter)
        if (control) {
          control.setError(error.code === 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR' ? this.apiMessage(error) : this.t('validation.required', { label: control.field.label }))
          control.input.focus()
        }
      }
      formError.textContent = this.apiMessage(error)
    }
  }

  /** Starts the item again with its stored credentials (OUTDATED retry, "sync now"). */
  private async runAgain(errorTarget: HTMLElement): Promise<void> {
    if (!this.item) return
    errorTarget.textContent = ''
    try {
      const item = await this.api.request<Item>('PATCH', `/items/${encodeURIComponent(this.item.id)}`, {})
      this.follow(item, true)
    } catch (error) {
      if (this.isSessionError(error)) return this.showFatal(this.apiMessage(error))
      if (error instanceof ApiError && error.code === 'ITEM_ALREADY_UPDATING') return this.attach(this.item.id)
      if (error instanceof ApiError && (error.code === 'PARAMETERS_NOT_PROVIDED' || error.code === 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR') && this.connector) {
        return this.showCredentials(this.connector, error.code === 'PARAMETERS_NOT_PROVIDED' ? 'reenter' : 'retry-mfa')
      }
      errorTarget.textContent = this.apiMessage(error)
    }
  }

  /** Follows an execution someone else started (the item was already updating). */
  private async attach(itemId: string): Promise<void> {
    try {
      this.follow(await this.api.request<Item>('GET', `/items/${encodeURIComponent(itemId)}`), false)
    } catch (error) {
      this.showFatal(this.apiMessage(error))
    }
  }

  // -------------------------------------------------------------------------------------------
  // Live updates

  /** Shows the item's progress from the answer of a create/update, then follows its stream. */
  private follow(item: Item, submitted: boolean): void {
    this.stopLive()
    this.item = item
    if (item.connector) this.connector = item.connector
    if (submitted) this.messenger.event('ITEM_RESPONSE', { item: summary(item) })
    this.executionId = null
    this.loginReported = false
    this.mfaSubmitted = false
    this.authorizationPending = false
    this.submittedMfa.clear()
    this.live = new LiveItem(this.api, item.id, item.updatedAt, (update) => this.onLive(update))
    this.live.offer(item)
    this.live.start()
  }

  private stopLive(): void {
    this.live?.stop()
    this.live = null
  }

  private onLive(update: LiveUpdate): void {
    if (update.executionId && update.executionId !== this.executionId) {
      // A new execution (e.g. the engine's follow-up after a device authorization).
      if (this.executionId !== null) {
        this.loginReported = false
        this.mfaSubmitted = false
      }
      this.executionId = update.executionId
    }
    this.applyState(update.state)
  }

  private applyState(state: ItemState): void {
    const status = state.executionStatus
    if (status === 'WAITING_USER_INPUT' && state.parameter) {
      this.authorizationPending = false
      return this.showMfa(state.parameter)
    }
    if (status === 'USER_AUTHORIZATION_PENDING') {
      if (!this.authorizationPending || this.current !== 'authorization') this.messenger.event('WAITING_USER_ACTION', { item: summary(this.item) })
      this.authorizationPending = true
      return this.showAuthorization(state.userAction)
    }
    if (IN_PROGRESS.has(status) || status === 'WAITING_USER_INPUT') {
      if (AFTER_LOGIN.has(status) && !this.loginReported) {
        this.loginReported = true
        this.messenger.event(this.mfaSubmitted ? 'LOGIN_MFA_SUCCESS' : 'LOGIN_SUCCESS', { item: summary(this.item) })
        if (this.mfaSubmitted) this.messenger.event('LOGIN_SUCCESS', { item: summary(this.item) })
      }
      // The engine's follow-up execution logs in again: stay on the approval screen meanwhile.
      if (this.authorizationPending && (status === 'CREATED' || status === 'LOGIN_IN_PROGRESS')) {
        if (this.authorizationStatus) this.authorizationStatus.textContent = this.t('authorization.checking')
        return
      }
      this.authorizationPending = false
      return this.showProgress(status)
    }
    if (status === 'SUCCESS' || status === 'PARTIAL_SUCCESS') return void this.finishSuccess()
    return void this.finishError(state.error ?? { code: status === 'ERROR' ? 'UNEXPECTED_ERROR' : status, message: status })
  }

  // -------------------------------------------------------------------------------------------
  // Progress

  private showProgress(status: string): void {
    const connector = this.connector
    const words = this.t(STEP_KEYS[status as keyof typeof STEP_KEYS] ?? 'step.CREATED')
    const index = STEPS.indexOf(status)
    const percent = Math.round(((index < 0 ? 0 : index) + 1) * (100 / (STEP_ORDER.length + 1)))
    if (this.current !== 'progress' || !this.progressView) {
      const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-label': this.t('progress.label'), 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('div', { class: 'progress-fill' }))
      const statusLine = h('p', { class: 'progress-step', role: 'status', 'aria-live': 'polite' })
      this.render(
        'progress',
        null,
        connector ? this.institutionHeader(connector) : null,
        h('h1', {}, this.t('progress.title', { name: connector?.name ?? '' })),
        h('div', { class: 'spinner', 'aria-hidden': 'true' }),
        statusLine,
        bar,
        h('p', { class: 'hint' }, this.t('progress.hint')),
      )
      this.progressView = { bar, status: statusLine }
    }
    const view = this.progressView!
    if (view.status.textContent !== words) {
      view.status.textContent = words
      this.messenger.event('STEP_CHANGED', { step: status })
    }
    view.bar.setAttribute('aria-valuenow', String(percent))
    view.bar.setAttribute('aria-valuetext', words)
    ;(view.bar.firstElementChild as HTMLElement).style.width = `${percent}%`
  }

  // -------------------------------------------------------------------------------------------
  // MFA

  private showMfa(parameter: MfaParameter): void {
    const key = `${parameter.name}|${parameter.expiresAt}`
    if (this.submittedMfa.has(key)) return
    if (this.current === 'mfa' && this.shownMfa === key) return
    const t = this.t
    const connector = this.connector
    const field: CredentialField = { ...parameter, optional: false }
    const control = buildField(field, t, { institution: connector?.name ?? '', oneTimeCode: parameter.type === 'number' || parameter.type === 'text' })
    const formError = h('div', { class: 'form-error', role: 'alert' })
    const submit = h('button', { type: 'submit', class: 'primary' }, t('mfa.submit'))
    const timer = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' })
    const form = h('form', { class: 'mfa-form', novalidate: true, method: 'post', action: '', autocomplete: 'off' }, control.element, timer, formError, submit)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.submitMfa(key, control, submit, formError)
    })
    this.render(
      'mfa',
      null,
      connector ? this.institutionHeader(connector) : null,
      h('h1', {}, t('mfa.title', { name: connector?.name ?? '' })),
      h('p', { class: 'intro' }, t('mfa.intro')),
      form,
    )
    this.shownMfa = key
    this.messenger.event('WAITING_USER_INPUT', { item: summary(this.item) })
    control.input.focus()

    const expiresAt = Date.parse(parameter.expiresAt)
    if (!Number.isNaN(expiresAt)) {
      const announced = new Set<number>()
      let first = true
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((expiresAt - this.api.serverNow()) / 1000))
        const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
        timer.replaceChildren(icon('clock', 'icon icon-small'), h('span', {}, t('mfa.timeLeft', { time })))
        timer.classList.toggle('urgent', seconds <= 30)
        // Screen readers hear the time left at a few marks, not every second.
        for (const mark of [60, 30, 10]) {
          if (seconds > mark || announced.has(mark)) continue
          announced.add(mark)
          if (!first && seconds > 0) this.announce(t('mfa.timeLeftAnnounce', { seconds }))
        }
        first = false
        if (seconds === 0) {
          submit.disabled = true
          control.input.disabled = true
          formError.textContent = t('mfa.expired')
          window.clearInterval(interval)
        }
      }
      const interval = window.setInterval(tick, 1000)
      tick()
      this.cleanups.push(() => window.clearInterval(interval))
    }
  }

  private async submitMfa(key: string, control: FieldControl, submit: HTMLButtonElement, formError: HTMLElement): Promise<void> {
    formError.textContent = ''
    if (!validateAll([control])) return
    const item = this.item
    if (!item) return
    submit.disabled = true
    const body = valuesOf([control])
    try {
      const answer = await this.api.request<Item>('POST', `/items/${encodeURIComponent(item.id)}/mfa`, body)
      this.submittedMfa.add(key)
      this.mfaSubmitted = true
      this.messenger.event('SUBMITTED_MFA', { item: summary(answer) })
      this.item = answer
      // Through the live view: the stream may already have told something newer than this answer.
      if (this.live) this.live.offer(answer)
      else this.applyState(answer)
    } catch (error) {
      submit.disabled = false
      if (this.isSessionError(error)) return this.showFatal(this.apiMessage(error))
      if (error instanceof ApiError && error.code === 'ITEM_NOT_WAITING_USER_INPUT') {
        this.submittedMfa.add(key)
        formError.textContent = this.t('mfa.notWaiting')
        return
      }
      if (error instanceof ApiError && error.details.length) showServerErrors([control], error.details)
      formError.textContent = this.apiMessage(error)
    }
  }

  // -------------------------------------------------------------------------------------------
  // Device authorization

  private showAuthorization(userAction: UserAction | null): void {
    if (this.current === 'authorization' && this.authorizationStatus) {
      this.authorizationStatus.textContent = this.t('authorization.waiting')
      return
    }
    const connector = this.connector
    const statusLine = h('p', { class: 'waiting', role: 'status', 'aria-live': 'polite' }, this.t('authorization.waiting'))
    const expires = userAction?.expiresAt ? new Date(userAction.expiresAt) : null
    this.render(
      'authorization',
      null,
      connector ? this.institutionHeader(connector) : null,
      h('h1', {}, this.t('authorization.title')),
      h('div', { class: 'instructions' }, icon('phone', 'icon icon-large'), h('p', {}, userAction?.instructions ?? '')),
      expires && !Number.isNaN(expires.getTime()) ? h('p', { class: 'hint' }, this.t('authorization.expires', { time: expires.toLocaleString(this.options.language) })) : null,
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      statusLine,
    )
    this.authorizationStatus = statusLine
  }

  // -------------------------------------------------------------------------------------------
  // Outcomes

  private async latestItem(): Promise<Item | null> {
    if (!this.item) return null
    try {
      this.item = await this.api.request<Item>('GET', `/items/${encodeURIComponent(this.item.id)}`)
    } catch {
      // Keep what we have.
    }
    return this.item
  }

  private async finishSuccess(): Promise<void> {
    this.stopLive()
    const item = await this.latestItem()
    const connector = this.connector
    const failed = Object.entries(item?.statusDetail ?? {})
      .filter(([, detail]) => detail && !detail.isUpdated)
      .map(([key]) => (PRODUCT_KEYS[key] ? this.t(PRODUCT_KEYS[key]!) : key))
    const done = this.messenger.embedded ? h('button', { type: 'button', class: 'primary', onclick: () => this.messenger.close() }, this.t('success.done')) : null
    this.render(
      'success',
      null,
      h(
        'div',
        { class: 'center' },
        h('div', { class: 'status-icon status-success' }, icon('check')),
        h('h1', {}, this.t('success.title')),
        h('p', {}, this.t('success.body', { name: connector?.name ?? '' })),
        failed.length ? h('p', { class: 'notice' }, this.t('success.partial', { products: failed.join(', ') })) : null,
        done,
      ),
    )
    this.messenger.event('CONNECTION_SUCCESS', { item: summary(item) })
    this.messenger.success(summary(item))
  }

  private async finishError(error: ItemError): Promise<void> {
    this.stopLive()
    const item = await this.latestItem()
    const t = this.t
    const code = isErrorCode(error.code) ? error.code : 'UNEXPECTED_ERROR'
    const screen = ERROR_SCREENS[code]
    const connector = this.connector
    const actionError = h('div', { class: 'form-error', role: 'alert' })
    const actions: HTMLElement[] = []
    const chooseAnother =
      this.mode === 'create' && this.connectors.length > 1
        ? h('button', { type: 'button', class: 'secondary', onclick: () => this.restart() }, t('error.otherInstitution'))
        : null
    switch (screen.action) {
      case 'credentials':
        if (connector) actions.push(h('button', { type: 'button', class: 'primary', onclick: () => this.showCredentials(connector, 'reenter') }, t('error.reenter')))
        break
      case 'retry':
        actions.push(
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: () => {
                if (connector?.credentials.some((f) => f.mfa)) this.showCredentials(connector, 'retry-mfa')
                else void this.runAgain(actionError)
              },
            },
            t('error.retry'),
          ),
        )
        break
      case 'contact-bank':
        actions.push(h('p', { class: 'notice' }, t('error.contactBank')))
        break
      case 'other-institution':
        break
    }
    if (chooseAnother) actions.push(chooseAnother)
    if (this.messenger.embedded) actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => this.messenger.close() }, t('error.close')))
    this.render(
      'error',
      null,
      h(
        'div',
        { class: 'center' },
        h('div', { class: 'status-icon status-error' }, icon('alert')),
        h('h1', {}, t(screen.title)),
        h('p', {}, t(screen.body)),
        error.providerMessage ? h('blockquote', { class: 'provider-message' }, h('p', { class: 'provider-label' }, t('error.bankSaid')), h('p', {}, error.providerMessage)) : null,
        h('p', { class: 'error-code' }, code),
        actionError,
        h('div', { class: 'actions' }, ...actions),
      ),
    )
    this.messenger.event('CONNECTION_ERROR', { item: summary(item), error: { code, message: error.message } })
    this.messenger.error(error.message, summary(item))
  }

  /** Back to the institution list for a new item (after an error the user cannot fix here). */
  private restart(): void {
    this.stopLive()
    this.item = null
    this.connector = null
    this.showInstitutions()
  }
}

function boot(): void {
  const root = document.getElementById('app')
  if (!root) return
  const options = readOptions(window.location, navigator.languages ?? [navigator.language])
  // The token leaves the address bar (and the history entry) before anything else happens.
  if (options.connectToken) window.history.replaceState(null, '', urlWithoutToken(window.location.href))
  void new ConnectApp(root, options).start()
}

boot()
