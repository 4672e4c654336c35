import { createHash } from 'node:crypto'
import type { ConnectorDefinition } from '../connectors/sdk/index.ts'

/** A logo decoded once from the `data:` URL its connector declares. */
export interface Logo {
  contentType: string
  bytes: Buffer
  etag: string
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(;base64)?,(.*)$/s
const decoded = new WeakMap<ConnectorDefinition, Logo | null>()

/**
 * The logo a connector declares inline (`imageUrl` as a `data:` URL, as the sandbox banks and
 * connectors without a hosting of their own do), or null when it declares none or a URL elsewhere.
 */
export function inlineLogo(connector: ConnectorDefinition): Logo | null {
  if (decoded.has(connector)) return decoded.get(connector)!
  const match = connector.imageUrl ? DATA_URL.exec(connector.imageUrl) : null
  const bytes = match ? (match[2] ? Buffer.from(match[3], 'base64') : Buffer.from(decodeURIComponent(match[3]), 'utf8')) : null
  const logo = match && bytes ? { contentType: match[1], bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` } : null
  decoded.set(connector, logo)
  return logo
}

/**
 * The `imageUrl` a connector is presented with: an inline logo becomes a URL of its own on this
 * server (cacheable, and kept out of every item and connector answer); any other URL is kept.
 */
export function presentedLogoUrl(connector: ConnectorDefinition, origin: string): string | null {
  if (!connector.imageUrl) return null
  return inlineLogo(connector) ? `${origin}/connectors/${connector.id}/logo` : connector.imageUrl
}

/** This server's address as a request reached it (behind a proxy, as the proxy forwards it). */
export function originOf(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`
}
