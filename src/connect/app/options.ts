/**
 * The page's options, read from the query string and the URL fragment (the fragment wins: it never
 * reaches the server, so the embed script puts everything there). The connect token is taken out
 * of the visible URL at once (history.replaceState), so it is not left in the address bar, in the
 * history, or in a Referer header.
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
  language: Language
  /** The embedding page's origin, for postMessage (set by connect.js). */
  parentOrigin: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const WORD = /^[A-Za-z_]{1,40}$/

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
  const updateItem = get('updateItem')
  return {
    connectToken: get('connectToken') || get('accessToken'),
    includeSandbox: flag('includeSandbox'),
    connectorIds: list(get('connectorIds'))
      .filter((s) => /^\d{1,9}$/.test(s))
      .map(Number),
    connectorTypes: list(get('connectorTypes')).filter((s) => WORD.test(s)),
    countries: list(get('countries')).filter((s) => /^[A-Za-z]{2}$/.test(s)).map((s) => s.toUpperCase()),
    products: list(get('products')).filter((s) => (PRODUCTS as readonly string[]).includes(s)),
    updateItem: updateItem && UUID.test(updateItem) ? updateItem.toLowerCase() : null,
    language: pickLanguage(get('language'), browserLanguages),
    parentOrigin: parseOrigin(get('parentOrigin')),
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
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')))
    return typeof json.itemId === 'string' && UUID.test(json.itemId) ? json.itemId.toLowerCase() : null
  } catch {
    return null
  }
}
