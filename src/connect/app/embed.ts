/**
 * GET /connect.js: lets any page open the Connect page in an overlay.
 *
 *   <script src="https://tributary.example.com/connect.js"></script>
 *   const widget = TributaryConnect({ connectToken, includeSandbox: true,
 *     onSuccess: ({ item }) => …, onError: ({ message, item }) => …, onEvent: (e) => …, onClose: () => … })
 *   widget.close()
 *
 * With `mode: 'popup'` it opens in a window of its own instead (call it from a click handler, or
 * the browser blocks the window); closing that window calls onClose.
 *
 * The token and the options travel in the page URL's fragment (never sent to a server, never in a
 * Referer). Messages are accepted only from the Connect page's origin and from that very iframe's
 * (or popup's) window.
 */

const SOURCE = 'tributary-connect'

export interface TributaryConnectOptions {
  /** The Tributary server, e.g. https://tributary.example.com (default: where connect.js came from). */
  url?: string
  connectToken: string
  includeSandbox?: boolean
  connectorIds?: number[]
  connectorTypes?: string[]
  countries?: string[]
  products?: string[]
  /** An item id: update that item instead of creating one. */
  updateItem?: string
  /** Open this institution's form at once (the list stays one step back). */
  selectedConnectorId?: number
  language?: 'en' | 'pt-BR'
  theme?: 'light' | 'dark'
  /** 'overlay' (default): an iframe over this page; 'popup': a window of its own. */
  mode?: 'overlay' | 'popup'
  onSuccess?: (data: { item: unknown }) => void
  onError?: (data: { message: string; item: unknown }) => void
  onEvent?: (event: { event: string; timestamp: number; [key: string]: unknown }) => void
  onClose?: () => void
}

export interface TributaryConnectHandle {
  close(): void
}

const scriptUrl = (() => {
  const script = document.currentScript as HTMLScriptElement | null
  return script?.src ? new URL(script.src, window.location.href).origin : window.location.origin
})()

function TributaryConnect(options: TributaryConnectOptions): TributaryConnectHandle {
  if (!options || typeof options.connectToken !== 'string' || !options.connectToken) throw new TypeError('TributaryConnect: connectToken is required')
  const base = new URL(options.url ?? scriptUrl, window.location.href)
  const widgetOrigin = base.origin
  const params = new URLSearchParams()
  params.set('connectToken', options.connectToken)
  if (options.includeSandbox) params.set('includeSandbox', 'true')
  if (options.connectorIds?.length) params.set('connectorIds', options.connectorIds.join(','))
  if (options.connectorTypes?.length) params.set('connectorTypes', options.connectorTypes.join(','))
  if (options.countries?.length) params.set('countries', options.countries.join(','))
  if (options.products?.length) params.set('products', options.products.join(','))
  if (options.updateItem) params.set('updateItem', options.updateItem)
  if (options.selectedConnectorId !== undefined) params.set('selectedConnectorId', String(options.selectedConnectorId))
  if (options.language) params.set('language', options.language)
  if (options.theme) params.set('theme', options.theme)
  params.set('parentOrigin', window.location.origin)
  const src = `${widgetOrigin}${base.pathname.replace(/\/+$/, '')}/connect#${params}`
  return options.mode === 'popup' ? openPopup(src, widgetOrigin, options) : openOverlay(src, widgetOrigin, options)
}

/**
 * Passes the Connect page's messages to the callbacks. Strict: the Connect page's origin, from the
 * window we opened, in our message format. Returns the function that stops listening.
 */
function relayMessages(widgetOrigin: string, widget: () => MessageEventSource | null, options: TributaryConnectOptions, close: () => void): () => void {
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== widgetOrigin || event.source === null || event.source !== widget()) return
    const data = event.data as { source?: unknown; type?: unknown; payload?: any } | null
    if (!data || data.source !== SOURCE || typeof data.type !== 'string') return
    switch (data.type) {
      case 'EVENT':
        options.onEvent?.(data.payload)
        break
      case 'SUCCESS':
        options.onSuccess?.({ item: data.payload?.item ?? null })
        break
      case 'ERROR':
        options.onError?.({ message: String(data.payload?.message ?? ''), item: data.payload?.item ?? null })
        break
      case 'CLOSE':
        close()
        break
    }
  }
  window.addEventListener('message', onMessage)
  return () => window.removeEventListener('message', onMessage)
}

function openPopup(src: string, widgetOrigin: string, options: TributaryConnectOptions): TributaryConnectHandle {
  const width = 440
  const height = 720
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2)
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2)
  const popup = window.open(src, 'tributary-connect', `popup,width=${width},height=${height},left=${left},top=${top}`)
  if (!popup) throw new Error('TributaryConnect: the browser blocked the popup; open it from a click handler')
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    stopRelay()
    clearInterval(watch)
    if (!popup.closed) popup.close()
    options.onClose?.()
  }
  const stopRelay = relayMessages(widgetOrigin, () => popup, options, close)
  // The user may close the window itself: no message says so, so watch it.
  const watch = setInterval(() => popup.closed && close(), 300)
  return { close }
}

function openOverlay(src: string, widgetOrigin: string, options: TributaryConnectOptions): TributaryConnectHandle {
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const previousOverflow = document.body.style.overflow

  const overlay = document.createElement('div')
  overlay.setAttribute('role', 'dialog')
  overlay.setAttribute('aria-modal', 'true')
  overlay.setAttribute('aria-label', 'Tributary Connect')
  overlay.dataset.tributaryConnect = 'overlay'
  Object.assign(overlay.style, {
    position: 'fixed',
    inset: '0',
    zIndex: '2147483000',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    background: 'rgba(15, 23, 42, 0.55)',
  })
  const iframe = document.createElement('iframe')
  iframe.title = 'Tributary Connect'
  iframe.src = src
  iframe.setAttribute('allow', '')
  iframe.referrerPolicy = 'no-referrer'
  Object.assign(iframe.style, { border: '0', background: '#fff', boxShadow: '0 20px 50px rgba(0,0,0,.3)' })
  const size = () => {
    const small = window.innerWidth < 520
    Object.assign(iframe.style, {
      width: small ? '100%' : '440px',
      height: small ? '100%' : `${Math.min(720, window.innerHeight - 32)}px`,
      borderRadius: small ? '0' : '16px',
    })
  }
  size()
  overlay.append(iframe)
  document.body.append(overlay)
  document.body.style.overflow = 'hidden'
  iframe.addEventListener('load', () => iframe.focus())

  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    stopRelay()
    window.removeEventListener('resize', size)
    overlay.remove()
    document.body.style.overflow = previousOverflow
    previousFocus?.focus()
    options.onClose?.()
  }
  const stopRelay = relayMessages(widgetOrigin, () => iframe.contentWindow, options, close)
  window.addEventListener('resize', size)
  return { close }
}

;(window as unknown as { TributaryConnect: typeof TributaryConnect }).TributaryConnect = TributaryConnect
