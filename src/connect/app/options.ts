/**
 * The page's options, from one of two places:
 * - the URL (connect.js, a link): query string and fragment, the fragment winning — it never
 *   reaches a server, so connect.js puts everything there. The connect token is taken out of the
 *   visible URL at once (history.replaceState), so it is left in no address bar, history or Referer.
 * - the reference Connect SDK's props (`window.xprops`), when the SDK rendered the page.
 * Either way every value is checked here; what does not fit is dropped.
 */
import { PRODUCTS } from '../../domain/statuses.ts'
import { pickLanguage, type Language } from './i18n.ts'

export interface ConnectOptions {
  connectToken: string | null
  includeSandbox: boolean
  connectorIds: number[]
  connectorTypes: string[]
  countries: string[]
  products: string[]
  /** An item id: update mode. */
  updateItem: string | null
  /** Open this institution's form at once (the list stays one step back). */
  selectedConnectorId: number | null
  language: Language
  theme: 'light' | 'dark'
  /** Update mode starts the update at once when the saved credentials can be used (the reference SDK's default). */
  autoUpdate: boolean
  /** Closing the page while an execution runs hides it (the reference SDK's allowConnectInBackground). */
  allowConnectInBackground: boolean
  /** Values for credential fields of the same name (the reference SDK's openFinanceParameters: cpf, cnpj). */
  prefill: Record<string, string>
  /** The embedding page's origin, for postMessage (set by connect.js). */
  parentOrigin: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const WORD = /^[A-Za-z_]{1,40}$/
const CONNECTOR_ID = /^\d{1,9}$/

/** Validators shared by both sources: each takes raw values and keeps the valid ones. */
const keep = {
  connectorIds: (values: string[]) => values.filter((s) => CONNECTOR_ID.test(s)).map(Number),
  connectorTypes: (values: string[]) => values.filter((s) => WORD.test(s)),
  countries: (values: string[]) => values.filter((s) => /^[A-Za-z]{2}$/.test(s)).map((s) => s.toUpperCase()),
  products: (values: string[]) => values.filter((s) => (PRODUCTS as readonly string[]).includes(s)),
  itemId: (value: string | null) => (value && UUID.test(value) ? value.toLowerCase() : null),
  connectorId: (value: string | null) => (value && CONNECTOR_ID.test(value) ? Number(value) : null),
  theme: (value: unknown): 'light' | 'dark' => (value === 'dark' ? 'dark' : 'light'),
}

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 100)
}

/** An origin such as https://app.example.com (no path), or null. */
export function parseOrigin(value: string | null): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
    return url.origin
  } catch {
    return null
  }
}

export function readOptions(location: { search: string; hash: string }, browserLanguages: readonly string[]): ConnectOptions {
  const query = new URLSearchParams(location.search)
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const get = (name: string) => fragment.get(name) ?? query.get(name)
  const flag = (name: string) => ['true', '1', 'yes'].includes((get(name) ?? '').toLowerCase())
  return {
    connectToken: get('connectToken') || get('accessToken'),
    includeSandbox: flag('includeSandbox'),
    connectorIds: keep.connectorIds(list(get('connectorIds'))),
    connectorTypes: keep.connectorTypes(list(get('connectorTypes'))),
    countries: keep.countries(list(get('countries'))),
    products: keep.products(list(get('products'))),
    updateItem: keep.itemId(get('updateItem')),
    selectedConnectorId: keep.connectorId(get('selectedConnectorId')),
    language: pickLanguage(get('language'), browserLanguages),
    theme: keep.theme(get('theme')),
    autoUpdate: false,
    allowConnectInBackground: false,
    prefill: {},
    parentOrigin: parseOrigin(get('parentOrigin')),
  }
}

/** The options the reference SDK passed (its PluggyConnectProps, as zoid props). */
export function readSdkOptions(props: Record<string, unknown>, browserLanguages: readonly string[]): ConnectOptions {
  const strings = (value: unknown) =>
    Array.isArray(value)
      ? value
          .slice(0, 100)
          .filter((v) => typeof v === 'string' || typeof v === 'number')
          .map(String)
      : []
  const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null)
  const openFinance = (props.openFinanceParameters ?? {}) as Record<string, unknown>
  const prefill: Record<string, string> = {}
  for (const name of ['cpf', 'cnpj']) {
    const value = text(openFinance[name])?.replace(/\D/g, '')
    if (value && value.length <= 14) prefill[name] = value
  }
  return {
    connectToken: text(props.connectToken) || null,
    includeSandbox: props.includeSandbox === true,
    connectorIds: keep.connectorIds(strings(props.connectorIds)),
    connectorTypes: keep.connectorTypes(strings(props.connectorTypes)),
    countries: keep.countries(strings(props.countries)),
    products: keep.products(strings(props.products)),
    updateItem: keep.itemId(text(props.updateItem)),
    selectedConnectorId: keep.connectorId(text(props.selectedConnectorId)),
    language: pickLanguage(text(props.language), browserLanguages),
    theme: keep.theme(props.theme),
    autoUpdate: props.forceAskForCredentials !== true,
    allowConnectInBackground: props.allowConnectInBackground === true,
    prefill,
    parentOrigin: null,
  }
}

/** The URL without the token (query or fragment), for history.replaceState. */
export function urlWithoutToken(href: string): string {
  const url = new URL(href)
  for (const name of ['connectToken', 'accessToken']) url.searchParams.delete(name)
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''))
  for (const name of ['connectToken', 'accessToken']) fragment.delete(name)
  const rest = fragment.toString()
  url.hash = rest ? `#${rest}` : ''
  return url.pathname + url.search + url.hash
}

/**
 * The item a connect token is bound to (SPEC §4a.5), read from the token's payload. Only a hint for
 * the page (an item-bound token opens update mode); the server verifies the token on every call.
 */
export function itemIdOfToken(token: string): string | null {
  try {
    const payload = token.split('.')[1]
    if (!payload) return null
    const json = JSON.parse(
      atob(
        payload
          .replace(/-/g, '+')
          .replace(/_/g, '/')
          .padEnd(Math.ceil(payload.length / 4) * 4, '='),
      ),
    )
    return typeof json.itemId === 'string' && UUID.test(json.itemId) ? json.itemId.toLowerCase() : null
  } catch {
    return null
  }
}
